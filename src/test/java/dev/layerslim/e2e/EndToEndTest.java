package dev.layerslim.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.layerslim.github.ActionInputs;
import dev.layerslim.github.GitHubApiStub;
import dev.layerslim.testing.Wheels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The CLI as users run it, as a child process: the native binary when {@code -Dlayerslim.bin=PATH}
 * names one (.ci/run builds it), else {@code java -jar target/layerslim.jar} (this suite runs in the
 * integration-test phase of {@code mvn -B verify}, after the jar is built). One suite serves both.
 * Everything is local: wheels built here and installed by the real pip with {@code --no-index},
 * GitHub played by WireMock over plain http (as a GitHub Enterprise Server on http would be).
 */
@Execution(ExecutionMode.CONCURRENT)
final class EndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "ghs_E2eS3cr3tT0kenValue0123456789abcd";
  private static final String INDEX_TOKEN = "pypi-E2eIndexT0ken0123456789";

  @TempDir static Path shared;
  static Path wheels;
  static Path requirements;
  static Path handler;
  static String python;
  static final Cli CLI = Cli.underTest();

  @TempDir Path tmp;

  @BeforeAll
  static void buildWheelsAndHandler() throws IOException {
    System.out.println("[e2e] layerslim under test: " + CLI);
    python = Wheels.hostPython();
    wheels = shared.resolve("wheels");
    // a C extension built with -g (strip has debug sections to remove), tagged as pip's targeted
    // install for Lambda's glibc accepts it
    Path ext = Wheels.compileExtension(shared.resolve("ext"), "_speedups");
    String tag = Wheels.hostWheelTag().replaceFirst("linux_", "manylinux2014_");
    Wheels.wheel("fastgeo", "1.0")
        .file("fastgeo/__init__.py", "from fastgeo._speedups import answer\nfrom fastgeo import shapes\n")
        .file("fastgeo/shapes.py", "def area(w, h):\n    return w * h\n")
        .file("fastgeo/_speedups" + Wheels.extSuffix(), ext)
        .file("fastgeo/tests/test_shapes.py", "def test_area():\n    assert True\n")
        .tag(tag)
        .requires("purehelper>=0.1")
        .build(wheels);
    Wheels.wheel("purehelper", "0.3").file("purehelper/__init__.py", "VALUE = 'x' * 1000\n").build(wheels);
    Wheels.wheel("nobodyimports", "2.0").file("nobodyimports/__init__.py", "Z = 'z' * 5000\n").build(wheels);
    requirements = Files.writeString(shared.resolve("requirements.txt"), "fastgeo\nnobodyimports\n");
    handler = Files.writeString(Files.createDirectories(shared.resolve("src")).resolve("app.py"),
        "import fastgeo\nimport purehelper\n\n\ndef handler(event, context):\n"
            + "    return {'answer': fastgeo.answer(), 'area': fastgeo.shapes.area(2, 3), 'n': len(purehelper.VALUE)}\n");
  }

  private static String[] buildArgs(Path out) {
    return new String[] {"build", "-r", requirements.toString(), "--no-index", "--find-links", wheels.toString(),
        "--handler", handler.toString(), "--handler-function", "app.handler", "--python", python,
        "--prune-unused", "-o", out.toString()};
  }

  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<String> entries(Path zip) throws IOException {
    Set<String> names = new TreeSet<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      z.stream().map(ZipEntry::getName).forEach(names::add);
    }
    return names;
  }

  @Test
  void version_printsThePomVersion() throws IOException {
    Properties p = new Properties();
    try (InputStream in = EndToEndTest.class.getResourceAsStream("/dev/layerslim/version.properties")) {
      p.load(in);
    }
    String version = p.getProperty("version");
    assertTrue(version != null && !version.isBlank() && !version.contains("${"), "version.properties: " + p);

    Cli.Result r = CLI.run(tmp, Map.of(), "--version");

    assertEquals(0, r.code(), r.both());
    assertTrue(r.out().startsWith("layerslim " + version + System.lineSeparator()), r.both());
  }

  private static Path builtOut;
  private static Cli.Result built;

  /** The build of {@link #buildArgs} by the CLI under test, run once for the tests that look at it. */
  private static synchronized Cli.Result built() throws IOException {
    if (built == null) {
      builtOut = shared.resolve("built");
      built = CLI.run(Files.createDirectories(shared.resolve("built-cwd")), Map.of(), buildArgs(builtOut));
    }
    return built;
  }

  @Test
  void build_installsStripsSmokeTestsAndCompilesTheColdPath() throws IOException {
    Cli.Result r = built();
    Path out = builtOut;

    assertEquals(0, r.code(), r.both());
    assertFalse(r.err().contains("\tat dev.layerslim"), "no stack trace: " + r.err());
    JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
    assertEquals(List.of(), JSON.convertValue(report.path("failures"), List.class));
    assertEquals(Files.size(out.resolve("layer.zip")), report.path("totals").path("zippedBytes").asLong());
    // strip: the -g extension lost its debug sections
    JsonNode strip = report.path("strip");
    assertTrue(strip.path("bytesSaved").asLong() > 0 && strip.path("stripped").asInt() == 1, "strip saved nothing: " + strip);
    // smoke: the handler was imported and resolved, with the layer on sys.path
    JsonNode smoke = report.path("smoke");
    assertTrue(smoke.path("ran").asBoolean(false) && smoke.path("passed").asBoolean(false), "smoke: " + smoke);
    // prune: the distribution no import reaches is gone, the ones the handler imports stay
    Set<String> names = entries(out.resolve("layer.zip"));
    assertTrue(names.stream().noneMatch(n -> n.startsWith("python/nobodyimports")), names.toString());
    assertTrue(names.contains("python/purehelper/__init__.py"), names.toString());
    // cold-path pycs: the modules the smoke import loaded, for this Python
    String tag = "cpython-" + python.replace(".", "");
    assertTrue(names.contains("python/fastgeo/__pycache__/shapes." + tag + ".pyc"), names.toString());
    assertTrue(names.contains("python/fastgeo/_speedups" + Wheels.extSuffix()), names.toString());
    assertFalse(names.stream().anyMatch(n -> n.contains("/tests/")), "default prune rules: " + names);
    System.out.println("[e2e] layer.zip sha256 " + sha256(out.resolve("layer.zip")) + " (" + CLI + ")");
  }

  @Test
  void nativeBinary_buildsTheSameLayerZipAsTheJar() throws IOException {
    if (!Cli.nativeBinary()) {
      String why = "the native-vs-jar comparison of layer.zip is skipped: no native binary was given "
          + "(-Dlayerslim.bin=PATH, as .ci/run and the ci workflow pass), so only the jar is tested";
      System.out.println("[e2e] " + why);
      if ("true".equals(System.getenv("CI"))) {
        org.junit.jupiter.api.Assertions.fail(why + "; under CI=true the binary the action ships must be tested");
      }
      org.junit.jupiter.api.Assumptions.abort(why);
    }
    Cli.Result r = built();
    assertEquals(0, r.code(), r.both());
    String hash = sha256(builtOut.resolve("layer.zip"));
    // the same input through the jar: the binary must build the very same bytes
    Path jarOut = tmp.resolve("jar-out");
    Cli.Result j = Cli.jar().run(tmp, Map.of(), buildArgs(jarOut));
    assertEquals(0, j.code(), j.both());
    String jarHash = sha256(jarOut.resolve("layer.zip"));
    System.out.println("[e2e] layer.zip sha256 " + jarHash + " (" + Cli.jar() + ")");
    assertEquals(jarHash, hash, "the native binary's layer.zip differs from the jar's");
    assertArrayEquals(Files.readAllBytes(jarOut.resolve("layer.zip")), Files.readAllBytes(builtOut.resolve("layer.zip")));
  }

  @Test
  void badOption_exitsTwoNamingIt_withoutAStackTrace() throws IOException {
    Cli.Result r = CLI.run(tmp, Map.of(), "build", "--no-such-option", "-r", requirements.toString());

    assertEquals(2, r.code(), r.both());
    assertTrue(r.err().contains("--no-such-option"), r.both());
    assertFalse(r.err().contains("\tat "), "stack trace: " + r.err());
  }

  /** The runner's environment for {@code action}: workspace, event, file commands and every input. */
  private Map<String, String> runner(GitHubApiStub gh, Path ws) throws IOException {
    Path event = ws.resolve("event.json");
    try (InputStream in = EndToEndTest.class.getResourceAsStream("/dev/layerslim/github/pull_request_event.json")) {
      Files.write(event, in.readAllBytes());
    }
    Path workspace = Files.createDirectories(ws.resolve("repo"));
    Files.copy(requirements, workspace.resolve("requirements.txt"));
    Files.createDirectories(workspace.resolve("src"));
    Files.copy(handler, workspace.resolve("src/app.py"));
    Files.writeString(ws.resolve("output.txt"), "");
    Files.writeString(ws.resolve("summary.md"), "");
    Map<String, String> env = new HashMap<>();
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_WORKSPACE", workspace.toString());
    env.put("GITHUB_EVENT_NAME", "pull_request");
    env.put("GITHUB_EVENT_PATH", event.toString());
    env.put("GITHUB_REPOSITORY", GitHubApiStub.OWNER + "/" + GitHubApiStub.REPO);
    env.put("GITHUB_API_URL", gh.baseUrl());
    env.put("GITHUB_OUTPUT", ws.resolve("output.txt").toString());
    env.put("GITHUB_STEP_SUMMARY", ws.resolve("summary.md").toString());
    for (String name : ActionInputs.NAMES) {
      env.put(ActionInputs.envName(name), "");
    }
    env.put(ActionInputs.envName("requirements"), "requirements.txt");
    // pip reads only files inside the workspace in the action: the wheels are part of the repository here
    Path repoWheels = Files.createDirectories(workspace.resolve("wheels"));
    try (var list = Files.list(wheels)) {
      for (Path w : list.toList()) {
        Files.copy(w, repoWheels.resolve(w.getFileName()));
      }
    }
    env.put(ActionInputs.envName("pip-args"), "--no-index --find-links wheels");
    // a private index's token in the URL (never contacted: --no-index) must be masked, never printed
    env.put(ActionInputs.envName("extra-index-url"), "https://__token__:" + INDEX_TOKEN + "@pypi.example.invalid/simple");
    env.put(ActionInputs.envName("handler"), "src/app.py");
    env.put(ActionInputs.envName("handler-function"), "app.handler");
    env.put(ActionInputs.envName("python-version"), python);
    env.put(ActionInputs.envName("output-dir"), "layerslim-out");
    env.put(ActionInputs.envName("comment-key"), "e2e");
    env.put(ActionInputs.envName("github-token"), TOKEN);
    return env;
  }

  private static Map<String, String> outputs(Path file) throws IOException {
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
  void action_createsThenUpdatesTheStickyComment_overHttp_andWritesOutputsAndSummary() throws IOException {
    try (GitHubApiStub gh = new GitHubApiStub()) {
      assertTrue(gh.baseUrl().startsWith("http://"), gh.baseUrl());
      gh.user(null).standard();
      Map<String, String> env = runner(gh, tmp);

      Cli.Result first = CLI.run(tmp, env, "action");
      assertEquals(0, first.code(), first.both());
      assertEquals(1, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))), first.both());
      String body = GitHubApiStub.body(gh.requests(postRequestedFor(urlPathEqualTo(gh.commentsPath()))).get(0))
          .path("body").asText();
      assertTrue(body.contains("| fastgeo | 1.0 |"), body);
      Path out = tmp.resolve("repo/layerslim-out");
      assertEquals(body, Files.readString(out.resolve("comment.md")));

      Map<String, String> o = outputs(tmp.resolve("output.txt"));
      assertEquals("layerslim-out/layer.zip", o.get("layer-zip"));
      assertEquals("layerslim-out/report.json", o.get("report-json"));
      assertEquals("false", o.get("exceeded"));
      assertEquals(String.valueOf(Files.size(out.resolve("layer.zip"))), o.get("zipped-bytes"));
      // the job summary leads with the comment's block (verdict first), then the whole report.md
      String summary = Files.readString(tmp.resolve("summary.md")).strip();
      String verdict = body.lines().filter(l -> l.startsWith("### ")).findFirst().orElseThrow();
      assertTrue(summary.startsWith(verdict), summary);
      assertTrue(summary.endsWith(Files.readString(out.resolve("report.md")).strip()), summary);
      String masks = "::add-mask::" + TOKEN + System.lineSeparator() + "::add-mask::" + INDEX_TOKEN
          + System.lineSeparator();
      assertTrue(first.out().startsWith(masks), first.both());
      assertNoSecretsBeyondTheMasks(first, masks, out);

      long id = gh.addComment("github-actions[bot]", "Bot", body).path("id").asLong();
      gh.restub();
      Cli.Result second = CLI.run(tmp, env, "action");

      assertEquals(0, second.code(), second.both());
      assertEquals(1, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))), "no second POST");
      assertEquals(1, gh.count(patchRequestedFor(urlPathEqualTo(gh.commentPath(id)))), second.both());
      assertTrue(second.out().contains("updated the comment on #" + GitHubApiStub.PR), second.both());
      assertNoSecretsBeyondTheMasks(second, masks, out);
    }
  }

  /**
   * {@code baseline: auto} through hub4j in the binary: the repository, the workflow, the runs page,
   * the run's artifacts (all bound by Jackson to hub4j's classes), then the zip through the API's 302
   * from another host, which must get no token.
   */
  @Test
  void action_baselineAuto_takesTheBaseBranchsArtifact_fromStorageWithoutTheToken() throws IOException {
    try (GitHubApiStub gh = new GitHubApiStub()) {
      gh.user(null).standard();
      Map<String, String> env = runner(gh, tmp);
      Cli.Result base = CLI.run(tmp, env, "action");
      assertEquals(0, base.code(), base.both());
      java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
      try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(zip)) {
        z.putNextEntry(new java.util.zip.ZipEntry("report.json"));
        z.write(Files.readAllBytes(tmp.resolve("repo/layerslim-out/report.json")));
        z.closeEntry();
      }
      gh.workflow("layer.yml").runs(List.of(gh.run(501, 40, GitHubApiStub.WORKFLOW_ID)));
      gh.artifacts(501, gh.artifact(77, 501, "layerslim-e2e", zip.size(), false));
      gh.download(77, zip.toByteArray(), gh.storage());
      env.put("GITHUB_BASE_REF", "main");
      env.put("GITHUB_WORKFLOW_REF", GitHubApiStub.OWNER + "/" + GitHubApiStub.REPO
          + "/.github/workflows/layer.yml@refs/pull/7/merge");
      env.put(ActionInputs.envName("baseline"), "auto");

      Cli.Result pr = CLI.run(tmp, env, "action");

      assertEquals(0, pr.code(), pr.both());
      assertTrue(pr.out().contains("baseline: report.json from artifact layerslim-e2e of run 40 on main (9f8e7d6)"),
          pr.both());
      assertTrue(Files.readString(tmp.resolve("repo/layerslim-out/report.json")).contains("\"baseline\""));
      var fetched = gh.storage().findAll(getRequestedFor(urlPathEqualTo(GitHubApiStub.blobPath(77))));
      assertEquals(1, fetched.size());
      assertFalse(fetched.get(0).containsHeader("Authorization"), fetched.get(0).getHeaders().toString());
    }
  }

  private void assertNoSecretsBeyondTheMasks(Cli.Result r, String masks, Path out) throws IOException {
    List<Path> written = new java.util.ArrayList<>(List.of(tmp.resolve("output.txt"), tmp.resolve("summary.md")));
    try (var files = Files.walk(out)) {
      files.filter(Files::isRegularFile).forEach(written::add);
    }
    for (String secret : List.of(TOKEN, INDEX_TOKEN)) {
      assertFalse(r.out().substring(masks.length()).contains(secret), "printed after the masks: " + r.both());
      assertFalse(r.err().contains(secret), "on stderr: " + r.both());
      for (Path f : written) {
        assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(secret), "in " + f);
      }
    }
  }

  @Test
  void action_pythonVersionOtherThanTheImages_exitsTwoWithTheRightUsesLine() throws IOException {
    try (GitHubApiStub gh = new GitHubApiStub()) {
      Map<String, String> env = runner(gh, tmp);
      String other = python.equals("3.12") ? "3.13" : "3.12";
      env.put("LAYERSLIM_IMAGE_PYTHON", other);
      env.put("LAYERSLIM_IMAGE", "ghcr.io/octo-org/layerslim:v1.4.0-python" + other);

      Cli.Result r = CLI.run(tmp, env, "action");

      assertEquals(2, r.code(), r.both());
      assertTrue(r.out().contains("uses: docker://ghcr.io/octo-org/layerslim:v1.4.0-python" + python), r.both());
      assertFalse(Files.exists(tmp.resolve("repo/layerslim-out/layer.zip")), "nothing built");
    }
  }

  @Test
  void release_uploadsTheZipAndReportToTheReleasesUploadUrl() throws IOException {
    WireMockServer api = new WireMockServer(options().dynamicPort());
    WireMockServer uploads = new WireMockServer(options().dynamicPort());
    api.start();
    uploads.start();
    try {
      String repo = "/repos/octo/layers";
      Path dir = Files.createDirectories(tmp.resolve("layerslim-out"));
      Path zip = Files.write(dir.resolve("layer.zip"), "PK\3\4 not really a zip".getBytes(StandardCharsets.UTF_8));
      Path report = Files.writeString(dir.resolve("report.json"),
          "{\"schemaVersion\":1,\"target\":{\"python\":\"3.12\",\"arch\":\"arm64\"},\"totals\":{}}\n");
      api.stubFor(get(urlPathEqualTo(repo)).willReturn(okJson("{\"id\":1,\"name\":\"layers\",\"full_name\":"
          + "\"octo/layers\",\"url\":\"" + api.baseUrl() + repo + "\",\"owner\":{\"login\":\"octo\",\"id\":2}}")));
      api.stubFor(get(urlPathEqualTo(repo + "/releases/tags/v1.0.0")).willReturn(okJson("{\"id\":42,\"tag_name\":"
          + "\"v1.0.0\",\"upload_url\":\"" + uploads.baseUrl() + repo + "/releases/42/assets{?name,label}\","
          + "\"assets\":[]}")));
      api.stubFor(get(urlPathEqualTo(repo + "/releases/42/assets")).willReturn(okJson("[]")));
      for (Path f : List.of(zip, report)) {
        String name = f == zip ? "layer-python3.12-arm64.zip" : "report-python3.12-arm64.json";
        uploads.stubFor(post(urlPathEqualTo(repo + "/releases/42/assets")).withQueryParam("name", equalTo(name))
            .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"id\":9,\"name\":\"" + name + "\",\"size\":" + Files.size(f) + ",\"state\":\"uploaded\","
                    + "\"browser_download_url\":\"https://example.invalid/" + name + "\"}")));
      }
      Map<String, String> env = Map.of("GITHUB_TOKEN", TOKEN, "GITHUB_REPOSITORY", "octo/layers",
          "GITHUB_API_URL", api.baseUrl());

      Cli.Result r = CLI.run(tmp, env, "release", "--tag", "v1.0.0", "--asset", zip.toString(),
          "--asset", report.toString());

      assertEquals(0, r.code(), r.both());
      List<LoggedRequest> zipUploads = uploads.findAll(postRequestedFor(urlPathEqualTo(repo + "/releases/42/assets"))
          .withQueryParam("name", equalTo("layer-python3.12-arm64.zip")));
      assertEquals(1, zipUploads.size(), r.both());
      assertArrayEquals(Files.readAllBytes(zip), zipUploads.get(0).getBody());
      assertEquals(1, uploads.findAll(postRequestedFor(urlPathEqualTo(repo + "/releases/42/assets"))
          .withQueryParam("name", equalTo("report-python3.12-arm64.json"))).size());
      assertTrue(r.out().contains("uploaded layer-python3.12-arm64.zip"), r.both());
      assertFalse(r.out().contains(TOKEN) || r.err().contains(TOKEN), "token printed");
    } finally {
      api.stop();
      uploads.stop();
    }
  }
}
