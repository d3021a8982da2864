package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerslim.archive.ZipPrefetch;
import dev.layerslim.archive.ZipStep;
import dev.layerslim.bytecode.BytecodeStep;
import dev.layerslim.install.InstallStep;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.EventSink;
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.pipeline.Removals;
import dev.layerslim.pipeline.SmokePlan;
import dev.layerslim.pipeline.SmokeResult;
import dev.layerslim.pipeline.StagedLayer;
import dev.layerslim.pipeline.Usage;
import dev.layerslim.pipeline.ZipResult;
import dev.layerslim.prune.PruneStep;
import dev.layerslim.python.SystemProcessRunner;
import dev.layerslim.report.ReportStep;
import dev.layerslim.smoke.SmokeAfterStep;
import dev.layerslim.smoke.SmokeSetupStep;
import dev.layerslim.stage.StageStep;
import dev.layerslim.testing.Wheels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** The smoke test, healing and bytecode through the real CLI, real pip and real python3. */
@Execution(ExecutionMode.CONCURRENT)
class SmokeBuildTest {
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private Path site(Wheels.Builder... wheels) throws IOException {
    return Wheels.site(tmp.resolve("site"), wheels);
  }

  private Path handler(String source) throws IOException {
    Path h = tmp.resolve("handler/app.py");
    Files.createDirectories(h.getParent());
    Files.writeString(h, source);
    return h;
  }

  private int build(Path site, String... extra) {
    List<String> args = new ArrayList<>(List.of("build", "--site-packages", site.toString(), "--python",
        hostPython(), "-o", tmp.resolve("out").toString(), "--no-strip"));
    args.addAll(Arrays.asList(extra));
    return Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
  }

  private static String hostPython() {
    return Wheels.hostPython();
  }

  private JsonNode report() throws IOException {
    return new ObjectMapper().readTree(tmp.resolve("out/report.json").toFile());
  }

  private Path layer() {
    return tmp.resolve("out/layer/python");
  }

  private static Wheels.Builder demoWithDocs() {
    // a computed import: the prune plan's import guard cannot see it, only the smoke test can
    return Wheels.wheel("demo", "1.0")
        .file("demo/__init__.py", "import importlib\ndocs = importlib.import_module('demo.' + 'docs')\n"
            + "VALUE = docs.TEXT\n")
        .file("demo/docs/__init__.py", "TEXT = 'from docs'\n")
        .file("demo/docs/guide.txt", "a guide nobody imports\n");
  }

  private static List<Path> files(Path root, String suffix) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  @Test
  void heal_keepsAModuleThePackageImportsAtRuntime_andLeavesTheRestRemoved() throws Exception {
    Path site = site(demoWithDocs());
    Path app = handler("import demo\ndef handler(event, context):\n    return demo.VALUE\n");
    // the real prune plan: the default docs rule removes demo/docs/, whose __init__ demo imports

    int code = build(site, "--handler", app.toString(), "--handler-function", "app.handler");

    assertEquals(0, code, err.toString() + out);
    assertTrue(Files.isRegularFile(layer().resolve("demo/docs/__init__.py")), "the needed module is back");
    assertFalse(Files.exists(layer().resolve("demo/docs/guide.txt")), "the unneeded file stays removed");
    JsonNode smoke = report().path("smoke");
    assertTrue(smoke.path("passed").asBoolean());
    assertEquals(1, smoke.path("healed").size(), smoke.toString());
    JsonNode h = smoke.path("healed").get(0);
    assertEquals("docs", h.path("rule").asText());
    assertEquals("demo/docs/__init__.py", h.path("path").asText());
    assertTrue(h.path("import").asText().contains("import app"), h.toString());
    assertTrue(Files.readString(tmp.resolve("out/report.md")).contains("rule docs removed `demo/docs/__init__.py`"));
    assertTrue(smoke.has("importMillisBefore"), "the layer failed, so the input was tested to compare: " + smoke);
    assertTrue(Files.readString(tmp.resolve("out/report.md")).contains("| before pruning |"));
    assertTrue(files(site, ".pyc").isEmpty(), "the user's site-packages got no bytecode");
  }

  @Test
  void heal_putsBackADistributionJudgedUnusedWhole_withTheDataOnlyACallReads() throws Exception {
    // geo picks its engine by a name built at run time: the audit cannot see it, so --prune-unused
    // removes the engine; the smoke test fails, and the engine must come back whole, its data file too
    // (only a call opens it, so a file-by-file bisect would have left it out)
    Path site = site(
        Wheels.wheel("geo", "1.0").file("geo/__init__.py",
            "import importlib\nENGINE = importlib.import_module('eng' + 'ine')\n"),
        Wheels.wheel("engine", "1.0").file("engine/__init__.py", "import os\n"
            + "def crs():\n    with open(os.path.join(os.path.dirname(__file__), 'data', 'proj.db')) as f:\n"
            + "        return f.read()\n")
            .file("engine/data/proj.db", "EPSG:4326\n")
            .file("engine/_extra.py", "X = 1\n"));
    Path app = handler("import geo\ndef handler(event, context):\n    return geo.ENGINE.crs()\n");

    int code = build(site, "--handler", app.toString(), "--handler-function", "app.handler", "--prune-unused");

    assertEquals(0, code, err.toString() + out);
    assertTrue(Files.isRegularFile(layer().resolve("engine/data/proj.db")), "the data a call reads came back");
    assertTrue(Files.isRegularFile(layer().resolve("engine/_extra.py")));
    JsonNode healed = report().path("smoke").path("healed");
    assertEquals(1, healed.size(), healed.toString());
    assertEquals("unused", healed.get(0).path("rule").asText());
    assertEquals("engine", healed.get(0).path("path").asText());
    assertTrue(healed.get(0).path("files").asInt() >= 3, healed.toString());
    assertTrue(err.toString().contains("removed engine (") && err.toString().contains("kept whole"), err.toString());
  }

  @Test
  void heal_refusesToUndoTheUsersOwnExclude_exit3NamingIt() throws Exception {
    Path site = site(demoWithDocs());
    Path app = handler("import demo\n");

    int code = build(site, "--handler", app.toString(), "--exclude", "demo/docs/**");

    assertEquals(3, code, err.toString());
    assertTrue(err.toString().contains("your --exclude removed demo/docs/__init__.py (matches exclude glob 'demo/docs/**')"),
        err.toString());
    assertTrue(err.toString().contains("`import app`"), err.toString());
  }

  @Test
  void prune_keepsTheMetadataAPackageReadsWithImportlibMetadata_withoutHealing() throws Exception {
    Path site = site(Wheels.wheel("metapkg", "2.5")
        .file("metapkg/__init__.py", "import importlib.metadata\n__version__ = importlib.metadata.version('metapkg')\n"));
    Path app = handler("import metapkg\nassert metapkg.__version__ == '2.5'\n");

    int code = build(site, "--handler", app.toString());

    assertEquals(0, code, err.toString() + out);
    assertTrue(Files.isRegularFile(layer().resolve("metapkg-2.5.dist-info/METADATA")), "the dist-info rule keeps it");
    assertFalse(Files.exists(layer().resolve("metapkg-2.5.dist-info/RECORD")), "the dist-info rule slims the rest");
    assertEquals(0, report().path("smoke").path("healed").size(), "the real plan needed no healing");
  }

  @Test
  void heal_putsBackADistInfoFileTheUsersExcludeDidNotName() throws Exception {
    // a package that reads its own RECORD at import: the default dist-info rule removes RECORD,
    // the smoke test fails, and healing puts it back
    Path site = site(Wheels.wheel("recpkg", "1.0")
        .file("recpkg/__init__.py", "import importlib.metadata\n"
            + "FILES = len(importlib.metadata.files('recpkg') or [])\nassert FILES > 0, 'no RECORD'\n"));
    Path app = handler("import recpkg\n");

    int code = build(site, "--handler", app.toString());

    assertEquals(0, code, err.toString() + out);
    assertTrue(Files.isRegularFile(layer().resolve("recpkg-1.0.dist-info/RECORD")), "healing put RECORD back");
    JsonNode healed = report().path("smoke").path("healed");
    assertEquals(1, healed.size(), healed.toString());
    assertEquals("recpkg-1.0.dist-info/RECORD", healed.get(0).path("path").asText());
    assertEquals("dist-info", healed.get(0).path("rule").asText());
  }

  @Test
  void smoke_brokenInputFailsBeforePruning_exit3() throws Exception {
    Path site = site(demoWithDocs());
    Path app = handler("import demo\nimport not_installed_anywhere\n");

    int code = build(site, "--handler", app.toString());

    assertEquals(3, code);
    assertTrue(err.toString().contains("the input fails before any pruning"), err.toString());
    assertTrue(err.toString().contains("not_installed_anywhere"), err.toString());
  }

  @Test
  void smoke_timeoutKillsTheRunAndSaysSo() throws Exception {
    Path site = site(demoWithDocs());
    Path script = tmp.resolve("slow.py");
    Files.writeString(script, "import time\ntime.sleep(60)\n");

    long start = System.nanoTime();
    int code = build(site, "--smoke-import", "demo", "--smoke-script", script.toString(), "--smoke-timeout", "2");

    assertEquals(3, code);
    assertTrue(err.toString().contains("killed after 2 s (--smoke-timeout)"), err.toString());
    assertTrue((System.nanoTime() - start) / 1_000_000_000 < 50, "the sleeping script was not waited for");
  }

  @Test
  void heal_putsBackTheOriginalOfAnElfObjectThatNoLongerLoads() throws Exception {
    Path ext = Wheels.compileExtension(tmp.resolve("build"), "fastmod");
    String name = "fastmod" + Wheels.extSuffix();
    Path site = site(Wheels.wheel("fastmod", "1.0").tag(Wheels.hostWheelTag()).file(name, ext));
    Path out = tmp.resolve("out");
    BuildOptions options = BuildOptions.builder().sitePackages(site).output(out).smokeImports(List.of("fastmod"))
        .target(dev.layerslim.layer.Target.of(hostPython(), "x86_64", null)).build();
    // the steps of a build through their public constructors, with a strip that broke the object
    // standing in for strip: after staging, the layer's copy is cut short
    int code = BuildRunner.run(options, p -> {
      InstallResult install = p.run(new InstallStep(options.install(), options.target(), options.pythonExe()));
      Removals removals = p.run(new PruneStep(install, Usage.unaudited(), dev.layerslim.pipeline.SmokeLoaded.none(),
          options.prune(), options.handlers(), options.coldStorage(), options.dryRun()));
      SmokePlan smokePlan = p.run(new SmokeSetupStep(install, removals, dev.layerslim.smoke.SmokeInputs.of(options)));
      StagedLayer staged = p.run(new StageStep(install, removals, p.context().options().threads()));
      Path so = staged.root().resolve(name);
      try {
        Files.write(so, Arrays.copyOf(Files.readAllBytes(so), 200));
        staged = staged.rescan();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      SmokeResult smoke = p.run(new SmokeAfterStep(install, removals, staged, smokePlan, options.bytecode()));
      StagedLayer compiled = p.run(new BytecodeStep(smoke, options.bytecode(), options.target(), options.pythonExe(), options.coldStorage()));
      try (ZipPrefetch.Queue none = ZipPrefetch.Queue.empty()) {
        ZipResult zip = p.run(new ZipStep(compiled, none, p.context().options().threads()));
        return p.run(ReportStep.ofBuild(install, Usage.unaudited(), zip, smoke.notRun()));
      }
    }, EventSink.NONE, new SystemProcessRunner()).exitCode();

    assertEquals(0, code);
    assertEquals(-1, Files.mismatch(site.resolve(name), layer().resolve(name)), "the original is back");
    JsonNode smoke = report().path("smoke");
    assertEquals(1, smoke.path("dlopen").path("checked").asInt());
    assertEquals(0, smoke.path("dlopen").path("failedAfter").size());
    assertEquals("strip", smoke.path("healed").get(0).path("rule").asText(), smoke.toString());
    assertEquals(name, smoke.path("healed").get(0).path("path").asText());
  }

  @Test
  void smoke_skippedWithAReasonWhenTheHostCannotRunTheTargetArch() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(dev.layerslim.layer.Arch.host() == dev.layerslim.layer.Arch.X86_64);
    Path site = site(vals());
    List<String> args = List.of("build", "--site-packages", site.toString(), "--python", hostPython(),
        "--arch", "arm64", "-o", tmp.resolve("out").toString(), "--no-strip", "--smoke-import", "vals");

    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));

    assertEquals(0, code, err.toString() + out);
    String log = out.toString() + err;
    assertTrue(log.contains("smoke test skipped: the target is arm64 and this host is x86_64"), log);
    assertTrue(log.contains("--bytecode cold-path needs the smoke test"), log);
    assertFalse(report().path("smoke").path("ran").asBoolean(true));
    assertTrue(report().path("smoke").path("reason").asText().contains("arm64"), report().toString());
    // a pyc depends on the Python version, not the architecture: the arm64 layer still gets them
    assertEquals(files(layer(), ".py").size(), files(layer(), ".pyc").size(), "every module compiled, as --bytecode all");
    assertFalse(files(layer(), ".pyc").isEmpty());
  }

  private static Wheels.Builder vals() {
    return Wheels.wheel("vals", "1.0")
        .file("vals/__init__.py", "VALUE = 'old'\n")
        .file("vals/unused.py", "X = 1\n");
  }

  @Test
  void bytecode_coldPathWritesUncheckedHashPycsThatPythonUsesOnAReadOnlyLayer() throws Exception {
    Path site = site(vals());
    // a stale pyc from some earlier compile: it must not ship
    Files.createDirectories(site.resolve("vals/__pycache__"));
    Files.write(site.resolve("vals/__pycache__/unused.cpython-39.pyc"), new byte[32]);
    Path app = handler("import vals\n");

    int code = build(site, "--handler", app.toString());

    assertEquals(0, code, err.toString() + out);
    List<Path> pycs = files(layer(), ".pyc");
    assertEquals(1, pycs.size(), "only the loaded module: " + pycs);
    assertTrue(pycs.get(0).toString().contains("vals/__pycache__/__init__."), pycs.toString());
    byte[] header = Arrays.copyOfRange(Files.readAllBytes(pycs.get(0)), 4, 8);
    assertArrayEquals(new byte[] {1, 0, 0, 0}, header, "PEP 552 flags: hash-based, source not checked");
    JsonNode smoke = report().path("smoke");
    assertEquals(1, smoke.path("pycFiles").asInt());
    assertEquals(1, smoke.path("pycFilesFromSmokeImport").asInt(), "compiled once, by the smoke test's import");
    assertEquals(Files.size(pycs.get(0)), smoke.path("pycBytes").asLong());
    assertEquals("cold-path", smoke.path("bytecode").asText());
    assertTrue(smoke.has("importMillis") && smoke.has("importMillisNoPyc"));
    assertFalse(smoke.has("importMillisBefore"), "the layer passed, so the input was not imported a second time");
    assertTrue(smoke.path("slowest").toString().contains("\"vals\""), smoke.toString());
    assertTrue(Files.readString(tmp.resolve("out/report.md")).contains("## Cold start"));
    assertFalse(Files.readString(tmp.resolve("out/report.md")).contains("before pruning"),
        "no column for an import time that was not measured");

    // Change the source (same length, newer mtime) in a read-only copy: an unchecked pyc is still used.
    Path copy = tmp.resolve("copy");
    Wheels.run(List.of("cp", "-r", layer().toString(), copy.toString()));
    Path src = copy.resolve("vals/__init__.py");
    Files.writeString(src, "VALUE = 'new'\n");
    Files.setLastModifiedTime(src, FileTime.fromMillis(System.currentTimeMillis() + 3_600_000));
    Wheels.run(List.of("chmod", "-R", "a-w", copy.toString()));
    String value = Wheels.run(List.of("python3", "-I", "-S", "-B", "-c",
        "import sys; sys.path.insert(0, sys.argv[1]); import vals; print(vals.VALUE)", copy.toString())).trim();
    Wheels.run(List.of("chmod", "-R", "u+w", copy.toString()));
    assertEquals("old", value, "python ran the pyc, not the changed source");
  }

  @Test
  void bytecode_aLayerThatFailsToImportWithItsPycs_shipsWithoutThem() throws Exception {
    // imports while it has no pyc, refuses to once it has one: only the timed import with pycs sees it
    Path site = site(Wheels.wheel("picky", "1.0").file("picky/__init__.py",
        "import os\nif os.path.exists(__cached__):\n    raise ImportError('picky will not load from a pyc')\n"));
    Path app = handler("import picky\n");

    int code = build(site, "--handler", app.toString());

    assertEquals(0, code, err.toString() + out);
    assertEquals(List.of(), files(layer(), ".pyc"));
    assertEquals(0, report().path("smoke").path("pycFiles").asInt());
    assertTrue(err.toString().contains("fail with the compiled pycs") && err.toString().contains("without pycs"),
        err.toString());
  }

  @Test
  void bytecode_allCompilesEveryModule() throws Exception {
    Path site = site(vals());
    int code = build(site, "--smoke-import", "vals", "--bytecode", "all");
    assertEquals(0, code, err.toString() + out);
    assertEquals(files(layer(), ".py").size(), files(layer(), ".pyc").size());
    assertEquals(2, files(layer(), ".pyc").size());
    assertEquals(1, report().path("smoke").path("pycFilesFromSmokeImport").asInt(),
        "the module the smoke test loaded came from its import; the other was compiled");
  }

  @Test
  void bytecode_noneShipsSourcesOnly() throws Exception {
    Path site = site(vals());
    int code = build(site, "--smoke-import", "vals", "--bytecode", "none");
    assertEquals(0, code, err.toString() + out);
    assertEquals(List.of(), files(layer(), ".pyc"));
    assertEquals(0, report().path("smoke").path("pycFiles").asInt());
  }
}
