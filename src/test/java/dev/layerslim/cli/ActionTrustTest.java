package dev.layerslim.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.layerslim.github.ActionInputs;
import dev.layerslim.github.CommentRenderer;
import dev.layerslim.github.GitHubApiStub;
import dev.layerslim.github.RetryPolicy;
import dev.layerslim.python.SystemProcessRunner;
import dev.layerslim.testing.Wheels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The action under an attacker's or a careless user's inputs: index credentials in every
 * URL form, a github-token that cannot be a header, a reporting phase that fails after the build, a
 * GITHUB_API_URL that is not a URL. A simulated runner (INPUT_*, GITHUB_*) and a WireMock GitHub.
 */
class ActionTrustTest {
  static final String TOKEN = "ghs_TrustT0kenValue0123456789abcdef";

  @TempDir static Path shared;
  static Path wheels;
  static Path site;

  @TempDir Path tmp;
  GitHubApiStub gh;
  Map<String, String> env;
  Path workspace;
  Path outputFile;
  Path summaryFile;
  RetryPolicy policy = new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(100));

  record Run(int code, String out, String err) {}

  @BeforeAll
  static void wheels() throws IOException {
    wheels = shared.resolve("wheels");
    Wheels.wheel("lstrust-fixture", "1.0").file("lstrust_fixture/__init__.py", "X = 1\n").build(wheels);
    site = shared.resolve("site");
    Wheels.pipInstall(site, wheels, "lstrust-fixture");
  }

  @BeforeEach
  void runner() throws IOException {
    gh = new GitHubApiStub();
    Path payload = tmp.resolve("event.json");
    try (InputStream in = getClass().getResourceAsStream("/dev/layerslim/github/pull_request_event.json")) {
      Files.write(payload, in.readAllBytes());
    }
    outputFile = tmp.resolve("runner/output.txt");
    summaryFile = tmp.resolve("runner/summary.md");
    Files.createDirectories(outputFile.getParent());
    Files.writeString(outputFile, "");
    Files.writeString(summaryFile, "");
    workspace = tmp.resolve("repo");
    Files.createDirectories(workspace);
    env = new HashMap<>();
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_WORKSPACE", workspace.toString());
    env.put("GITHUB_EVENT_NAME", "pull_request");
    env.put("GITHUB_EVENT_PATH", payload.toString());
    env.put("GITHUB_REPOSITORY", "octo-org/lambda-app");
    env.put("GITHUB_API_URL", gh.baseUrl());
    env.put("GITHUB_OUTPUT", outputFile.toString());
    env.put("GITHUB_STEP_SUMMARY", summaryFile.toString());
    for (String name : ActionInputs.NAMES) {
      env.put(ActionInputs.envName(name), "");
    }
    input("site-packages", site.toString());
    input("smoke-test", "false");
    input("strip", "false");
    input("output-dir", "build/out");
    input("github-token", TOKEN);
    gh.user(null).standard();
  }

  @AfterEach
  void stop() {
    gh.close();
  }

  void input(String name, String value) {
    env.put(ActionInputs.envName(name), value);
  }

  Run run() {
    CliRun r = CliRun.action(new ActionCommand(env, new SystemProcessRunner(), policy));
    return new Run(r.exitCode(), r.out(), r.err());
  }

  Path outDir() {
    return workspace.resolve("build/out");
  }

  /** The values of output {@code name} in GITHUB_OUTPUT, in order (a single-line output: {@code name=value}). */
  List<String> outputValues(String name) throws IOException {
    List<String> values = new ArrayList<>();
    for (String line : Files.readAllLines(outputFile)) {
      if (line.startsWith(name + "=") || line.startsWith(name + "<<")) {
        values.add(line.substring(name.length() + 1));
      }
    }
    return values;
  }

  /** The bodies of the comments posted or patched, in order. */
  List<String> commentBodies() throws IOException {
    List<String> bodies = new ArrayList<>();
    for (LoggedRequest r : gh.requests(anyRequestedFor(anyUrl()))) {
      if (r.getMethod().getName().equals("POST") || r.getMethod().getName().equals("PATCH")) {
        bodies.add(GitHubApiStub.body(r).path("body").asText());
      }
    }
    return bodies;
  }

  /**
   * Each secret is printed only in {@code ::add-mask::} lines, all of which come before any other
   * line, and appears in nothing layerslim wrote: GITHUB_OUTPUT, the summary, every file of the
   * output folder (pip.log, comment.md, report.json, report.md, the layer), the requests to GitHub.
   */
  void assertNowhereButInMasks(Run r, List<String> secrets) throws IOException {
    List<String> lines = r.out().lines().toList();
    int firstOther = 0;
    while (firstOther < lines.size() && lines.get(firstOther).startsWith("::add-mask::")) {
      firstOther++;
    }
    String masks = String.join("\n", lines.subList(0, firstOther));
    String rest = String.join("\n", lines.subList(firstOther, lines.size()));
    for (String s : secrets) {
      assertTrue(masks.contains("::add-mask::" + s.replace("%", "%25")), "not masked first: " + s + "\n" + r.out());
      assertFalse(rest.contains(s), "printed: " + s + "\n" + rest);
      assertFalse(r.err().contains(s), "on stderr: " + s);
      assertFalse(Files.readString(outputFile).contains(s), "in GITHUB_OUTPUT: " + s);
      assertFalse(Files.readString(summaryFile).contains(s), "in the summary: " + s);
      if (Files.isDirectory(outDir())) {
        try (var files = Files.walk(outDir())) {
          for (Path f : files.filter(Files::isRegularFile).toList()) {
            assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(s), s + " in " + f);
          }
        }
      }
      for (LoggedRequest req : gh.requests(anyRequestedFor(anyUrl()))) {
        assertFalse(req.getBodyAsString().contains(s), s + " in a request to GitHub");
      }
    }
  }

  /** index-url, extra-index-url, pip-args and the requirements file, each with a private index's credential. */
  List<String> privateIndexes(boolean withWheels) throws IOException {
    String host = gh.baseUrl().replace("http://", "");
    Files.writeString(workspace.resolve("requirements.txt"),
        "--extra-index-url http://ReqFileT0ken6x:@" + host + "/req/simple\nlstrust-fixture\n");
    input("site-packages", "");
    input("requirements", "requirements.txt");
    // user only (TOKEN:), as private indexes hand it out, with a token in the query too
    input("index-url", "http://UserOnlyT0ken1x:@" + host + "/simple?token=QueryT0ken2x&page=1");
    // user:password, percent-encoded; and a lone user
    input("extra-index-url", "http://__token__:Pw%40Encoded%2F3x@" + host + "/a/simple\n"
        + "http://LoneT0ken4x@" + host + "/b/simple");
    Path links = workspace.resolve("wheels");
    if (withWheels) {
      Files.createDirectories(links);
      try (var s = Files.list(wheels)) {
        for (Path w : s.toList()) {
          Files.copy(w, links.resolve(w.getFileName()));
        }
      }
    }
    input("pip-args", (withWheels ? "--find-links wheels " : "")
        + "--extra-index-url=http://" + host + "/c/simple?api_key=ApiKeyV4lue5x");
    return List.of("ReqFileT0ken6x", "UserOnlyT0ken1x", "QueryT0ken2x", "Pw%40Encoded%2F3x", "Pw@Encoded/3x",
        "LoneT0ken4x", "ApiKeyV4lue5x", TOKEN);
  }

  @Test
  void indexCredentials_inEveryUrlForm_areMaskedFirst_andRedactedInPipLogCommentAndReports_onSuccess()
      throws IOException {
    List<String> secrets = privateIndexes(true);
    Run r = run();
    assertEquals(0, r.code(), r.out() + r.err());
    String pipLog = Files.readString(outDir().resolve("pip.log"));
    // pip looked in the private indexes and printed them; layerslim blanked their credentials
    assertTrue(pipLog.contains("Looking in indexes: http://***@"), pipLog);
    assertTrue(pipLog.contains("token=***"), pipLog);
    assertEquals(1, commentBodies().size());
    assertNowhereButInMasks(r, secrets);
  }

  @Test
  void indexCredentials_failedInstall_errorLineCommentAndPipLogSayStars() throws IOException {
    List<String> secrets = privateIndexes(false);
    Run r = run();
    assertEquals(3, r.code(), r.out() + r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("::error::") && l.contains("pip install failed")), r.out());
    List<String> bodies = commentBodies();
    assertEquals(1, bodies.size());
    assertTrue(bodies.get(0).contains("build failed at step install") && bodies.get(0).contains("http://***@"),
        bodies.get(0));
    assertEquals(List.of("failed"), outputValues("result"));
    assertNowhereButInMasks(r, secrets);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\r", "\t", " ", "\u0000", "\u001b", "\u00a0", "\u00e9", "\u2028"})
  void githubToken_withALineBreakOrAnyCharacterNoHeaderTakes_isExitTwoNamingTheInput_printingNothingOfIt(
      String inside) throws IOException {
    String first = "ghs_FirstPart0123456789abc";
    String second = "SecondPart9876543210xyz";
    input("github-token", first + inside + second);
    Run r = run();
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("::error::input github-token holds "), r.out());
    assertEquals(List.of("failed"), outputValues("result"), Files.readString(outputFile));
    assertNowhereButInMasks(r, List.of(first, second));
    // the token was never sent: a header with it is what failed
    assertEquals(0, gh.count(anyRequestedFor(anyUrl())));
  }

  @Test
  void summaryThatCannotBeWritten_afterAGoodBuild_replacesTheGreenComment_oneResultFailed_exitThree()
      throws IOException {
    long id = gh.addComment("github-actions[bot]", "Bot", CommentRenderer.marker("build/out")
        + "\n### ✅ `old` · within limits").path("id").asLong();
    gh.restub();
    Files.delete(summaryFile);
    Files.createDirectories(summaryFile); // the runner's file is a folder: writing the summary fails
    Run r = run();
    assertEquals(3, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("::error::the layer was built, but reporting it failed"), r.out());
    List<LoggedRequest> patches = gh.requests(patchRequestedFor(urlPathEqualTo(gh.commentPath(id))));
    String last = GitHubApiStub.body(patches.get(patches.size() - 1)).path("body").asText();
    assertTrue(last.contains("### ❌") && !last.contains("✅"), last);
    assertEquals(List.of("failed"), outputValues("result"), Files.readString(outputFile));
    assertEquals(0, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))), "no second comment");
  }

  @Test
  void outputFileThatCannotBeWritten_afterAGoodBuild_replacesTheGreenComment_exitThree() throws IOException {
    long id = gh.addComment("github-actions[bot]", "Bot", CommentRenderer.marker("build/out")
        + "\n### ✅ `old` · within limits").path("id").asLong();
    gh.restub();
    Files.delete(outputFile);
    Files.createDirectories(outputFile);
    Run r = run();
    assertEquals(3, r.code(), r.out() + r.err());
    List<LoggedRequest> patches = gh.requests(patchRequestedFor(urlPathEqualTo(gh.commentPath(id))));
    String last = GitHubApiStub.body(patches.get(patches.size() - 1)).path("body").asText();
    assertTrue(last.contains("### ❌") && last.contains("reporting it failed") && !last.contains("✅"), last);
    assertTrue(Files.readString(outDir().resolve("comment.md")).contains("reporting it failed"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"api.github.com", "localhost:8080", "ftp://api.example.com", "not a url"})
  void githubApiUrl_thatIsNoHttpUrl_afterAGoodBuild_isAWarning_andTheBuildsResultStands(String api)
      throws IOException {
    env.put("GITHUB_API_URL", api);
    Run r = run();
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("::warning::no pull request comment: GITHUB_API_URL "), r.out());
    assertEquals(List.of("ok"), outputValues("result"));
    assertTrue(Files.isRegularFile(outDir().resolve("comment.md")));
  }

  @Test
  void githubApiUrl_withoutScheme_withBaselineAuto_isANotice_andTheBuildGoesOn() throws IOException {
    env.put("GITHUB_API_URL", "api.github.com");
    env.put("GITHUB_BASE_REF", "main");
    env.put("GITHUB_WORKFLOW_REF", "octo-org/lambda-app/.github/workflows/layer.yml@refs/pull/7/merge");
    input("baseline", "auto");
    Run r = run();
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("::notice::no baseline: GITHUB_API_URL 'api.github.com' is not an http(s) URL"),
        r.out());
  }

  @Test
  void commentKeyWithADoubleHyphen_baselineAuto_findsTheArtifactNamedAsDocumented() throws IOException {
    String repo = "/repos/" + GitHubApiStub.OWNER + "/" + GitHubApiStub.REPO;
    env.put("GITHUB_BASE_REF", "main");
    env.put("GITHUB_WORKFLOW_REF", "octo-org/lambda-app/.github/workflows/layer.yml@refs/pull/7/merge");
    gh.repository().workflow("layer.yml").runs(List.of(gh.run(501, 40, GitHubApiStub.WORKFLOW_ID)));
    // the artifact the README's workflow uploads for comment-key api--v2: layerslim-<comment-key>
    gh.artifacts(501, gh.artifact(77, 501, "layerslim-api--v2", 800, false));
    gh.server.stubFor(get(urlPathEqualTo(repo + "/actions/artifacts/77/zip")).willReturn(aResponse().withStatus(404)));
    input("comment-key", "api--v2");
    input("baseline", "auto");
    Run r = run();
    assertEquals(0, r.code(), r.out() + r.err());
    // the artifact was found (its download is what failed here), not "no artifact layerslim-api-_v2"
    assertEquals(1, gh.count(getRequestedFor(urlPathEqualTo(repo + "/actions/artifacts/77/zip"))), r.out());
    assertFalse(r.out().contains("layerslim-api-_v2"), r.out());
    assertTrue(commentBodies().get(0).startsWith(CommentRenderer.marker("api--v2")), commentBodies().get(0));
  }

  @Test
  void commentKeysMyAppAndMy_app_neverShareAComment() throws IOException {
    input("comment-key", "my_app");
    assertEquals(0, run().code());
    String mine = commentBodies().get(0);
    input("comment-key", "my app");
    Run r = run();
    // refused before anything is built, naming the input; the comment of my_app is left alone
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("::error::input comment-key: 'my app' holds a space"), r.out());
    assertEquals(List.of(mine), commentBodies());
  }

  @Test
  void pipArgsConstraintOutsideTheWorkspace_isExitTwoNamingTheOption_andNoLineOfTheFileReachesTheComment()
      throws IOException {
    Path secret = Files.writeString(tmp.resolve("passwd"), "root:x:0:0:SecretLineOfAFileOutside:/root:/bin/sh\n");
    Files.writeString(workspace.resolve("requirements.txt"), "lstrust-fixture\n");
    input("site-packages", "");
    input("requirements", "requirements.txt");
    input("pip-args", "--no-index -f wheels -c " + workspace.relativize(secret));
    Run r = run();
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("::error::input pip-args: --constraint "), r.out());
    assertTrue(r.out().contains(" is outside the workspace"), r.out());
    assertFalse(r.out().contains("SecretLineOfAFileOutside"), r.out());
    for (String body : commentBodies()) {
      assertFalse(body.contains("SecretLineOfAFileOutside"), body);
    }
    assertEquals(List.of("failed"), outputValues("result"));
  }
}
