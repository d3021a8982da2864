package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerslim.testing.Wheels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The levers that make a layer fit through the real CLI, pip and python3 on test-built wheels: sourceless
 * bytecode, the proofs that the layer behaves like its input, and the fit plan.
 */
@Execution(ExecutionMode.CONCURRENT)
class LeversBuildTest {
  @TempDir Path tmp;

  /** A comment long enough that the module's pyc is smaller than its source. */
  private static final String PADDING = "# " + "a long comment that the compiler drops. ".repeat(40) + "\n";

  private Path site(Wheels.Builder... wheels) throws IOException {
    return Wheels.site(tmp.resolve("site"), wheels);
  }

  private Path handler(String source) throws IOException {
    Path h = tmp.resolve("handler/app.py");
    Files.createDirectories(h.getParent());
    Files.writeString(h, source);
    return h;
  }

  private CliRun build(Path site, String... extra) {
    List<String> args = new ArrayList<>(List.of("build", "--site-packages", site.toString(), "--python",
        hostPython(), "-o", tmp.resolve("out").toString(), "--no-strip"));
    args.addAll(Arrays.asList(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  static String hostPython() {
    return Wheels.hostPython();
  }

  private JsonNode report() throws IOException {
    return new ObjectMapper().readTree(tmp.resolve("out/report.json").toFile());
  }

  private Path layer() {
    return tmp.resolve("out/layer/python");
  }

  private static Wheels.Builder demo() {
    return Wheels.wheel("demo", "1.0")
        .file("demo/__init__.py", PADDING + "from demo import core, tiny\nVALUE = core.VALUE\n")
        .file("demo/core.py", PADDING + "VALUE = 7\n\n\ndef boom():\n    raise ValueError('boom')\n")
        .file("demo/tiny.py", "X=1\n")
        .file("demo/later.py", PADDING + "def f():\n    return 1\n");
  }

  @Test
  void sourceless_hotModulesShipAsPycsInTheirSourcesPlace_loadedWithoutSource_tracebacksKeepLines()
      throws Exception {
    Path site = site(demo());
    Path app = handler("import demo\ndef handler(event, context):\n    return demo.VALUE\n");

    CliRun run = build(site, "--handler", app.toString(), "--handler-function", "app.handler",
        "--bytecode", "sourceless");

    assertEquals(0, run.exitCode(), run.all());
    Path demo = layer().resolve("demo");
    // tiny.py's pyc is larger than its source: it shipped both, so it too is smaller without its source
    for (String m : List.of("__init__", "core", "tiny")) {
      assertTrue(Files.isRegularFile(demo.resolve(m + ".pyc")), m + ".pyc beside where its source was");
      assertFalse(Files.exists(demo.resolve(m + ".py")), m + ".py dropped");
    }
    assertFalse(Files.exists(demo.resolve("__pycache__")), "no cached pyc left beside the sourceless ones");
    assertTrue(Files.isRegularFile(demo.resolve("later.py")), "a module the hot path never loads keeps its source");
    assertFalse(Files.exists(demo.resolve("later.pyc")));
    assertTrue(Files.isRegularFile(site.resolve("demo/core.py")), "the input keeps its sources");
    // as Lambda runs it: isolated, no site, the layer on sys.path, nothing written
    String out = Wheels.run(List.of("python3", "-I", "-S", "-B", "-c", String.join("\n",
        "import sys, traceback",
        "sys.path.insert(0, " + py(layer()) + ")",
        "import demo.core",
        "print(type(demo.core.__loader__).__name__, demo.core.__file__.endswith('core.pyc'))",
        "try:",
        "    demo.core.boom()",
        "except ValueError as e:",
        "    f = traceback.extract_tb(e.__traceback__)[-1]",
        "    print(f.filename, f.lineno, repr(f.line))")));
    List<String> lines = out.lines().toList();
    assertEquals("SourcelessFileLoader True", lines.get(0), out);
    // the pyc names its source where Lambda mounts the layer, with the line of the raise (the padding is line 1)
    assertEquals("/opt/python/demo/core.py 6 ''", lines.get(1), out);
    JsonNode s = report().path("smoke").path("sourceless");
    assertEquals(3, s.path("modules").asInt(), s.toString());
    assertEquals(1, s.path("pycLargerThanSource").asInt(), s.toString());
    assertTrue(s.path("tradeOff").asText().contains("no source text"), s.toString());
    assertTrue(Files.readString(tmp.resolve("out/report.md")).contains("inspect.getsource fails"));
  }

  @Test
  void fitPlan_overBudget_listsTheLeversLeftWithWhatEachSavesOnThisLayer_inTheReportConsoleAndComment()
      throws Exception {
    // demo/extra/ is a sub-package the handler never loads (a cold-storage candidate); unused is a
    // distribution no import reaches
    Wheels.Builder demo = demo();
    for (int i = 0; i < 8; i++) {
      demo.file("demo/extra/__init__.py", PADDING + "from demo.extra import m0\n")
          .file("demo/extra/m" + i + ".py", PADDING.repeat(4) + "def f" + i + "():\n    return " + i + "\n");
    }
    Path site = site(demo, Wheels.wheel("unused", "1.0").file("unused/__init__.py", PADDING + "U = 1\n"));
    Path app = handler("import demo\ndef handler(event, context):\n    return demo.VALUE\n");

    CliRun run = build(site, "--handler", app.toString(), "--handler-function", "app.handler",
        "--max-unzipped", "4KiB");

    assertEquals(1, run.exitCode(), run.all());
    JsonNode plan = report().path("fitPlan");
    assertTrue(plan.isObject(), report().toString());
    java.util.Map<String, JsonNode> levers = new java.util.TreeMap<>();
    plan.path("levers").forEach(l -> levers.put(l.path("setting").asText(), l));
    assertEquals(List.of("--bytecode sourceless", "--cold-storage", "--prune-unused"), List.copyOf(levers.keySet()),
        plan.toString());
    // sourceless: measured on the layer as built, whose hot modules ship source and cached pyc both
    long hotSources = 0;
    for (String m : List.of("__init__", "core", "tiny")) {
      Path src = layer().resolve("demo/" + m + ".py");
      try (var pycs = Files.list(layer().resolve("demo/__pycache__"))) {
        assertTrue(pycs.anyMatch(p -> p.getFileName().toString().startsWith(m + ".")), m + " ships its pyc");
      }
      hotSources += Files.size(src);
    }
    assertEquals(hotSources, levers.get("--bytecode sourceless").path("savedBytes").asLong(), plan.toString());
    long extra;
    try (var files = Files.walk(layer().resolve("demo/extra"))) {
      extra = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    long cold = levers.get("--cold-storage").path("savedBytes").asLong();
    assertTrue(cold > 0 && cold < extra, cold + " of " + extra);
    assertTrue(levers.get("--cold-storage").path("tradeOff").asText().contains("demo.extra"), plan.toString());
    assertEquals(Files.size(layer().resolve("unused/__init__.py")) + distInfoBytes("unused"),
        levers.get("--prune-unused").path("savedBytes").asLong(), "the unused distribution, whole");
    long together = report().path("totals").path("unzippedBytes").asLong()
        - levers.values().stream().mapToLong(l -> l.path("savedBytes").asLong()).sum();
    assertEquals(together, plan.path("togetherBytes").asLong());
    assertFalse(plan.path("fits").asBoolean(), "4 KiB cannot hold it");
    assertTrue(plan.path("otherwise").asText().contains("container image"), plan.toString());
    assertTrue(run.err().contains("fit plan: --"), run.all());
    // plain text: a workflow annotation would show backticks as typed
    assertFalse(run.err().lines().filter(l -> l.contains("fit plan:")).anyMatch(l -> l.contains("`")), run.all());
    assertTrue(run.err().contains("fit plan: --cold-storage −"), run.all());
    String md = Files.readString(tmp.resolve("out/report.md"));
    assertTrue(md.contains("## Fit plan") && md.contains("| `--bytecode sourceless` | −"), md);
    // the comment names what the reader sets where they work: action inputs in the action
    String comment = dev.layerslim.github.CommentRenderer.render(dev.layerslim.reportfile.ReportJson.read(tmp.resolve("out/report.json")), new dev.layerslim.github.CommentContext("k",
        "layer", dev.layerslim.github.Advice.ACTION, null, null));
    assertTrue(comment.contains("**Fit plan** (measured on this layer): ") && comment.contains("`cold-storage: true` −")
        && comment.contains("`bytecode: sourceless` −") && comment.contains("`prune-unused: true` −"), comment);
  }

  @Test
  void proofs_aModuleBrokenOnlyInTheLayer_isCaughtAndNamed_notShippedSilently() throws Exception {
    // demo.extra is public but nothing the handler loads imports it; the exclude deletes what it imports
    Path site = site(demo().file("demo/_helper.py", "H = 1\n")
        .file("demo/extra.py", "from demo._helper import H\n"));
    Path app = handler("import demo\ndef handler(event, context):\n    return demo.VALUE\n");

    CliRun run = build(site, "--handler", app.toString(), "--handler-function", "app.handler",
        "--bytecode", "sourceless", "--exclude", "demo/_helper.py");

    assertEquals(3, run.exitCode(), run.all());
    assertTrue(run.err().contains("demo/_helper.py") && run.err().contains("import demo.extra")
        && run.err().contains("No module named 'demo._helper'"), run.all());
  }

  @Test
  void proofs_theHandlerAnswersOtherwiseInTheLayer_theBuildFailsNamingBothAnswers() throws Exception {
    // the import passes either way (a fallback), so the smoke test passes; only the answer tells
    Path site = site(Wheels.wheel("demo", "1.0")
        .file("demo/__init__.py", "import importlib\ntry:\n    TEXT = importlib.import_module('demo.' + 'docs').TEXT\n"
            + "except ImportError:\n    TEXT = 'fallback'\n")
        .file("demo/docs/__init__.py", "TEXT = 'from docs'\n"));
    Path app = handler("import demo\ndef handler(event, context):\n    return {'text': demo.TEXT}\n");
    Path event = tmp.resolve("event.json");
    Files.writeString(event, "{}");

    CliRun run = build(site, "--handler", app.toString(), "--handler-function", "app.handler",
        "--smoke-event", event.toString(), "--exclude", "demo/docs/**");

    assertEquals(3, run.exitCode(), run.all());
    assertTrue(run.err().contains("{\"text\":\"fallback\"} in the layer but {\"text\":\"from docs\"} on the input"),
        run.all());
    assertTrue(run.err().contains("demo/docs/__init__.py"), run.all());
  }

  @Test
  void proofs_theHandlerAnswersOtherwiseInTheLayer_isHealedByKeepingWhatTheAnswerNeeds() throws Exception {
    // the docs rule removes demo/docs/, which only a computed import with a fallback reads
    Path site = site(Wheels.wheel("demo", "1.0")
        .file("demo/__init__.py", "import importlib\ntry:\n    TEXT = importlib.import_module('demo.' + 'docs').TEXT\n"
            + "except ImportError:\n    TEXT = 'fallback'\n")
        .file("demo/docs/__init__.py", "TEXT = 'from docs'\n")
        .file("demo/docs/guide.txt", "a guide nobody reads\n"));
    Path app = handler("import demo\ndef handler(event, context):\n    return {'text': demo.TEXT}\n");
    Path event = tmp.resolve("event.json");
    Files.writeString(event, "{}");

    CliRun run = build(site, "--handler", app.toString(), "--handler-function", "app.handler",
        "--smoke-event", event.toString());

    assertEquals(0, run.exitCode(), run.all());
    assertTrue(Files.isRegularFile(layer().resolve("demo/docs/__init__.py")), "what the answer needs is kept");
    assertFalse(Files.exists(layer().resolve("demo/docs/guide.txt")), "the rest stays removed");
    JsonNode proof = report().path("proofs").path("handlerResult");
    assertTrue(proof.path("equal").asBoolean(), proof.toString());
    assertEquals("{\"text\":\"from docs\"}", proof.path("answer").asText());
    assertEquals("demo/docs/__init__.py", proof.path("healed").get(0).path("path").asText(), proof.toString());
  }

  /** The bytes the distribution's kept dist-info files hold in the layer. */
  private long distInfoBytes(String dist) throws IOException {
    long n = 0;
    try (var s = Files.list(layer())) {
      for (Path d : s.filter(p -> p.getFileName().toString().startsWith(dist + "-")).toList()) {
        try (var files = Files.walk(d)) {
          n += files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
      }
    }
    return n;
  }

  static String py(Path p) {
    return "'" + p.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
