package dev.layerslim.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.layerslim.testing.Wheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** {@code build --prune-modules} through the real CLI, pip and python3: the smoke event and the heal. */
@Execution(ExecutionMode.CONCURRENT)
class PruneModulesBuildTest {
  @TempDir Path tmp;

  private Path site(Wheels.Builder wheel) throws Exception {
    return Wheels.site(tmp.resolve("site"), wheel);
  }

  private Path write(String rel, String text) throws Exception {
    Path p = tmp.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  private Cli.Result build(Path site, Path out, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("build", "--site-packages", site.toString(), "--python",
        Wheels.hostPython(),
        "-o", out.toString(), "--no-strip", "--prune-modules"));
    args.addAll(Arrays.asList(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void handlerImportOfAFullyComputedName_keepsEverySubPackage_andSaysSoNamingTheSite() throws Exception {
    Path site = site(Wheels.wheel("demo", "1.0").topLevel("demo")
        .file("demo/__init__.py", "")
        .file("demo/fmt_csv/__init__.py", "NAME = 'csv'\n")
        .file("demo/fmt_json/__init__.py", "NAME = 'json'\n"));
    // the module name comes from the event: nothing static names it, so nothing may be removed on doubt
    Path app = write("handler/app.py", "import importlib\nimport demo\n\ndef handler(event, context):\n"
        + "    return importlib.import_module(event['module']).NAME\n");
    Path event = write("event.json", "{\"module\": \"demo.fmt_json\"}");
    Path out = tmp.resolve("out");

    Cli.Result r = build(site, out, "--handler", app.toString(), "--handler-function", "app.handler");

    assertEquals(0, r.code(), r.toString());
    assertTrue(Files.isRegularFile(out.resolve("layer/python/demo/fmt_csv/__init__.py")), r.toString());
    assertTrue(Files.isRegularFile(out.resolve("layer/python/demo/fmt_json/__init__.py")), r.toString());
    assertTrue(r.err().contains("app.py:5: importlib.import_module(event[\"module\"])"), r.toString());
    JsonNode modules = Cli.report(out).path("prune").path("modules");
    JsonNode site0 = modules.path("dynamic").path(0);
    assertEquals("handler app.py:5", site0.path("site").asText(), modules.toString());
    assertEquals("handler-computed-import", site0.path("rule").asText());
    assertTrue(Files.readString(out.resolve("report.md")).contains("app.py:5"), "report.md names the site");

    // the smoke event's call loads one of them: the layer answers as the input does
    Path withEvent = tmp.resolve("out-event");
    Cli.Result r2 = build(site, withEvent, "--handler", app.toString(), "--handler-function", "app.handler",
        "--smoke-event", event.toString());
    assertEquals(0, r2.code(), r2.toString());
    assertTrue(Files.isRegularFile(withEvent.resolve("layer/python/demo/fmt_csv/__init__.py")), r2.toString());
  }

  @Test
  void heal_restoresASubPackageTheSmokeTestProvesNeeded() throws Exception {
    // demo reads tables/t.txt at import time through a path built out of sight of the analysis
    Path site = site(Wheels.wheel("demo", "1.0").topLevel("demo")
        .file("demo/__init__.py", "import os\n_HERE = os.path.dirname(__file__)\n_SUB = 'tables'\n\n"
            + "def _load(name):\n    with open(os.path.join(_HERE, _SUB, name)) as f:\n        return f.read()\n\n"
            + "TABLE = _load('t.txt')\n")
        .file("demo/tables/__init__.py", "")
        .file("demo/tables/t.txt", "a table\n")
        .file("demo/unused/__init__.py", "U = 1\n"));
    Path app = write("handler/app.py", "import demo\n\ndef handler(event, context):\n    return demo.TABLE\n");
    Path out = tmp.resolve("out");

    Cli.Result r = build(site, out, "--handler", app.toString(), "--handler-function", "app.handler");

    assertEquals(0, r.code(), r.toString());
    assertTrue(Files.isRegularFile(out.resolve("layer/python/demo/tables/t.txt")), "the heal put the table back");
    assertTrue(Files.isRegularFile(out.resolve("layer/python/demo/tables/__init__.py")),
        "a sub-package judged unreached and proved needed comes back whole");
    assertFalse(Files.exists(out.resolve("layer/python/demo/unused/__init__.py")), "the rest stays removed");
    JsonNode healed = Cli.report(out).path("smoke").path("healed");
    assertEquals(1, healed.size(), healed.toString());
    assertEquals("unreached-module", healed.path(0).path("rule").asText());
    assertEquals("demo/tables/", healed.path(0).path("path").asText());
    assertEquals(2, healed.path(0).path("files").asInt(), healed.toString());
  }

  @Test
  void audit_showsTheUnreachedSubPackagesBeforeABuild() throws Exception {
    Path site = site(Wheels.wheel("demo", "1.0").topLevel("demo")
        .file("demo/__init__.py", "")
        .file("demo/used/__init__.py", "import importlib\ndef plugin(n):\n    return importlib.import_module(n)\n")
        .file("demo/used/parts/__init__.py", "P = 1\n")
        .file("demo/other/__init__.py", "O = '" + "o".repeat(2000) + "'\n"));
    Path app = write("handler/app.py", "import demo.used\n");

    Cli.Result r = Cli.run("audit", "--site-packages", site.toString(), "--handler", app.toString(), "--prune-modules");

    assertEquals(0, r.code(), r.toString());
    // demo.used's computed import keeps every sub-package of its own package, not the rest of demo
    assertTrue(r.out().contains("1 sub-package of used distributions nothing reaches"), r.toString());
    assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith("demo/other ")), r.toString());
    assertTrue(r.out().contains("kept demo.used: computed-import at demo/used/__init__.py:3"), r.toString());
  }

  @Test
  void audit_leavesOutComputedImportSitesOfUnusedDistributions() throws Exception {
    Path site = Wheels.site(tmp.resolve("site"), Wheels.wheel("demo", "1.0").topLevel("demo")
        .file("demo/__init__.py", "PLUGIN = 'extra.sub'\n")
        .file("demo/used/__init__.py", "U = 1\n"),
        // reached by demo's string, but no import of the handler reaches its distribution: --prune-unused removes it
        Wheels.wheel("extra", "1.0").topLevel("extra")
        .file("extra/__init__.py", "")
        .file("extra/sub/__init__.py", "import importlib\ndef load(n):\n    return importlib.import_module(n)\n"));
    Path app = write("handler/app.py", "import demo.used\n");

    Cli.Result r = Cli.run("audit", "--site-packages", site.toString(), "--handler", app.toString(), "--prune-modules");

    assertEquals(0, r.code(), r.toString());
    assertFalse(r.out().contains("extra/sub/__init__.py"), r.toString());
  }

  @Test
  void pruneUnused_keepsAPackageTheHandlerImportsAtCallTimeByARelativeNameAndALiteralPackage() throws Exception {
    // opentelemetry's shape, a namespace package imported as import_module("._logs", package=…)
    Path site = Wheels.site(tmp.resolve("site"), Wheels.wheel("otel-api", "1.0").topLevel("otel")
        .file("otel/_logs/__init__.py", "def emit():\n    return 'logged'\n"),
        Wheels.wheel("unrelated", "1.0").topLevel("unrelated").file("unrelated/__init__.py", ""));
    Path app = write("handler/app.py", "import importlib\n\ndef handler(event, context):\n"
        + "    return importlib.import_module(\"._logs\", package=\"otel\").emit()\n");
    Path out = tmp.resolve("out");

    Cli.Result r = build(site, out, "--handler", app.toString(), "--handler-function", "app.handler",
        "--prune-unused");

    assertEquals(0, r.code(), r.toString());
    assertFalse(Files.exists(out.resolve("layer/python/unrelated")), r.toString());
    String answer = Wheels.run(List.of("python3", "-c", "import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; "
        + "import app; print(app.handler({}, None))", out.resolve("layer/python").toString(),
        app.getParent().toString()));
    assertEquals("logged", answer.strip(), "the layer's handler works at call time");
  }

  @Test
  void includeGlob_protectsASubPackageByHand() throws Exception {
    Path site = site(Wheels.wheel("demo", "1.0").topLevel("demo")
        .file("demo/__init__.py", "")
        .file("demo/extra/__init__.py", "E = 1\n")
        .file("demo/other/__init__.py", "O = 1\n"));
    Path app = write("handler/app.py", "import demo\n");
    Path out = tmp.resolve("out");

    Cli.Result r = build(site, out, "--handler", app.toString(), "--include", "demo/extra", "--no-smoke");

    assertEquals(0, r.code(), r.toString());
    assertTrue(Files.isRegularFile(out.resolve("layer/python/demo/extra/__init__.py")));
    assertFalse(Files.exists(out.resolve("layer/python/demo/other/__init__.py")));
    assertEquals(1, Cli.report(out).path("prune").path("protected").path("files").asInt());
  }
}
