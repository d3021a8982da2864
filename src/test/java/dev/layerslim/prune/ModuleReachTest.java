package dev.layerslim.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.layer.DistInfoReader;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Ownership;
import dev.layerslim.testing.Wheels;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which sub-packages {@link ModuleReach} finds reached, on trees pip installs from test-built wheels. */
class ModuleReachTest {
  @TempDir Path tmp;

  /** A package {@code sci} shaped like scipy: six sub-packages, a lazy loader, one of each kind of import. */
  private Path site() throws Exception {
    Path wheels = tmp.resolve("wheels");
    Wheels.wheel("sci", "1.0").topLevel("sci")
        // scipy's lazy loader: a computed import in the package's module-level __getattr__
        .file("sci/__init__.py", """
            import importlib as _importlib
            submodules = ['stats', 'spatial', 'optimize', 'io', 'plugins', 'extra', 'tables']
            def __getattr__(name):
                if name in submodules:
                    return _importlib.import_module(f'sci.{name}')
                raise AttributeError(name)
            """)
        .file("sci/stats/__init__.py", "from ._dist import norm\n")
        .file("sci/stats/_dist.py", "def norm():\n    return 'norm'\n")
        .file("sci/spatial/__init__.py", "def helper():\n    from sci import optimize\n    return optimize.X\n")
        .file("sci/optimize/__init__.py", "X = 'optimize'\n")
        .file("sci/io/__init__.py", "import importlib\nM = importlib.import_module('sci.extra')\n")
        .file("sci/extra/__init__.py", "E = 1\n")
        // a plugin loader: imports a computed name within its own package
        .file("sci/plugins/__init__.py", "import importlib\ndef load(name):\n"
            + "    return importlib.import_module('sci.plugins.' + name)\n")
        .file("sci/plugins/fast/__init__.py", "F = 1\n")
        .file("sci/plugins/slow/__init__.py", "S = 1\n")
        .file("sci/tables/__init__.py", "")
        .file("sci/tables/big.dat", "x".repeat(1000))
        .build(wheels);
    Path site = tmp.resolve("site");
    Wheels.pipInstall(site, wheels, "sci");
    return site;
  }

  private ModuleReach.Result analyse(Path site, String handler, Set<String> loaded) throws Exception {
    LayerTree tree = LayerTree.scan(site);
    Ownership own = new Ownership(DistInfoReader.readAll(site));
    return ModuleReach.analyse(new ModuleReach.Input(tree, own, List.of(new ModuleReach.Source("app.py", handler)),
        loaded, null));
  }

  @Test
  void attributeChainInTheHandler_reachesTheSubPackage_andTheLazyLoaderKeepsNothingElse() throws Exception {
    ModuleReach.Result r = analyse(site(), "import sci\n\ndef handler(event, context):\n"
        + "    return sci.stats.norm()\n", null);

    assertTrue(r.reached().containsKey("sci/stats"), r.toString());
    assertTrue(r.reached().get("sci/stats").contains("attribute sci.stats.norm"), r.reached().toString());
    assertEquals(Set.of("sci/spatial", "sci/optimize", "sci/io", "sci/extra", "sci/plugins", "sci/tables"),
        r.unreached().keySet(), r.toString());
    ModuleReach.Dynamic lazy = r.dynamic().stream().filter(d -> d.site().startsWith("sci/__init__.py:"))
        .findFirst().orElseThrow();
    assertEquals("lazy-getattr", lazy.rule());
    assertEquals("sci/__init__.py:5", lazy.site());
  }

  @Test
  void importsInsideFunctionsCount_andTheClosureFollowsTheLayersSources() throws Exception {
    ModuleReach.Result r = analyse(site(), "from sci import spatial\n", null);

    assertTrue(r.reached().containsKey("sci/spatial"));
    // spatial's helper imports optimize inside a function: at any depth, it counts
    assertTrue(r.reached().get("sci/optimize").startsWith("imported by sci/spatial/__init__.py:2"),
        r.reached().toString());
    assertFalse(r.reached().containsKey("sci/stats"));
  }

  @Test
  void literalDynamicImportIsFollowed() throws Exception {
    ModuleReach.Result r = analyse(site(), "import sci.io\n", null);

    assertTrue(r.reached().containsKey("sci/io"));
    // importlib.import_module('sci.extra') on line 2: a literal name is an import like any other
    assertEquals("imported by sci/io/__init__.py:2", r.reached().get("sci/extra"), r.reached().toString());
    assertTrue(r.unreached().containsKey("sci/stats"));
  }

  @Test
  void computedImportKeepsEverySubPackageOfItsPackage_andNamesTheSite() throws Exception {
    ModuleReach.Result r = analyse(site(), "from sci.plugins import load\n", null);

    assertTrue(r.reached().containsKey("sci/plugins/fast"), r.toString());
    assertTrue(r.reached().containsKey("sci/plugins/slow"), r.toString());
    assertTrue(r.reached().get("sci/plugins/slow").contains("computed import at sci/plugins/__init__.py:3"));
    ModuleReach.Dynamic d = r.dynamic().stream().filter(x -> x.site().equals("sci/plugins/__init__.py:3"))
        .findFirst().orElseThrow();
    assertEquals("computed-import", d.rule());
    assertEquals("sci.plugins", d.kept());
    // its literal start names sci.plugins: the rest of sci is not kept for it
    assertTrue(r.unreached().containsKey("sci/stats"), r.toString());
  }

  @Test
  void aModuleTheSmokeRunLoaded_isReached() throws Exception {
    ModuleReach.Result r = analyse(site(), "import sci\n", Set.of("sci/__init__.py", "sci/optimize/__init__.py"));

    assertEquals("loaded by the smoke run", r.reached().get("sci/optimize"));
    assertTrue(r.unreached().containsKey("sci/stats"));
  }

  @Test
  void matplotlibRule_keepsAggTheFormatBackendsAndTheSelectedOne_notTheOtherGuiBackends() throws Exception {
    Path wheels = tmp.resolve("wheels");
    Wheels.wheel("matplotlib", "3.0").topLevel("matplotlib")
        .file("matplotlib/__init__.py", "")
        .file("matplotlib/pyplot.py", "import importlib\ndef switch_backend(name):\n"
            + "    return importlib.import_module('matplotlib.backends.backend_' + name.lower())\n")
        .file("matplotlib/backends/__init__.py", "")
        .file("matplotlib/backends/backend_agg.py", "")
        .file("matplotlib/backends/backend_svg.py", "")
        .file("matplotlib/backends/backend_qt.py", "from . import qt_compat\n")
        .file("matplotlib/backends/qt_compat.py", "")
        .file("matplotlib/backends/backend_gtk3.py", "")
        .build(wheels);
    Path site = tmp.resolve("site");
    Wheels.pipInstall(site, wheels, "matplotlib");
    LayerTree tree = LayerTree.scan(site);
    Ownership own = new Ownership(DistInfoReader.readAll(site));
    List<ModuleReach.Source> handler = List.of(new ModuleReach.Source("app.py", "import matplotlib.pyplot as plt\n"));

    ModuleReach.Result plain = ModuleReach.analyse(new ModuleReach.Input(tree, own, handler, null, null));
    ModuleReach.Result qt = ModuleReach.analyse(new ModuleReach.Input(tree, own, handler, null, "QT"));

    assertEquals(Set.of("matplotlib/backends/backend_qt.py", "matplotlib/backends/qt_compat.py",
        "matplotlib/backends/backend_gtk3.py"), plain.unreached().keySet(), plain.toString());
    assertEquals("matplotlib-backends", plain.dynamic().get(0).rule());
    assertEquals("matplotlib/pyplot.py:3", plain.dynamic().get(0).site());
    // MPLBACKEND=QT keeps backend_qt and what it imports
    assertEquals(Set.of("matplotlib/backends/backend_gtk3.py"), qt.unreached().keySet(), qt.toString());
  }

  @Test
  void dataFolderNamedOnALineThatBuildsAPath_isKept() throws Exception {
    Path wheels = tmp.resolve("wheels");
    Wheels.wheel("geo", "1.0").topLevel("geo")
        .file("geo/__init__.py", "import os\nDATA = os.path.join(os.path.dirname(__file__), 'proj_dir', 'db')\n"
            + "NAMES = ['unused_dir']\n")
        .file("geo/proj_dir/__init__.py", "")
        .file("geo/proj_dir/db", "database")
        .file("geo/unused_dir/__init__.py", "")
        .file("geo/unused_dir/table.csv", "a,b\n")
        .build(wheels);
    Path site = tmp.resolve("site");
    Wheels.pipInstall(site, wheels, "geo");

    ModuleReach.Result r = analyse(site, "import geo\n", null);

    assertTrue(r.reached().get("geo/proj_dir").contains("geo/__init__.py:2"), r.toString());
    // a bare name in a list is not a path
    assertTrue(r.unreached().containsKey("geo/unused_dir"), r.toString());
  }
}
