package dev.layerslim.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Dynamic imports whose names {@link ImportScanner} reads statically, and those it reports as computed. */
class DynamicImportScanTest {

  private static Set<String> modules(String source, String pkg) {
    Set<String> out = new TreeSet<>();
    for (PythonImport i : ImportScanner.scan(source, pkg)) {
      out.add(i.module());
    }
    return out;
  }

  private static List<ComputedImport> computed(String source) {
    return ImportScanner.scanAll(source, "").computed();
  }

  @Test
  void relativeName_withALiteralPackage_resolvesAgainstThatPackage() {
    String src = "import importlib\n\ndef handler(event, context):\n"
        + "    logs = importlib.import_module(\"._logs\", package=\"opentelemetry\")\n    return 1\n";
    assertEquals(Set.of("importlib", "opentelemetry._logs"), modules(src, ""));
    PythonImport dyn = ImportScanner.scan(src, "").get(1);
    assertTrue(dyn.dynamic() && dyn.callTime(), dyn.toString());
    assertEquals(List.of(), computed(src));
    // positional package, two levels up, and __package__
    assertEquals(Set.of("a.x"), modules("from importlib import import_module\nimport_module('..x', 'a.b')\n", "")
        .stream().filter(m -> !m.equals("importlib")).collect(java.util.stream.Collectors.toSet()));
    assertTrue(modules("import importlib\nimportlib.import_module('.impl', package=__package__)\n", "app.core")
        .contains("app.core.impl"));
  }

  @Test
  void moduleLevelStringConstant_isFollowed() {
    String src = "import importlib\nBACKEND = 'pkg.backends.fast'\n\ndef load():\n"
        + "    return importlib.import_module(BACKEND)\n";
    assertTrue(modules(src, "").contains("pkg.backends.fast"));
    assertEquals(List.of(), computed(src));
  }

  @Test
  void loopOverALiteralTuple_andOverAModuleLevelTupleConstant_areFollowed() {
    assertTrue(modules("for m in ('a.one', 'b.two'):\n    __import__(m)\n", "").containsAll(Set.of("a.one", "b.two")));
    assertTrue(modules("for m in ['c']: __import__(m)\n", "").contains("c"));
    // pandas/__init__.py's shape
    String pandas = "_hard_dependencies = (\"numpy\", \"dateutil\")\n_missing_dependencies = []\n\n"
        + "for _dependency in _hard_dependencies:\n    try:\n        __import__(_dependency)\n"
        + "    except ImportError as _e:\n        _missing_dependencies.append(f\"{_dependency}: {_e}\")\n";
    assertEquals(Set.of("numpy", "dateutil"), modules(pandas, "pandas"));
    assertEquals(List.of(), ImportScanner.scanAll(pandas, "pandas").computed());
    // a comprehension over literals
    assertTrue(modules("import importlib\nmods = [importlib.import_module(n) for n in ('x.a', 'x.b')]\n", "")
        .containsAll(Set.of("x.a", "x.b")));
  }

  @Test
  void importlibDunderImport_andAnAliasedImportModule_count() {
    assertTrue(modules("import importlib\nimportlib.__import__('q.r')\n", "").contains("q.r"));
    assertTrue(modules("from importlib import import_module as im\nim('s.t')\n", "").contains("s.t"));
  }

  @Test
  void fStringWithALiteralHead_isComputedWithThatHead() {
    List<ComputedImport> c = computed("import importlib\ndef load(name):\n"
        + "    return importlib.import_module(f\"plugins.{name}\")\n");
    assertEquals(1, c.size(), c.toString());
    assertEquals("plugins.", c.get(0).head());
    assertEquals(3, c.get(0).line());
    assertTrue(c.get(0).callTime());
    assertEquals("plugins", c.get(0).topLevel());
    // concatenation, and a relative f-string with a literal package
    assertEquals("plugins.", computed("import importlib\nimportlib.import_module('plugins.' + x)\n").get(0).head());
    assertEquals("otel._", computed("import importlib\nimportlib.import_module(f'._{k}', package='otel')\n")
        .get(0).head());
  }

  @Test
  void fullyComputedName_isComputedWithAnEmptyHead_andNamesTheCall() {
    List<ComputedImport> c = computed("import importlib, os\n\nmod = importlib.import_module(os.environ['M'])\n");
    assertEquals(1, c.size(), c.toString());
    assertEquals("", c.get(0).head());
    assertEquals(3, c.get(0).line());
    assertTrue(c.get(0).call().startsWith("importlib.import_module(os.environ"), c.get(0).call());
    // a parameter, and a constant rebound to something computed
    assertEquals("", computed("def f(name):\n    return __import__(name)\n").get(0).head());
    assertEquals(1, computed("N = 'a'\nN = pick()\n__import__(N)\n").size());
    // not an import call: another function of the same name on some object
    assertEquals(List.of(), computed("obj.import_module(name)\n"));
  }
}
