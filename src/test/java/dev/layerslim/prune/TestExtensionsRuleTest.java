package dev.layerslim.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Ownership;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code test-extensions} rule: extension modules only a package's own tests import. */
class TestExtensionsRuleTest {
  @TempDir Path tmp;

  private static final String SO = ".cpython-311-x86_64-linux-gnu.so";

  private void file(Path root, String path, String text) throws Exception {
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @Test
  void plan_removesTestOnlyExtensions_keepsOnesCodeOutsideTheTestsImports_andLookalikesElsewhere()
      throws Exception {
    Path root = tmp.resolve("site");
    for (String m : List.of("_multiarray_tests", "_umath_tests", "_rational_tests", "_simd", "_multiarray_umath")) {
      file(root, "numpy/_core/" + m + SO, "ELF-ish");
    }
    file(root, "numpy/_core/__init__.py", "from . import _multiarray_umath\n");
    // outside the tests, inside a function: a call may need it, so it stays
    file(root, "numpy/testing/helpers.py", "def table():\n    from numpy._core._umath_tests import x\n    return x\n");
    // the package's own tests and conftest do not count
    file(root, "numpy/_core/tests/test_casts.py", "from numpy._core import _rational_tests\n");
    file(root, "numpy/conftest.py", "from numpy._core._multiarray_tests import get_fpu_mode\n");
    file(root, "scipy/_lib/_test_ccallback" + SO, "ELF-ish");
    file(root, "scipy/ndimage/_ctest" + SO, "ELF-ish");
    file(root, "scipy/ndimage/_nd_image" + SO, "ELF-ish");
    file(root, "other/_test_helpers" + SO, "ELF-ish");
    LayerTree tree = LayerTree.scan(root);

    PrunePlan plan = PrunePlanner.plan(new PrunePlanner.Input(tree, new Ownership(List.of()), null, false,
        List.of(), List.of(), null));

    Map<String, String> byRule = new TreeMap<>();
    plan.deletions().stream().filter(d -> d.rule() == Rule.TEST_EXTENSIONS)
        .forEach(d -> byRule.put(d.path(), d.reason()));
    assertEquals(List.of("numpy/_core/_multiarray_tests" + SO, "numpy/_core/_rational_tests" + SO,
        "numpy/_core/_simd" + SO, "scipy/_lib/_test_ccallback" + SO, "scipy/ndimage/_ctest" + SO),
        List.copyOf(byRule.keySet()));
    List<PrunePlan.Keep> kept = plan.keeps().stream().filter(k -> k.rule() == Rule.TEST_EXTENSIONS).toList();
    assertEquals(List.of(new PrunePlan.Keep("numpy/_core/_umath_tests" + SO, Rule.TEST_EXTENSIONS,
        "imported by numpy/testing/helpers.py")), kept);
    assertEquals("test-extensions", Rule.TEST_EXTENSIONS.id());
  }
}
