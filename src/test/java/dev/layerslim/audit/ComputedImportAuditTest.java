package dev.layerslim.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.layer.Distribution;
import dev.layerslim.layer.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handler imports made at call time by name: read where they can be, kept by their literal start where not. */
class ComputedImportAuditTest {
  @TempDir Path tmp;

  private static Distribution dist(String name, String... record) {
    return new Distribution(name, name, "1.0", name + "-1.0.dist-info", List.of(), Set.of(), Set.of(),
        List.of(record), List.of());
  }

  /** opentelemetry's namespace split over two distributions, a plugin distribution, an unrelated one. */
  private static final List<Distribution> LAYER = List.of(
      dist("otel-api", "otel/_logs/__init__.py", "otel/trace/__init__.py"),
      dist("otel-sdk", "otel/sdk/__init__.py"),
      dist("plugs", "plugins_x/__init__.py", "plugins_x/fast.py"),
      dist("other", "other/__init__.py"));

  private AuditResult audit(String handler) throws Exception {
    Path app = tmp.resolve("app.py");
    Files.writeString(app, handler);
    return Audit.run(LAYER, HandlerScanner.scan(List.of(app), Target.defaults()), Target.defaults(), Set.of());
  }

  @Test
  void relativeImportModuleWithALiteralPackage_keepsItsDistribution_withoutAWarning() throws Exception {
    AuditResult r = audit("import importlib\n\ndef handler(event, context):\n"
        + "    return importlib.import_module(\"._logs\", package=\"otel\")\n");
    assertEquals(Set.of("otel-api"), r.usedNames(), r.toString());
    assertEquals(List.of(), r.computed(), "a name read statically needs no warning");
  }

  @Test
  void tupleLoopAndModuleConstant_keepTheirDistributions() throws Exception {
    AuditResult r = audit("BACKEND = 'plugins_x.fast'\nfor m in ('otel.sdk',):\n    __import__(m)\n\n"
        + "def handler(event, context):\n    import importlib\n    return importlib.import_module(BACKEND)\n");
    assertEquals(Set.of("otel-sdk", "plugs"), r.usedNames(), r.toString());
  }

  @Test
  void fStringWithALiteralHead_keepsTheDistributionsItMayName_andSaysWhere() throws Exception {
    AuditResult r = audit("import importlib\n\ndef handler(event, context):\n"
        + "    return importlib.import_module(f\"plugins_x.{event['name']}\")\n");
    assertEquals(Set.of("plugs"), r.usedNames(), r.toString());
    AuditResult.ComputedUse c = r.computed().get(0);
    assertEquals("app.py:4", c.where());
    assertEquals(List.of("plugs"), c.kept());
    assertTrue(c.sentence().startsWith("app.py:4: importlib.import_module(f\"plugins_x.{…}\")"), c.sentence());
    assertTrue(c.sentence().contains("kept plugs"), c.sentence());
    // a head that stops inside a namespace keeps every distribution with modules under it
    AuditResult ns = audit("import importlib\nm = importlib.import_module('otel.' + x)\n");
    assertEquals(Set.of("otel-api", "otel-sdk"), ns.usedNames(), ns.toString());
  }

  @Test
  void nameWithNothingLiteral_keepsEveryDistribution_andSaysSo() throws Exception {
    AuditResult r = audit("def handler(event, context):\n    return __import__(event['module'])\n");
    assertEquals(Set.of("otel-api", "otel-sdk", "plugs", "other"), r.usedNames(), r.toString());
    String s = r.computed().get(0).sentence();
    assertTrue(s.startsWith("app.py:2: __import__(event[\"module\"])"), s);
    assertTrue(s.contains("every distribution is kept (4)"), s);
    assertTrue(AuditStep.computedMarkdown(r, dev.layerslim.pipeline.Vocabulary.CLI).contains(dev.layerslim.reportfile.Markdown.text(s)));
  }

  @Test
  void nameStartingInTheStandardLibraryOrTheHandlersOwnModules_needsNothingOfTheLayer() throws Exception {
    AuditResult r = audit("import importlib\nc = importlib.import_module('encodings.' + x)\n"
        + "d = importlib.import_module(f'app.{x}')\n");
    assertEquals(Set.of(), r.usedNames(), r.toString());
    assertEquals(List.of(), r.computed());
  }
}
