package dev.layerslim.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.layerslim.github.ActionInputs;
import dev.layerslim.github.CommentRenderer;
import dev.layerslim.github.GitHubApiStub;
import dev.layerslim.github.GitHubHttp;
import dev.layerslim.github.RetryPolicy;
import dev.layerslim.python.SystemProcessRunner;
import dev.layerslim.testing.Wheels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code layerslim action} in a simulated runner: INPUT_*, GITHUB_* and a WireMock GitHub. */
class ActionCommandTest {
  static final String TOKEN = "ghs_S3cr3tT0kenValue0123456789abcdef";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  static Path site;

  @TempDir Path ws;
  GitHubApiStub gh;
  Map<String, String> env;
  Path outputFile;
  Path summaryFile;
  RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(200));

  /** Runs the action once. */
  record Run(int code, String out, String err) {}

  @BeforeAll
  static void installLayer() throws IOException {
    Path wheels = shared.resolve("wheels");
    Wheels.wheel("alpha", "1.0").file("alpha/__init__.py", "X = 1\n" + "# padding\n".repeat(2000)).build(wheels);
    Wheels.wheel("beta-lib", "2.1").file("beta_lib/__init__.py", "Y = 2\n").build(wheels);
    site = shared.resolve("site");
    Wheels.pipInstall(site, wheels, "alpha", "beta-lib");
  }

  @BeforeEach
  void runner() throws IOException {
    gh = new GitHubApiStub();
    Path payload = ws.resolve("event.json");
    try (InputStream in = getClass().getResourceAsStream("/dev/layerslim/github/pull_request_event.json")) {
      Files.write(payload, in.readAllBytes());
    }
    outputFile = ws.resolve("runner/output.txt");
    summaryFile = ws.resolve("runner/summary.md");
    Files.createDirectories(outputFile.getParent());
    Files.writeString(outputFile, "");
    Files.writeString(summaryFile, "");
    Path workspace = ws.resolve("repo");
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
    // The runner sets every declared input; unset ones are empty strings.
    for (String name : ActionInputs.NAMES) {
      env.put(ActionInputs.envName(name), "");
    }
    input("site-packages", site.toString());
    input("smoke-test", "false");
    input("strip", "false");
    input("output-dir", "build/layer-out");
    input("github-token", TOKEN);
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
    return Path.of(env.get("GITHUB_WORKSPACE")).resolve("build/layer-out");
  }

  static Map<String, String> outputs(Path file) throws IOException {
    Map<String, String> m = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.contains("<<")) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return m;
  }

  @Test
  void pullRequest_firstRunCreatesTheComment_secondUpdatesIt_andOutputsSummaryAndCommentFileAreWritten()
      throws IOException {
    gh.user(null).standard();
    Run first = run();
    assertEquals(0, first.code(), first.out() + first.err());
    assertEquals(1, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))));
    LoggedRequest post = gh.requests(postRequestedFor(urlPathEqualTo(gh.commentsPath()))).get(0);
    String body = GitHubApiStub.body(post).path("body").asText();
    assertTrue(body.startsWith(CommentRenderer.marker("build/layer-out")), body);
    assertTrue(body.contains("| alpha | 1.0 |") && body.contains("| beta-lib | 2.1 |"), body);
    assertEquals(body, Files.readString(outDir().resolve("comment.md")));
    // the prune step's own report section reaches the comment (the dist-info rule always saves bytes)
    assertTrue(body.contains("<details><summary>Pruning removed"), body);

    Map<String, String> o = outputs(outputFile);
    // relative to the workspace: the container's /github/workspace is GITHUB_WORKSPACE on the host
    assertEquals("build/layer-out/layer.zip", o.get("layer-zip"));
    assertEquals("build/layer-out/layer", o.get("layer-dir"));
    assertEquals("build/layer-out/report.json", o.get("report-json"));
    assertEquals("build/layer-out/report.md", o.get("report-md"));
    assertEquals("build/layer-out/comment.md", o.get("comment-body"));
    assertEquals("false", o.get("exceeded"));
    assertEquals("ok", o.get("result"));
    assertEquals(1, Files.readAllLines(outputFile).stream().filter(l -> l.startsWith("comment-body")).count());
    assertEquals(1, gh.count(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo("/user"))),
        "GET /user once per run");
    JsonNode report = JSON.readTree(outDir().resolve("report.json").toFile());
    assertEquals(report.path("totals").path("unzippedBytes").asText(), o.get("unzipped-bytes"));
    assertEquals(String.valueOf(Files.size(outDir().resolve("layer.zip"))), o.get("zipped-bytes"));
    // the summary leads with the comment's block, then report.md
    String summary = Files.readString(summaryFile);
    assertTrue(summary.startsWith("### ✅ `" + site + "` · within limits: "), summary);
    assertTrue(body.contains(summary.substring(0, summary.indexOf("\n---\n"))), summary);
    assertTrue(summary.strip().endsWith(Files.readString(outDir().resolve("report.md")).strip()), summary);
    assertTrue(first.out().contains("::group::") && first.out().contains("::endgroup::"), first.out());

    // GitHub now lists the bot's comment: the second run edits it in place.
    long id = gh.addComment("github-actions[bot]", "Bot", body).path("id").asLong();
    gh.restub();
    Run second = run();
    assertEquals(0, second.code(), second.out() + second.err());
    assertEquals(1, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))), "no second POST");
    assertEquals(1, gh.count(patchRequestedFor(urlPathEqualTo(gh.commentPath(id)))));
    assertTrue(second.out().contains("updated the comment on #7"), second.out());

    assertTokenOnlyInTheMaskCommand(first, second);
  }

  void assertTokenOnlyInTheMaskCommand(Run... runs) throws IOException {
    for (Run r : runs) {
      assertTrue(r.out().startsWith("::add-mask::" + TOKEN + System.lineSeparator()), "mask comes first");
      String rest = r.out().substring(("::add-mask::" + TOKEN).length());
      assertFalse(rest.contains(TOKEN), "token printed after the mask");
      assertFalse(r.err().contains(TOKEN), "token on stderr");
    }
    assertFalse(Files.readString(outputFile).contains(TOKEN), "token in GITHUB_OUTPUT");
    assertFalse(Files.readString(summaryFile).contains(TOKEN), "token in the summary");
    try (var files = Files.walk(outDir())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(TOKEN), "token in " + f);
      }
    }
    for (LoggedRequest req : gh.requests(anyRequestedFor(anyUrl()))) {
      assertFalse(req.getBodyAsString().contains(TOKEN), "token in a request body");
    }
  }

  @Test
  void forbiddenComment_isAWarningAndTheCheckPasses() throws IOException {
    gh.user(null).standard();
    gh.created(403);
    Run r = run();
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("::warning::no pull request comment: no permission for commenting on #7 (HTTP 403)"),
        r.out());
    assertEquals("false", outputs(outputFile).get("exceeded"));
    assertTrue(Files.isRegularFile(outDir().resolve("comment.md")), "comment.md for the workflow_run pattern");
    assertTokenOnlyInTheMaskCommand(r);
  }

  @Test
  void limitExceeded_exitsOneWithAnErrorAnnotationAndExceededOutput() throws IOException {
    gh.user(null).standard();
    input("max-unzipped", "1KB");
    Run r = run();
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().lines().filter(l -> l.startsWith("::error::unzipped size ")).count() == 1, r.out());
    assertEquals("true", outputs(outputFile).get("exceeded"));
    assertEquals("exceeded", outputs(outputFile).get("result"));
    String body = GitHubApiStub.body(gh.requests(postRequestedFor(urlPathEqualTo(gh.commentsPath()))).get(0))
        .path("body").asText();
    assertTrue(body.contains("### ❌ `" + site + "` · over the unzipped budget: "), body);
    assertTrue(body.contains("If this size is wanted, raise `max-unzipped` to at least "), body);
  }

  @Test
  void badBooleanInput_exitsTwoNamingTheInput_andTheCommentSaysTheBuildFailed() throws IOException {
    gh.user(null).standard();
    input("prune-unused", "yes");
    Run r = run();
    assertEquals(2, r.code());
    assertTrue(r.out().contains("::error::input prune-unused: 'yes' is not a boolean"), r.out());
    String body = GitHubApiStub.body(gh.requests(postRequestedFor(urlPathEqualTo(gh.commentsPath()))).get(0))
        .path("body").asText();
    assertTrue(body.startsWith(CommentRenderer.marker("build/layer-out")), body);
    assertTrue(body.contains("· build failed before it started\n\ninput prune-unused: 'yes' is not a boolean"), body);
    assertEquals("failed", outputs(outputFile).get("result"));
  }

  @Test
  void failedBuild_replacesThePreviousGreenComment_andWritesSummaryAndOutputs() throws IOException {
    gh.user(null).standard();
    long id = gh.addComment("github-actions[bot]", "Bot", CommentRenderer.marker("build/layer-out")
        + "\n### ✅ layerslim: `build/layer-out`").path("id").asLong();
    gh.restub();
    Path app = Path.of(env.get("GITHUB_WORKSPACE")).resolve("app.py");
    Files.writeString(app, "import alpha\nimport not_installed_anywhere\n");
    input("handler", "app.py");
    input("smoke-test", "true");
    Run r = run();
    assertEquals(3, r.code(), r.out() + r.err());
    assertEquals(0, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))), "no second comment");
    String body = GitHubApiStub.body(gh.requests(patchRequestedFor(urlPathEqualTo(gh.commentPath(id)))).get(0))
        .path("body").asText();
    assertTrue(body.matches("(?s).*### ❌ `[^`]+` · build failed at step smoke[a-z-]*\n\n[^\n]*not_installed_anywhere.*"),
        body);
    assertFalse(body.contains("✅"), body);
    Map<String, String> o = outputs(outputFile);
    assertEquals("failed", o.get("result"));
    assertEquals("false", o.get("exceeded"));
    assertEquals("build/layer-out/comment.md", o.get("comment-body"));
    String commentMd = Files.readString(outDir().resolve("comment.md"));
    assertTrue(commentMd.contains("build failed at step smoke") && commentMd.contains("not_installed_anywhere"), commentMd);
    assertTrue(Files.readString(summaryFile).contains("build failed at step smoke"), Files.readString(summaryFile));
    assertTokenOnlyInTheMaskCommand(r);
  }

  @Test
  void anApiThatNeverAnswers_costsTheDeadline_aWarning_notAHangNorAFailedCheck() throws IOException {
    gh.standard();
    gh.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(anyUrl())
        .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200).withFixedDelay(240_000)));
    policy = new RetryPolicy(policy.attempts(), policy.firstDelay(), policy.maxTotal(),
        new GitHubHttp.Timeouts(Duration.ofMillis(500), Duration.ofSeconds(180), Duration.ofSeconds(2)));
    long start = System.nanoTime();
    Run r = run();
    long phaseMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("::warning::no pull request comment: GitHub did not answer within 2 s in all"),
        r.out());
    assertEquals("ok", outputs(outputFile).get("result"));
    // the read timeout (180 s) alone would not have ended it before 180 s; the build itself takes a few
    // seconds, a minute even on a loaded machine, so the bound tells the deadline from the read timeout
    assertTrue(phaseMs < 120_000, phaseMs + " ms");
  }

  @Test
  void tokenPastedIntoAnInput_isRedactedInReportJsonToo() throws IOException {
    gh.user(null).standard();
    input("exclude", "nothing-matches-" + TOKEN + "/**");
    Run r = run();
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(Files.readString(outDir().resolve("report.json")).contains("nothing-matches-***/**"));
    assertTokenOnlyInTheMaskCommand(r);
  }

  @Test
  void anInputPathWithANewline_cannotRaiseAnAnnotation() throws IOException {
    env.put("GITHUB_EVENT_NAME", "push");
    Path evil = Path.of(env.get("GITHUB_WORKSPACE")).resolve("site\n::error::X");
    Files.createSymbolicLink(evil, site);
    input("site-packages", "site\n::error::X");
    Run r = run();
    assertFalse(r.out().lines().anyMatch(l -> l.strip().startsWith("::error::X")), r.out());
    assertTrue(r.out().contains("%3A:error::X"), r.out());
  }

  /** A tag's release whose upload_url is this stub server; uploads answer with the bytes they got. */
  private void releaseFor(String tag) {
    String repo = "/repos/" + GitHubApiStub.OWNER + "/" + GitHubApiStub.REPO;
    gh.standard();
    gh.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo(repo + "/releases/tags/" + tag))
        .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"id\":42,\"tag_name\":\"" + tag
            + "\",\"upload_url\":\"" + gh.baseUrl() + repo + "/releases/42/assets{?name,label}\",\"assets\":[]}")));
    gh.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo(repo + "/releases/42/assets"))
        .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("[]")));
    gh.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo(repo + "/releases/42/assets"))
        .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(201)
            .withHeader("Content-Type", "application/json")
            .withBody("{\"id\":9,\"name\":\"{{request.query.name}}\",\"size\":{{request.headers.Content-Length}},"
                + "\"state\":\"uploaded\",\"browser_download_url\":\"https://example.invalid/{{request.query.name}}\"}")
            .withTransformers("response-template")));
  }

  @Test
  void releaseTag_uploadsZipAndReportNamedAfterTheRuntime_andListsTheirUrls() throws IOException {
    env.put("GITHUB_EVENT_NAME", "push");
    releaseFor("v2.0.0");
    input("release-tag", "v2.0.0");
    Run r = run();
    assertEquals(0, r.code(), r.out() + r.err());
    String assets = "/repos/" + GitHubApiStub.OWNER + "/" + GitHubApiStub.REPO + "/releases/42/assets";
    java.util.List<LoggedRequest> uploads = gh.requests(postRequestedFor(urlPathEqualTo(assets)));
    assertEquals(2, uploads.size());
    assertEquals(java.util.Set.of("layer-python3.11-x86_64.zip", "report-python3.11-x86_64.json"),
        java.util.Set.of(uploads.get(0).queryParameter("name").firstValue(),
            uploads.get(1).queryParameter("name").firstValue()));
    LoggedRequest zip = uploads.stream().filter(u -> u.getUrl().contains(".zip")).findFirst().orElseThrow();
    assertEquals("application/zip", zip.getHeader("Content-Type"));
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(outDir().resolve("layer.zip")), zip.getBody()));
    String out = Files.readString(outputFile);
    assertTrue(out.contains("https://example.invalid/layer-python3.11-x86_64.zip"), out);
    assertTokenOnlyInTheMaskCommand(r);
  }

  @Test
  void releaseTag_aLayerOverItsLimitIsNotReleased() throws IOException {
    env.put("GITHUB_EVENT_NAME", "push");
    releaseFor("v2.0.0");
    input("release-tag", "v2.0.0");
    input("max-unzipped", "1KiB");
    Run r = run();
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("not uploading to release v2.0.0"), r.out());
    assertEquals(0, gh.count(postRequestedFor(anyUrl())));
  }

  @Test
  void pushEvent_writesCommentMdButPostsNothingAndSaysWhy() throws IOException {
    env.put("GITHUB_EVENT_NAME", "push");
    Run r = run();
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("no pull request comment: the event is 'push'"), r.out());
    assertTrue(Files.readString(outDir().resolve("comment.md")).startsWith("<!-- layerslim:build/layer-out -->"));
    assertEquals(0, gh.count(anyRequestedFor(anyUrl())));
  }

  @Test
  void baseline_commentShowsAddedRemovedAndGrownRows_andMaxGrowthFailsTheCheck() throws IOException {
    env.put("GITHUB_EVENT_NAME", "push");
    assertEquals(0, run().code());
    ObjectNode base = (ObjectNode) JSON.readTree(outDir().resolve("report.json").toFile());
    ArrayNode packages = (ArrayNode) base.path("packages");
    for (int i = packages.size() - 1; i >= 0; i--) {
      ObjectNode p = (ObjectNode) packages.get(i);
      if (p.path("name").asText().equals("beta-lib")) {
        packages.remove(i); // so beta-lib is new in this PR
      } else if (p.path("name").asText().equals("alpha")) {
        p.put("unzippedBytes", p.path("unzippedBytes").asLong() - 5000).put("version", "0.9");
      }
    }
    packages.addObject().put("name", "old-dep").put("version", "3.0").put("unzippedBytes", 777).put("used", true);
    ((ObjectNode) base.path("totals")).put("unzippedBytes", base.path("totals").path("unzippedBytes").asLong() - 5000);
    Path baseFile = ws.resolve("repo/baseline/report.json");
    Files.createDirectories(baseFile.getParent());
    JSON.writeValue(baseFile.toFile(), base);

    env.put("GITHUB_EVENT_NAME", "pull_request");
    gh.user(null).standard();
    input("baseline", "baseline/report.json");
    input("max-growth", "1000");
    Run r = run();
    assertEquals(1, r.code(), r.out() + r.err());
    // the action's own language: binary units and the input's name, never a CLI flag or raw bytes
    assertTrue(r.out().lines().anyMatch(l -> l.matches("::error::growth [0-9.]+ KiB exceeds max-growth: 1000B")),
        r.out());
    assertFalse(r.out().lines().anyMatch(l -> l.startsWith("::") && (l.contains("--") || l.contains(" bytes"))),
        r.out());
    assertFalse(Files.readString(outDir().resolve("report.md")).contains("--max-growth"));
    String body = Files.readString(outDir().resolve("comment.md"));
    assertTrue(body.matches("(?s).*### ❌ `[^`]+` · over the growth budget: \\+[0-9.]+ KiB against a 1000 B budget\n.*"),
        body);
    assertTrue(body.matches("(?s).*\\| beta-lib \\| 2\\.1 \\| [0-9.]+ (B|KiB) \\| \\+[0-9.]+ (B|KiB), added \\|.*"), body);
    assertTrue(body.contains("| old-dep | 3.0 | — | -777 B, removed |"), body);
    assertTrue(body.matches("(?s).*\\| alpha \\| 0\\.9 → 1\\.0 \\| [0-9.]+ KiB \\| \\+4\\.9 KiB \\(\\+[0-9.]+ %\\) \\|.*"), body);
    assertTrue(body.contains("raise `max-growth` to at least 1 MiB: `max-growth: 1MiB`"), body);
    JsonNode diff = JSON.readTree(outDir().resolve("report.json").toFile()).path("baseline");
    assertEquals(5000, diff.path("deltaBytes").asLong());
    assertEquals("beta-lib", diff.path("added").get(0).path("name").asText());
    assertEquals("old-dep", diff.path("removed").get(0).path("name").asText());
    assertEquals(5000, diff.path("changed").get(0).path("deltaBytes").asLong());
    assertTrue(Files.readString(outDir().resolve("report.md")).contains("## Against the baseline"));
  }

  @Test
  void baselineAuto_withNoRunOnTheBaseBranch_isANoticeAndTheBuildGoesOn() throws IOException {
    gh.user(null).standard();
    env.put("GITHUB_BASE_REF", "main");
    env.put("GITHUB_WORKFLOW_REF", "octo-org/lambda-app/.github/workflows/layer.yml@refs/pull/7/merge");
    gh.workflow("layer.yml").runs();
    input("baseline", "auto");
    Run r = run();
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("::notice::no baseline: no successful push run of layer.yml on main yet"), r.out());
    assertFalse(JSON.readTree(outDir().resolve("report.json").toFile()).has("baseline"));
    assertEquals("ok", outputs(outputFile).get("result"));
  }

  @Test
  void missingBaseline_exitsTwoNamingIt() {
    input("baseline", "nowhere/report.json");
    Run r = run();
    assertEquals(2, r.code());
    assertTrue(r.out().contains("::error::input baseline: ") && r.out().contains("nowhere/report.json"), r.out());
  }

  @Test
  void secondLayerIntoTheSameOutputDirInOneJob_isRefused_andTheFirstCommentIsLeftAlone() throws Exception {
    env.put("GITHUB_RUN_ID", "4242");
    env.put("GITHUB_RUN_ATTEMPT", "1");
    env.put("GITHUB_JOB", "layers");
    Run first = run();
    assertEquals(0, first.code(), first.out() + first.err());
    int requests = gh.count(anyRequestedFor(anyUrl()));

    Run second = run();

    assertEquals(2, second.code(), second.out() + second.err());
    assertTrue(second.out().contains("was already written by an earlier layerslim step of this job"), second.out());
    assertEquals(requests, gh.count(anyRequestedFor(anyUrl())), "no comment was posted over the first layer's");
    assertTrue(Files.exists(ws.resolve("repo/build/layer-out/layer.zip")), "the first layer is still there");

    // a re-run of the job (a new attempt) builds again
    env.put("GITHUB_RUN_ATTEMPT", "2");
    Run rerun = run();
    assertEquals(0, rerun.code(), rerun.out() + rerun.err());
  }
}
