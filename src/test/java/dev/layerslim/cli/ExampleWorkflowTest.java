package dev.layerslim.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layerslim.github.ActionInputs;
import dev.layerslim.github.GitHubApiStub;
import dev.layerslim.github.RetryPolicy;
import dev.layerslim.python.ProcessRunner;
import dev.layerslim.python.SystemProcessRunner;
import dev.layerslim.testing.Wheels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * The README's recipe, run: {@code layerslim action} with exactly the {@code with:} inputs of
 * {@code .github/workflows/examples/layer.yml}, passed as the runner passes a Docker action's inputs
 * (every input action.yml declares, as {@code INPUT_<NAME>}, its default when the step gives none).
 * First the push to main, whose report.json the example's upload step keeps as an artifact; then a
 * pull request, whose {@code baseline: auto} must find that artifact under the name the example
 * uploads it with (WireMock serves GitHub's runs, artifacts and comments). The requirements are
 * installed by the real pip from wheels built here ({@code PIP_NO_INDEX}/{@code PIP_FIND_LINKS} in
 * the environment, as a runner's pip.conf would say).
 */
class ExampleWorkflowTest {
  static final Path LAYER_YML = Path.of(".github/workflows/examples/layer.yml");
  static final Path COMMENTER = Path.of(".github/workflows/examples/layer-comment.yml");
  static final Path ACTION_YML = Path.of("action.yml");
  static final String TOKEN = "ghs_ExampleWorkflowT0ken0123456789abcd";
  static final String REPO = GitHubApiStub.OWNER + "/" + GitHubApiStub.REPO;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  Path wheels;
  GitHubApiStub gh;

  /** One run of the action: its exit code, console, and the step outputs it wrote. */
  record Run(int code, String out, Map<String, String> outputs, Path workspace) {}

  @BeforeEach
  void setUp() throws IOException {
    gh = new GitHubApiStub();
    wheels = tmp.resolve("wheels");
    Wheels.wheel("alpha", "1.0").file("alpha/__init__.py", "X = 1\n" + "# padding\n".repeat(500)).build(wheels);
    Wheels.wheel("beta-lib", "2.1").file("beta_lib/__init__.py", "Y = 2\n" + "# padding\n".repeat(300))
        .build(wheels);
  }

  @AfterEach
  void stop() {
    gh.close();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> steps(Path workflow) throws IOException {
    Map<String, Object> root = new Yaml().load(Files.readString(workflow));
    Map<String, Object> jobs = (Map<String, Object>) root.get("jobs");
    Map<String, Object> job = (Map<String, Object>) jobs.values().iterator().next();
    return (List<Map<String, Object>>) job.get("steps");
  }

  /** The step that runs layerslim, found by its {@code uses:}. */
  static Map<String, Object> layerslimStep(List<Map<String, Object>> steps) {
    return steps.stream().filter(s -> String.valueOf(s.get("uses")).endsWith("/layerslim@v1")).findFirst()
        .orElseThrow(() -> new AssertionError("no layerslim step in " + LAYER_YML));
  }

  /** The upload-artifact step that runs on {@code event}, by the event its {@code if:} names. */
  static Map<String, Object> uploadOn(List<Map<String, Object>> steps, String event) {
    List<Map<String, Object>> found = steps.stream()
        .filter(s -> String.valueOf(s.get("uses")).startsWith("actions/upload-artifact@"))
        .filter(s -> String.valueOf(s.get("if")).contains("github.event_name == '" + event + "'")).toList();
    assertEquals(1, found.size(), "one upload step on " + event + " in " + LAYER_YML);
    return found.get(0);
  }

  @SuppressWarnings("unchecked")
  static Map<String, String> with(Map<String, Object> step) {
    Map<String, String> with = new LinkedHashMap<>();
    ((Map<String, Object>) step.get("with")).forEach((k, v) -> with.put(k, String.valueOf(v)));
    return with;
  }

  /**
   * {@code text} with the expressions this test can stand for: the token, and a step's outputs from
   * {@code outputs}. Any other expression fails the test: the example would no longer run as written.
   */
  static String evaluate(String text, String stepId, Map<String, String> outputs) {
    Matcher m = Pattern.compile("\\$\\{\\{\\s*([^}]+?)\\s*}}").matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String expr = m.group(1);
      String value;
      if (expr.equals("github.token")) {
        value = TOKEN;
      } else if (expr.startsWith("steps." + stepId + ".outputs.") && outputs != null) {
        value = outputs.getOrDefault(expr.substring(("steps." + stepId + ".outputs.").length()), "");
      } else {
        throw new AssertionError("the test cannot evaluate ${{ " + expr + " }} in " + LAYER_YML);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Every input of action.yml as the runner sets it for {@code with}: the given value, else the default. */
  @SuppressWarnings("unchecked")
  static Map<String, String> inputEnv(Map<String, String> with) throws IOException {
    Map<String, Object> action = new Yaml().load(Files.readString(ACTION_YML));
    Map<String, Map<String, Object>> inputs = (Map<String, Map<String, Object>>) action.get("inputs");
    for (String given : with.keySet()) {
      assertTrue(inputs.containsKey(given), "the example gives " + given + ", which action.yml does not declare");
    }
    Map<String, String> env = new HashMap<>();
    inputs.forEach((name, fields) -> {
      String value = with.containsKey(name) ? with.get(name) : String.valueOf(fields.getOrDefault("default", ""));
      // the runner: INPUT_ and the name upper-cased, spaces as _, hyphens kept
      env.put("INPUT_" + name.replace(' ', '_').toUpperCase(java.util.Locale.ROOT), evaluate(value, "", null));
    });
    return env;
  }

  /** A checkout of the user's repository: requirements.txt and src/app.py, as the example names them. */
  Path checkout(String name, List<String> requirements) throws IOException {
    Path ws = tmp.resolve(name);
    Files.createDirectories(ws.resolve("src"));
    Files.writeString(ws.resolve("requirements.txt"), String.join("\n", requirements) + "\n");
    StringBuilder app = new StringBuilder();
    for (String r : requirements) {
      app.append("import ").append(r.split("==")[0].replace('-', '_')).append('\n');
    }
    app.append("\n\ndef handler(event, context):\n    return {\"statusCode\": 200}\n");
    Files.writeString(ws.resolve("src/app.py"), app.toString());
    return ws;
  }

  Run run(Path ws, Map<String, String> github) throws IOException {
    List<Map<String, Object>> steps = steps(LAYER_YML);
    Map<String, String> env = new HashMap<>(inputEnv(with(layerslimStep(steps))));
    Path runner = Files.createDirectories(ws.resolveSibling(ws.getFileName() + "-runner"));
    Path output = Files.writeString(runner.resolve("output.txt"), "");
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_WORKSPACE", ws.toString());
    env.put("GITHUB_REPOSITORY", REPO);
    env.put("GITHUB_API_URL", gh.baseUrl());
    env.put("GITHUB_SERVER_URL", "https://github.com");
    env.put("GITHUB_OUTPUT", output.toString());
    env.put("GITHUB_STEP_SUMMARY", Files.writeString(runner.resolve("summary.md"), "").toString());
    env.putAll(github);
    ProcessRunner offline = request -> {
      Map<String, String> e = new HashMap<>(request.env());
      e.put("PIP_NO_INDEX", "1");
      e.put("PIP_FIND_LINKS", wheels.toString());
      return new SystemProcessRunner().run(request.withEnv(e));
    };
    RetryPolicy retry = new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(100));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        return cls == ActionCommand.class ? cls.cast(new ActionCommand(env, offline, retry))
            : CommandLine.defaultFactory().create(cls);
      }
    };
    int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), factory).execute("action");
    return new Run(code, out + err.toString(), ActionCommandTest.outputs(output), ws);
  }

  /** What actions/upload-artifact stores for a path that names one file: that file at the zip's root. */
  static byte[] artifactZip(Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      z.putNextEntry(new ZipEntry(file.getFileName().toString()));
      z.write(Files.readAllBytes(file));
      z.closeEntry();
    }
    return bytes.toByteArray();
  }

  /** GitHub holding main's successful push run 9001 of layer.yml with the artifact {@code name}. */
  void mainsRunWithArtifact(String name, byte[] zip) {
    gh.repository().workflow(LAYER_YML.getFileName().toString())
        .runs(List.of(gh.run(9001, 12, GitHubApiStub.WORKFLOW_ID)));
    // the run holds only the artifact the example uploads: another name finds nothing, as on GitHub
    gh.artifacts(9001, gh.artifact(555, 9001, name, zip.length, false));
    gh.download(555, zip, gh.storage());
  }

  @Test
  void theExampleAsWritten_keepsMainsReport_andAPullRequestIsComparedWithIt_andCommentedOn() throws Exception {
    List<Map<String, Object>> steps = steps(LAYER_YML);
    String layerId = String.valueOf(layerslimStep(steps).get("id"));
    Map<String, Object> keepBaseline = uploadOn(steps, "push");
    Map<String, Object> keepComment = uploadOn(steps, "pull_request");

    // 1. a push to main: no baseline (not a pull request), no comment; the report is uploaded
    Path mainPayload = Files.writeString(tmp.resolve("push.json"),
        "{\"ref\":\"refs/heads/main\",\"repository\":{\"full_name\":\"" + REPO + "\"}}");
    Run push = run(checkout("main", List.of("alpha==1.0")), Map.of("GITHUB_EVENT_NAME", "push",
        "GITHUB_EVENT_PATH", mainPayload.toString(), "GITHUB_REF", "refs/heads/main",
        "GITHUB_WORKFLOW_REF", REPO + "/.github/workflows/" + LAYER_YML.getFileName() + "@refs/heads/main"));
    assertEquals(0, push.code(), push.out());
    assertEquals("ok", push.outputs().get("result"), push.out());
    assertTrue(push.out().contains("no baseline: the event is 'push'"), push.out());
    assertEquals(0, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))));
    Map<String, String> upload = with(keepBaseline);
    Path report = push.workspace().resolve(evaluate(upload.get("path"), layerId, push.outputs()));
    assertTrue(Files.isRegularFile(report), "the upload step's path is not the report: " + report);
    assertEquals(push.workspace().resolve("layerslim-out/report.json"), report);

    // 2. a pull request adding beta-lib: baseline auto takes that artifact, by the name it was uploaded with
    mainsRunWithArtifact(upload.get("name"), artifactZip(report));
    gh.user(null).standard();
    Path prPayload = tmp.resolve("pull_request.json");
    try (var in = getClass().getResourceAsStream("/dev/layerslim/github/pull_request_event.json")) {
      Files.write(prPayload, in.readAllBytes());
    }
    Run pr = run(checkout("pr", List.of("alpha==1.0", "beta-lib==2.1")), Map.of("GITHUB_EVENT_NAME",
        "pull_request", "GITHUB_EVENT_PATH", prPayload.toString(), "GITHUB_BASE_REF", "main",
        "GITHUB_WORKFLOW_REF", REPO + "/.github/workflows/" + LAYER_YML.getFileName() + "@refs/pull/7/merge"));

    assertEquals(0, pr.code(), pr.out());
    assertTrue(pr.out().contains("baseline: report.json from artifact " + upload.get("name") + " of run 12 on main"),
        pr.out());
    JsonNode diff = JSON.readTree(pr.workspace().resolve("layerslim-out/report.json").toFile()).path("baseline");
    assertEquals("beta-lib", diff.path("added").path(0).path("name").asText(), diff.toString());
    // from the storage host GitHub redirected to, without the token
    List<com.github.tomakehurst.wiremock.verification.LoggedRequest> fetched = gh.storage().findAll(
        getRequestedFor(urlPathEqualTo(GitHubApiStub.blobPath(555))));
    assertEquals(1, fetched.size());
    assertEquals(null, fetched.get(0).getHeader("Authorization"));
    // the action's own sticky comment, and the same text for layer-comment.yml
    assertEquals(1, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))));
    String posted = GitHubApiStub.body(gh.requests(postRequestedFor(urlPathEqualTo(gh.commentsPath()))).get(0))
        .path("body").asText();
    assertTrue(posted.contains("beta-lib"), posted);
    Path comment = pr.workspace().resolve(evaluate(with(keepComment).get("path"), layerId, pr.outputs()));
    assertTrue(Files.isRegularFile(comment), "the comment upload's path is not a file: " + comment);
    assertEquals(posted, Files.readString(comment));
    assertFalse(pr.out().replace("::add-mask::" + TOKEN, "").contains(TOKEN), "the token was printed");

    // layer-comment.yml accepts only a comment that starts with layerslim's marker: this one does
    Matcher check = Pattern.compile("grep -Eqx '([^']+)'").matcher(Files.readString(COMMENTER));
    assertTrue(check.find(), "no marker check in " + COMMENTER);
    String firstLine = posted.lines().findFirst().orElse("");
    assertTrue(firstLine.matches(check.group(1)), firstLine + " does not match " + check.group(1));
    // and it downloads the artifact the example uploads
    List<String> downloads = new ArrayList<>();
    for (Map<String, Object> s : steps(COMMENTER)) {
      if (String.valueOf(s.get("uses")).startsWith("actions/download-artifact@")) {
        downloads.add(with(s).get("name"));
      }
    }
    assertEquals(List.of(with(keepComment).get("name")), downloads);
    assertNotNull(pr.outputs().get("comment-body"));
  }
}
