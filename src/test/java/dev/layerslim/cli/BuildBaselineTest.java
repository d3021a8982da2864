package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import dev.layerslim.github.ActionInputs;
import dev.layerslim.github.BaselineFinder;
import dev.layerslim.github.GitHubApiStub;
import dev.layerslim.github.RetryPolicy;
import dev.layerslim.testing.Wheels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code layerslim build --baseline FILE|auto --max-growth SIZE}. */
class BuildBaselineTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  int build(StringWriter err, String... extra) {
    String[] base = {"build", "--site-packages", dir.resolve("site").toString(), "--no-smoke", "--no-strip",
        "-o", dir.resolve("out").toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
  }

  @Test
  void baseline_addsTheDiffSection_andGrowthBeyondMaxGrowthExitsOne() throws IOException {
    Wheels.wheel("alpha", "1.0").file("alpha/__init__.py", "X = 1\n".repeat(500)).build(dir.resolve("w"));
    Wheels.pipInstall(dir.resolve("site"), dir.resolve("w"), "alpha");
    assertEquals(0, build(new StringWriter()));
    ObjectNode base = (ObjectNode) JSON.readTree(dir.resolve("out/report.json").toFile());
    ((ObjectNode) base.path("totals")).put("unzippedBytes", base.path("totals").path("unzippedBytes").asLong() - 2000);
    ObjectNode alpha = (ObjectNode) base.path("packages").get(0);
    alpha.put("unzippedBytes", alpha.path("unzippedBytes").asLong() - 2000);
    Path baseFile = dir.resolve("base.json");
    JSON.writeValue(baseFile.toFile(), base);

    StringWriter err = new StringWriter();
    assertEquals(1, build(err, "--baseline", baseFile.toString(), "--max-growth", "1kB"), err.toString());
    assertTrue(err.toString().contains("growth 2.0 KiB exceeds --max-growth 1000B"), err.toString());
    JsonNode diff = JSON.readTree(dir.resolve("out/report.json").toFile()).path("baseline");
    assertEquals(2000, diff.path("deltaBytes").asLong());
    assertEquals("alpha", diff.path("changed").get(0).path("name").asText());
    assertEquals(2000, diff.path("changed").get(0).path("deltaBytes").asLong());
    assertEquals(0, diff.path("added").size());
    assertEquals(0, build(new StringWriter(), "--baseline", baseFile.toString(), "--max-growth", "5kB"));
  }

  @Test
  void missingOrMalformedBaseline_exitsTwoNamingTheFile() throws IOException {
    Files.createDirectories(dir.resolve("site"));
    StringWriter err = new StringWriter();
    assertEquals(2, build(err, "--baseline", dir.resolve("none.json").toString()));
    assertTrue(err.toString().contains("--baseline " + dir.resolve("none.json") + ": no such file"), err.toString());
    Files.writeString(dir.resolve("bad.json"), "[1, 2]");
    err = new StringWriter();
    assertEquals(2, build(err, "--baseline", dir.resolve("bad.json").toString()));
    assertTrue(err.toString().contains("bad.json: not a layerslim report.json"), err.toString());
  }

  /** {@code build} with {@code env} as its environment (what {@code --baseline auto} reads). */
  int buildIn(Map<String, String> env, StringWriter out, StringWriter err, String... args) {
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        K made = CommandLine.defaultFactory().create(cls);
        if (made instanceof BuildCommand b) {
          b.env = env;
          b.retry = new RetryPolicy(1, Duration.ofMillis(1), Duration.ofSeconds(5));
        }
        return made;
      }
    };
    return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), factory).execute(args);
  }

  @Test
  void baselineAuto_inAPullRequestJob_diffsAgainstTheBaseBranchsArtifact() throws IOException {
    Wheels.wheel("alpha", "1.0").file("alpha/__init__.py", "X = 1\n".repeat(500)).build(dir.resolve("w"));
    Wheels.wheel("beta", "2.0").file("beta/__init__.py", "Y = 2\n").build(dir.resolve("w"));
    Wheels.pipInstall(dir.resolve("site"), dir.resolve("w"), "alpha", "beta");
    assertEquals(0, build(new StringWriter()));
    // the base branch's layer had no alpha
    ObjectNode base = (ObjectNode) JSON.readTree(dir.resolve("out/report.json").toFile());
    com.fasterxml.jackson.databind.node.ArrayNode packages = (com.fasterxml.jackson.databind.node.ArrayNode)
        base.path("packages");
    for (int i = packages.size() - 1; i >= 0; i--) {
      if (packages.get(i).path("name").asText().equals("alpha")) {
        ObjectNode totals = (ObjectNode) base.path("totals");
        totals.put("unzippedBytes", totals.path("unzippedBytes").asLong() - packages.get(i).path("unzippedBytes").asLong());
        packages.remove(i);
      }
    }
    String out = dir.resolve("out").toString();
    String repo = "/repos/" + GitHubApiStub.OWNER + "/" + GitHubApiStub.REPO;
    String artifact = BaselineFinder.artifactName(ActionInputs.safeCommentKey(out));
    try (GitHubApiStub gh = new GitHubApiStub()) {
      gh.baseline(artifact, zip("report.json", JSON.writeValueAsBytes(base)));
      Map<String, String> env = new HashMap<>();
      env.put("GITHUB_ACTIONS", "true");
      env.put("GITHUB_EVENT_NAME", "pull_request");
      env.put("GITHUB_REPOSITORY", GitHubApiStub.OWNER + "/" + GitHubApiStub.REPO);
      env.put("GITHUB_BASE_REF", "main");
      env.put("GITHUB_WORKFLOW_REF", GitHubApiStub.OWNER + "/" + GitHubApiStub.REPO
          + "/.github/workflows/layer.yml@refs/pull/7/merge");
      env.put("GITHUB_API_URL", gh.baseUrl());
      env.put("GITHUB_TOKEN", "ghs_test0123456789");
      StringWriter o = new StringWriter();
      StringWriter e = new StringWriter();
      int code = buildIn(env, o, e, "build", "--site-packages", dir.resolve("site").toString(), "--no-smoke",
          "--no-strip", "-o", out, "--baseline", "auto", "--max-growth", "1B");
      assertEquals(1, code, o + "\n" + e);
      assertTrue(o.toString().contains("baseline: report.json from artifact " + artifact + " of run 40 on main (9f8e7d6)"),
          o.toString());
      JsonNode diff = JSON.readTree(dir.resolve("out/report.json").toFile()).path("baseline");
      assertEquals("alpha", diff.path("added").get(0).path("name").asText(), diff.toString());
      assertTrue(e.toString().contains("growth ") && e.toString().contains(" exceeds --max-growth 1B"), e.toString());
      assertEquals(1, gh.count(getRequestedFor(urlPathEqualTo(GitHubApiStub.blobPath(77)))));
    }
  }

  @Test
  void baselineAuto_outsideActions_exitsTwoSayingWhere_andInAPushJobBuildsWithoutOne() throws IOException {
    Files.createDirectories(dir.resolve("site"));
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    String[] args = {"build", "--site-packages", dir.resolve("site").toString(), "--no-smoke", "-o",
        dir.resolve("out").toString(), "--baseline", "auto"};
    assertEquals(2, buildIn(Map.of(), o, e, args), o + "\n" + e);
    assertTrue(e.toString().contains("--baseline auto works in a GitHub Actions job"), e.toString());
    o = new StringWriter();
    e = new StringWriter();
    assertEquals(0, buildIn(Map.of("GITHUB_REPOSITORY", "octo-org/lambda-app", "GITHUB_EVENT_NAME", "push",
        "GITHUB_TOKEN", "ghs_x", "GITHUB_API_URL", "http://127.0.0.1:9"), o, e, args), o + "\n" + e);
    assertTrue(o.toString().contains("no baseline: the event is 'push', not a pull request"), o.toString());
    assertTrue(!JSON.readTree(dir.resolve("out/report.json").toFile()).has("baseline"));
  }

  static byte[] zip(String name, byte[] content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      z.putNextEntry(new ZipEntry(name));
      z.write(content);
      z.closeEntry();
    }
    return bytes.toByteArray();
  }
}
