package dev.layerslim.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.layer.DistInfoReader;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Ownership;
import dev.layerslim.testing.Wheels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reach that strings and wrappers cannot hide, on a tree shaped like pandas + scipy: a module named by a
 * string handed to a wrapper, a kept module's own imports, imports over tuples and constants; the class
 * of each unit (hot, call-time, unreached); and the same answer whatever order the evidence comes in.
 */
class HiddenReachTest {
  @TempDir static Path tmp;
  static Path site;

  @BeforeAll
  static void install() throws Exception {
    Path wheels = tmp.resolve("wheels");
    Wheels.wheel("sp", "1.0").topLevel("sp")
        .file("sp/__init__.py", "")
        .file("sp/signal/__init__.py", "")
        .file("sp/signal/windows/__init__.py", "def gaussian(n, std):\n    return [std] * n\n")
        // public, imported by nothing at import time; its own import must keep _unuran
        .file("sp/stats/__init__.py", "from ._dist import norm\n")
        .file("sp/stats/_dist.py", "def norm():\n    return 0\n")
        .file("sp/stats/sampling.py", "from ._unuran import unuran_wrapper\n")
        .file("sp/stats/_unuran/__init__.py", "def unuran_wrapper():\n    return 1\n")
        .file("sp/fast/__init__.py", "F = 1\n")
        .file("sp/slow/__init__.py", "S = 1\n")
        .file("sp/common/__init__.py", "C = 1\n")
        .file("sp/other/__init__.py", "O = 1\n")
        .build(wheels);
    Wheels.wheel("pd", "1.0").topLevel("pd")
        // pandas/__init__.py's shape: __import__ over a module-level tuple
        .file("pd/__init__.py", "_hard_dependencies = ('sp.fast', 'sp.slow')\n"
            + "for _dependency in _hard_dependencies:\n    __import__(_dependency)\n")
        .file("pd/compat/__init__.py", "import importlib\n\ndef import_optional_dependency(name):\n"
            + "    return importlib.import_module(name)\n")
        .file("pd/window/__init__.py", "from pd.compat import import_optional_dependency\n\n"
            + "def rolling_gaussian(n):\n"
            + "    windows = import_optional_dependency(\"sp.signal.windows\")\n    return windows.gaussian(n, 1)\n")
        .file("pd/a/__init__.py", "from sp import common\n")
        .file("pd/b/__init__.py", "import sp.common\n")
        .build(wheels);
    site = tmp.resolve("site");
    Wheels.pipInstall(site, wheels, "sp", "pd");
  }

  private static ModuleReach.Result analyse(String handler, Set<String> loaded) throws Exception {
    LayerTree tree = LayerTree.scan(site);
    Ownership own = new Ownership(DistInfoReader.readAll(site));
    return ModuleReach.analyse(new ModuleReach.Input(tree, own, List.of(new ModuleReach.Source("app.py", handler)),
        loaded, null));
  }

  @Test
  void aStringNamingAModule_handedToAWrapper_reachesIt() throws Exception {
    ModuleReach.Result r = analyse("import pd.window\n", null);

    assertTrue(r.reached().containsKey("sp/signal/windows"), r.toString());
    assertEquals("the string \"sp.signal.windows\" in pd/window/__init__.py:4", r.reached().get("sp/signal/windows"));
    ModuleReach.UnitReach u = r.units().get("sp/signal/windows");
    assertEquals(ModuleReach.Reach.CALL_TIME, u.reach());
    assertEquals(ModuleReach.Via.STRING, u.evidence().via());
  }

  @Test
  void aKeptModulesOwnImports_count_evenWhenNothingImportsIt() throws Exception {
    ModuleReach.Result r = analyse("from sp.stats import norm\n", null);

    assertTrue(r.reached().containsKey("sp/stats/_unuran"), r.toString());
    assertEquals("imported by sp/stats/sampling.py:1", r.reached().get("sp/stats/_unuran"));
    assertEquals(ModuleReach.Reach.HOT, r.units().get("sp/stats").reach());
    assertEquals(ModuleReach.Reach.CALL_TIME, r.units().get("sp/stats/_unuran").reach());
    assertFalse(r.reached().containsKey("sp/other"), r.toString());
  }

  @Test
  void dunderImportOverAModuleLevelTuple_isFollowed_andKeepsNothingElse() throws Exception {
    ModuleReach.Result r = analyse("import pd\n", null);

    assertEquals(ModuleReach.Reach.HOT, r.units().get("sp/fast").reach(), r.toString());
    assertEquals(ModuleReach.Reach.HOT, r.units().get("sp/slow").reach());
    assertEquals(ModuleReach.Reach.UNREACHED, r.units().get("sp/other").reach());
    assertTrue(r.unreached().containsKey("sp/other"));
    assertTrue(r.dynamic().stream().noneMatch(d -> d.site().startsWith("pd/__init__.py")), r.dynamic().toString());
  }

  @Test
  void unitClasses_sayHotCallTimeOrUnreached_withTheEvidence() throws Exception {
    ModuleReach.Result r = analyse("import pd\n\ndef handler(event, context):\n    import pd.window\n", null);

    assertEquals(ModuleReach.Reach.CALL_TIME, r.units().get("pd/window").reach(), r.units().toString());
    assertEquals(ModuleReach.Via.IMPORT, r.units().get("pd/window").evidence().via());
    assertEquals("imported by handler app.py:4", r.units().get("pd/window").evidence().detail());
    assertEquals(ModuleReach.Reach.CALL_TIME, r.units().get("sp/signal/windows").reach());
    assertNotEquals(ModuleReach.Reach.CALL_TIME, r.units().get("sp/fast").reach());
    assertEquals(ModuleReach.Reach.UNREACHED, r.units().get("pd/a").reach());
  }

  @Test
  void theSameTree_givesTheSameResultAndReport_whateverOrderTheSmokeEvidenceComesIn() throws Exception {
    List<String> loaded = new ArrayList<>(List.of("pd/a/__init__.py", "pd/b/__init__.py", "pd/__init__.py"));
    ModuleReach.Result forward = analyse("import pd\n", new LinkedHashSet<>(loaded));
    Collections.reverse(loaded);
    ModuleReach.Result backward = analyse("import pd\n", new LinkedHashSet<>(loaded));

    assertEquals(forward, backward);
    LayerTree tree = LayerTree.scan(site);
    Ownership own = new Ownership(DistInfoReader.readAll(site));
    PrunePlan p1 = PrunePlanner.plan(new PrunePlanner.Input(tree, own, null, false, List.of(), List.of(), forward));
    PrunePlan p2 = PrunePlanner.plan(new PrunePlanner.Input(tree, own, null, false, List.of(), List.of(), backward));
    assertEquals(PruneReport.markdown(p1, false, forward), PruneReport.markdown(p2, false, backward));
    assertEquals(PruneReport.section(p1, false, List.of(), List.of(), forward).toString(),
        PruneReport.section(p2, false, List.of(), List.of(), backward).toString());
  }
}
