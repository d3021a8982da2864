package dev.layerslim.prune;

import dev.layerslim.layer.Glob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.layerslim.layer.DistInfoReader;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Ownership;
import dev.layerslim.testing.Wheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneRulesTest {
  @TempDir Path tmp;

  private static final List<String> TESTS = List.of("demo/tests/__init__.py", "demo/tests/test_core.py",
      "demo/test/check.py");
  private static final List<String> DOCS = List.of("demo/docs/guide.txt", "demo/doc/notes.txt",
      "demo/examples/ex.py", "demo/benchmarks/bench.py");
  private static final List<String> PYCACHE = List.of("demo/__pycache__/core.cpython-311.pyc", "demo/stray.pyc");
  private static final List<String> BUILD_FILES = List.of("demo/src/a.c", "demo/src/b.cpp", "demo/src/c.h",
      "demo/src/d.hpp", "demo/src/e.pyx", "demo/src/f.pxd", "demo/src/g.pxi", "demo/src/h.f", "demo/src/i.f90",
      "demo/libfoo.a");
  private static final List<String> TYPE_STUBS = List.of("demo/core.pyi", "demo/py.typed");
  private static final List<String> KEPT = List.of("demo/__init__.py", "demo/core.py", "demo/stray.py",
      "demo/legacy.pyc", "demo/data.txt", "tests/__init__.py", "tests/util.py", "demo-1.0.dist-info/METADATA",
      "demo-1.0.dist-info/entry_points.txt", "demo-1.0.dist-info/top_level.txt", "demo-1.0.dist-info/LICENSE.txt",
      "demo-1.0.dist-info/AUTHORS.md", "demo-1.0.dist-info/licenses/MIT.txt", "test_helpers-2.0.dist-info/METADATA");

  /** demo with one file for every rule, and a top-level distribution named {@code tests}. */
  private Path site() throws Exception {
    Path wheels = tmp.resolve("wheels");
    var demo = Wheels.wheel("demo", "1.0").topLevel("demo")
        .file("demo/__init__.py", "from demo.core import main\n")
        .file("demo/core.py", "def main():\n    return 0\n")
        .file("demo/data.txt", "runtime data\n")
        .file("demo/stray.py", "X = 1\n")
        .file("demo/stray.pyc", new byte[] {1, 2, 3, 4, 5})
        .file("demo/legacy.pyc", new byte[] {9, 9, 9})
        .file("demo/__pycache__/core.cpython-311.pyc", new byte[] {7, 7, 7, 7, 7, 7, 7})
        .file("demo/tests/__init__.py", "")
        .file("demo/tests/test_core.py", "import demo.core\n\ndef test_main():\n    assert demo.core.main() == 0\n")
        .file("demo/test/check.py", "print('check')\n")
        .file("demo/docs/guide.txt", "a guide\n")
        .file("demo/doc/notes.txt", "notes\n")
        .file("demo/examples/ex.py", "import demo\n")
        .file("demo/benchmarks/bench.py", "import demo\n")
        .file("demo/core.pyi", "def main() -> int: ...\n")
        .file("demo/py.typed", "")
        .file("demo/libfoo.a", "!<arch>\nstatic archive bytes\n")
        .distInfoFile("entry_points.txt", "[console_scripts]\ndemo-cli = demo.core:main\n")
        .distInfoFile("LICENSE.txt", "MIT License\n")
        .distInfoFile("AUTHORS.md", "someone\n")
        .distInfoFile("licenses/MIT.txt", "MIT License, again\n");
    for (String f : BUILD_FILES) {
      if (f.startsWith("demo/src/")) {
        demo.file(f, "/* " + f + " */\n");
      }
    }
    demo.build(wheels);
    Wheels.wheel("test-helpers", "2.0").file("tests/__init__.py", "").file("tests/util.py", "U = 1\n").build(wheels);
    Path site = tmp.resolve("site");
    Wheels.pipInstall(site, wheels, "demo", "test-helpers");
    return site;
  }

  @Test
  void build_removesWhatEachDefaultRuleNamesAndReportsItsExactBytes() throws Exception {
    Path site = site();
    Path out = tmp.resolve("out");
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put("tests", TESTS);
    expected.put("docs", DOCS);
    expected.put("pycache", PYCACHE);
    expected.put("build-files", BUILD_FILES);
    expected.put("type-stubs", TYPE_STUBS);
    expected.put("scripts", List.of("bin/demo-cli"));
    expected.put("dist-info", distInfoDropped(site));
    assertTrue(expected.get("dist-info").contains("demo-1.0.dist-info/RECORD"), expected.toString());
    assertTrue(Files.isRegularFile(site.resolve("bin/demo-cli")), "pip wrote the console script");

    // --bytecode none: the layer shows what the rules left, before any pyc is compiled back
    Cli.Result r = Cli.run("build", "--site-packages", site.toString(), "-o", out.toString(), "--no-smoke",
        "--no-strip", "--bytecode", "none");

    assertEquals(0, r.code(), r.toString());
    Path layer = out.resolve("layer/python");
    JsonNode byRule = Cli.report(out).path("prune").path("byRule");
    long total = 0;
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      for (String gone : e.getValue()) {
        assertFalse(Files.exists(layer.resolve(gone)), e.getKey() + " should remove " + gone);
      }
      long bytes = Cli.size(site, e.getValue().toArray(String[]::new));
      assertEquals(bytes, byRule.path(e.getKey()).path("bytes").asLong(), e.getKey() + " bytes");
      assertEquals(e.getValue().size(), byRule.path(e.getKey()).path("files").asInt(), e.getKey() + " files");
      total += bytes;
    }
    assertEquals(total, Cli.report(out).path("prune").path("removedBytes").asLong());
    for (String kept : KEPT) {
      assertTrue(Files.isRegularFile(layer.resolve(kept)), "should keep " + kept);
    }
    JsonNode keeps = Cli.report(out).path("prune").path("guardKeeps");
    assertEquals("demo/legacy.pyc", keeps.path(0).path("path").asText(), keeps.toString());
    assertTrue(Files.readString(out.resolve("report.md")).contains("| build-files | 10 |"));
  }

  @Test
  void plan_unusedRemovesEveryFileOfAnUnusedDistributionUnlessIncluded() throws Exception {
    Path wheels = tmp.resolve("wheels");
    Wheels.wheel("app-lib", "1.0").file("app_lib/__init__.py", "A = 1\n").build(wheels);
    Wheels.wheel("extra", "3.1").topLevel("extra").file("extra/__init__.py", "E = 1\n")
        .file("extra.libs/libextra-1a2b.so.1", "not really a library\n").build(wheels);
    Path site = tmp.resolve("site");
    Wheels.pipInstall(site, wheels, "app-lib", "extra");
    // a file no RECORD lists, found by its top-level folder
    Files.writeString(site.resolve("extra/added_later.py"), "L = 1\n");
    LayerTree tree = LayerTree.scan(site);
    Ownership own = new Ownership(DistInfoReader.readAll(site));

    PrunePlan plan = PrunePlanner.plan(new PrunePlanner.Input(tree, own, Set.of("app-lib"), true, List.of(),
        List.of(), null));
    PrunePlan protectedLibs = PrunePlanner.plan(new PrunePlanner.Input(tree, own, Set.of("app-lib"), true,
        List.of(), List.of(Glob.compile("extra.libs", "--include")), null));
    PrunePlan noAudit = PrunePlanner.plan(new PrunePlanner.Input(tree, own, null, true, List.of(), List.of(), null));

    List<String> extraFiles = tree.files().stream().map(f -> f.path())
        .filter(p -> p.startsWith("extra/") || p.startsWith("extra.libs/") || p.startsWith("extra-3.1.dist-info/"))
        .toList();
    List<String> unused = plan.deletions().stream().filter(d -> d.rule() == Rule.UNUSED)
        .map(PrunePlan.Deletion::path).toList();
    assertEquals(extraFiles, unused);
    assertTrue(unused.contains("extra/added_later.py") && unused.contains("extra.libs/libextra-1a2b.so.1")
        && unused.contains("extra-3.1.dist-info/METADATA"), unused.toString());
    assertEquals(Cli.size(site, extraFiles.toArray(String[]::new)), plan.byRule().get(Rule.UNUSED).bytes());
    assertTrue(protectedLibs.deletions().stream().noneMatch(d -> d.path().startsWith("extra.libs/")));
    assertEquals(1, protectedLibs.protectedFiles());
    assertTrue(noAudit.deletions().stream().noneMatch(d -> d.rule() == Rule.UNUSED));
  }

  private static List<String> distInfoDropped(Path site) throws Exception {
    List<String> out = new ArrayList<>();
    Set<String> keep = Set.of("METADATA", "entry_points.txt", "top_level.txt", "LICENSE.txt", "AUTHORS.md",
        "licenses/MIT.txt");
    for (String d : List.of("demo-1.0.dist-info", "test_helpers-2.0.dist-info")) {
      try (Stream<Path> s = Files.walk(site.resolve(d))) {
        s.filter(Files::isRegularFile).map(p -> site.resolve(d).relativize(p).toString())
            .filter(p -> !keep.contains(p)).sorted().forEach(p -> out.add(d + "/" + p));
      }
    }
    return out;
  }
}
