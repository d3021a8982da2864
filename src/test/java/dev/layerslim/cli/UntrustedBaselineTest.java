package dev.layerslim.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layerslim.github.ActionInputs;
import dev.layerslim.github.GitHubApiStub;
import dev.layerslim.github.RetryPolicy;
import dev.layerslim.python.SystemProcessRunner;
import dev.layerslim.reportfile.Markdown;
import dev.layerslim.testing.Wheels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action with a baseline it did not write: the base branch's artifact (someone else's file), a
 * baseline for another target, and data in a baseline (package names) that Markdown or the runner
 * would otherwise read as structure.
 */
class UntrustedBaselineTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String REPO = "/repos/" + GitHubApiStub.OWNER + "/" + GitHubApiStub.REPO;

  @TempDir static Path shared;
  static Path site;

  @TempDir Path ws;
  GitHubApiStub gh;
  Map<String, String> env;
  Path outputFile;
  Path summaryFile;

  record Run(int code, String out, String err) {}

  @BeforeAll
  static void installLayer() throws IOException {
    Path wheels = shared.resolve("wheels");
    Wheels.wheel("alpha", "1.0").file("alpha/__init__.py", "X = 1\n" + "# padding\n".repeat(200)).build(wheels);
    site = shared.resolve("site");
    Wheels.pipInstall(site, wheels, "alpha");
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
    Files.createDirectories(ws.resolve("repo"));
    env = new HashMap<>();
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_WORKSPACE", ws.resolve("repo").toString());
    env.put("GITHUB_EVENT_NAME", "pull_request");
    env.put("GITHUB_EVENT_PATH", payload.toString());
    env.put("GITHUB_REPOSITORY", GitHubApiStub.OWNER + "/" + GitHubApiStub.REPO);
    env.put("GITHUB_BASE_REF", "main");
    env.put("GITHUB_WORKFLOW_REF", GitHubApiStub.OWNER + "/" + GitHubApiStub.REPO
        + "/.github/workflows/layer.yml@refs/pull/7/merge");
    env.put("GITHUB_API_URL", gh.baseUrl());
    env.put("GITHUB_OUTPUT", outputFile.toString());
    env.put("GITHUB_STEP_SUMMARY", summaryFile.toString());
    for (String name : ActionInputs.NAMES) {
      env.put(ActionInputs.envName(name), "");
    }
    input("site-packages", site.toString());
    input("smoke-test", "false");
    input("strip", "false");
    input("output-dir", "build/layer-out");
    input("comment-key", "app");
    input("github-token", "ghs_test0123456789");
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
    CliRun r = CliRun.action(new ActionCommand(env, new SystemProcessRunner(),
              new RetryPolicy(2, Duration.ofMillis(1), Duration.ofSeconds(5))));
    return new Run(r.exitCode(), r.out(), r.err());
  }

  Path outDir() {
    return ws.resolve("repo/build/layer-out");
  }

  /** This layer's own report, built once on a push: the shape a baseline artifact holds. */
  ObjectNode ownReport() throws IOException {
    env.put("GITHUB_EVENT_NAME", "push");
    Run r = run();
    assertEquals(0, r.code(), r.out() + r.err());
    env.put("GITHUB_EVENT_NAME", "pull_request");
    Files.writeString(summaryFile, "");
    return (ObjectNode) JSON.readTree(outDir().resolve("report.json").toFile());
  }

  /** The base branch's newest push run with the artifact layerslim-app holding {@code reportJson}. */
  void artifact(String reportJson) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      z.putNextEntry(new ZipEntry("report.json"));
      z.write(reportJson.getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    gh.baseline("layerslim-app", bytes.toByteArray());
  }

  /**
   * baseline: auto whose artifact cannot be diffed against (malformed, another tool's, a newer
   * schema, a negative or overflowing size): a notice saying why, and the check goes on without a
   * diff; the comment is the build's, not a failure.
   */
  @Test
  void baselineAuto_anArtifactThatIsNoUsableReport_isANotice_andTheCheckGoesOn() throws IOException {
    ObjectNode good = ownReport();
    ObjectNode foreign = good.deepCopy();
    ((ObjectNode) foreign.path("tool")).put("name", "other-tool");
    ObjectNode newer = good.deepCopy().put("schemaVersion", 2);
    ObjectNode negative = good.deepCopy();
    ((ObjectNode) negative.path("totals")).put("unzippedBytes", -1);
    List<String[]> cases = List.of(
        new String[] {"{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":5},\"packages\":[1,2,3]}", "packages[0] is 1"},
        new String[] {foreign.toString(), "written by 'other-tool'"},
        new String[] {newer.toString(), "written by a newer layerslim"},
        new String[] {negative.toString(), "totals.unzippedBytes is negative"},
        new String[] {good.toString().replaceFirst("\"unzippedBytes\":\\d+", "\"unzippedBytes\":1e999"),
            "not a whole number"},
        new String[] {"{\"schemaVersion\":1,", "not valid JSON"});
    input("baseline", "auto");
    for (String[] c : cases) {
      artifact(c[0]);
      Files.writeString(outputFile, "");
      Run r = run();
      assertEquals(0, r.code(), c[1] + "\n" + r.out() + r.err());
      assertTrue(r.out().contains("::notice::no baseline: artifact layerslim-app of run 40 on main (9f8e7d6): "
          + "report.json is ") && r.out().contains(c[1]), r.out());
      assertFalse(r.out().contains("::error::"), r.out());
      assertFalse(JSON.readTree(outDir().resolve("report.json").toFile()).has("baseline"), c[1]);
      assertEquals("result=ok", Files.readAllLines(outputFile).stream().filter(l -> l.startsWith("result="))
          .findFirst().orElse(""));
      String body = Files.readString(outDir().resolve("comment.md"));
      assertFalse(body.contains("build failed"), body);
    }
  }

  /** A baseline built for another Python version and architecture is diffed, and every output says so. */
  @Test
  void aBaselineForAnotherTarget_isDiffed_withAWarningInTheLogTheReportAndTheComment() throws IOException {
    ObjectNode base = ownReport();
    ((ObjectNode) base.path("target")).put("python", "3.12").put("arch", "arm64");
    artifact(base.toString());
    input("baseline", "auto");
    Run r = run();
    assertEquals(0, r.code(), r.out() + r.err());
    String warning = "the baseline was built for python3.12 arm64, this build for python3.11 x86_64";
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("::warning::") && l.contains(warning)), r.out());
    JsonNode diff = JSON.readTree(outDir().resolve("report.json").toFile()).path("baseline");
    assertTrue(diff.path("warning").asText().contains(warning), diff.toString());
    assertTrue(Files.readString(outDir().resolve("report.md")).contains("⚠️ " + warning), "report.md");
    assertTrue(Files.readString(outDir().resolve("comment.md")).contains("⚠️ " + warning), "comment.md");
    assertTrue(Files.readString(summaryFile).contains("⚠️ " + warning), "summary");
  }

  /**
   * Package names in a baseline holding a line break, {@code ::}, {@code |}, backticks, {@code <!--}
   * or a link: report.md, the job summary and the comment show each as the same escaped text in its
   * table cell, none of them opens a comment, a code span or a link, and no log line is a command.
   */
  @Test
  void baselineNamesThatLookLikeMarkup_areEscapedTheSameWayInEveryOutput() throws IOException {
    ObjectNode base = ownReport();
    List<String> names = List.of("evil\n::error::pwned", "pipe|cell", "tick`s", "hide<!--", "[x](https://e.example)",
        "back\\slash");
    ArrayNode packages = (ArrayNode) base.path("packages");
    for (String n : names) {
      packages.addObject().put("name", n).put("version", "1.0\n::warning::v").put("unzippedBytes", 100)
          .put("zippedBytes", 10);
    }
    Path baseFile = ws.resolve("repo/baseline.json");
    JSON.writeValue(baseFile.toFile(), base);
    input("baseline", "baseline.json");
    Run r = run();
    assertEquals(0, r.code(), r.out() + r.err());
    Map<String, String> outputs = Map.of("report.md", Files.readString(outDir().resolve("report.md")),
        "summary", Files.readString(summaryFile), "comment.md", Files.readString(outDir().resolve("comment.md")));
    outputs.forEach((what, text) -> {
      for (String n : names) {
        String cell = "| " + Markdown.cell(n) + " | ";
        assertTrue(text.contains(cell), what + " lacks " + cell + "\n" + text);
      }
      // the only comment is the sticky comment's own marker
      assertEquals(text.contains("<!-- layerslim:") ? 1 : 0, text.split("<!--", -1).length - 1, what + "\n" + text);
      assertFalse(text.contains("](https://e.example)") && !text.contains("\\](https://e.example)"), what);
      assertTrue(text.lines().noneMatch(l -> l.startsWith("::")), what + "\n" + text);
    });
    assertTrue(Markdown.cell("pipe|cell").equals("pipe\\|cell") && Markdown.cell("hide<!--").equals("hide&lt;!--"));
    assertTrue((r.out() + r.err()).lines().noneMatch(l -> l.strip().startsWith("::error::pwned")
        || l.strip().startsWith("::warning::v")), r.out());
  }

  /**
   * Names and versions in someone else's baseline that read as a mention or an issue reference
   * ({@code @octocat}, {@code @org/team}, {@code org/repo#12}) notify nobody from the comment: each
   * is shown with a zero-width space after {@code @} (before the digit after {@code #}).
   */
  @Test
  void baselineNamesThatMentionSomeone_pingNobody() throws IOException {
    ObjectNode base = ownReport();
    ArrayNode packages = (ArrayNode) base.path("packages");
    packages.addObject().put("name", "@octocat").put("version", "@org/team").put("unzippedBytes", 100)
        .put("zippedBytes", 10);
    packages.addObject().put("name", "octo-org/lambda-app#12").put("version", "1.0").put("unzippedBytes", 100)
        .put("zippedBytes", 10);
    JSON.writeValue(ws.resolve("repo/baseline.json").toFile(), base);
    input("baseline", "baseline.json");
    Run r = run();
    assertEquals(0, r.code(), r.out() + r.err());
    String comment = Files.readString(outDir().resolve("comment.md"));
    assertTrue(comment.contains("| @\u200boctocat | @\u200borg/team |"), comment);
    assertTrue(comment.contains("| octo-org/lambda-app#\u200b12 |"), comment);
    assertFalse(java.util.regex.Pattern.compile("@(octocat|org/team)|#12").matcher(comment).find(), comment);
  }
}
