package dev.layerslim.prune;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The default rules as path tests. Folder rules ({@code tests}, {@code docs}) name a folder, which
 * the import guard may keep as a whole; file rules decide one file each.
 */
final class DefaultRules {
  private static final Set<String> TEST_DIRS = Set.of("tests", "test");
  private static final Set<String> DOC_DIRS = Set.of("docs", "doc", "examples", "benchmarks");
  private static final List<String> BUILD_SUFFIXES = List.of(".c", ".cpp", ".h", ".hpp", ".pyx", ".pxd", ".pxi",
      ".f", ".f90", ".a");
  private static final Set<String> DIST_INFO_KEPT = Set.of("METADATA", "entry_points.txt", "top_level.txt");
  private static final List<String> LICENSE_PREFIXES = List.of("LICENSE", "LICENCE", "COPYING", "NOTICE", "AUTHORS");

  /** numpy's extension modules built for its tests (and {@code _simd}, the test bed of its SIMD intrinsics). */
  private static final Set<String> NUMPY_TEST_EXTENSIONS = Set.of("_multiarray_tests", "_umath_tests",
      "_rational_tests", "_struct_ufunc_tests", "_operand_flag_tests", "_simd");
  /** scipy's, besides its {@code _test_*} modules. */
  private static final Set<String> SCIPY_TEST_EXTENSIONS = Set.of("ndimage/_ctest", "ndimage/_cytest");

  private DefaultRules() {}

  /**
   * True for an extension module that a package builds only for its own test suite: numpy's
   * {@code _core/_multiarray_tests}, {@code _umath_tests}, {@code _rational_tests},
   * {@code _struct_ufunc_tests}, {@code _operand_flag_tests} and {@code _simd} (also under the
   * old {@code numpy/core/}), and scipy's {@code _test_*} modules and {@code ndimage/_ctest},
   * {@code _cytest}. A list, not a pattern: a name that only looks like a test elsewhere stays.
   */
  static boolean isTestExtension(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.indexOf('.');
    if (dot <= 0 || !(name.endsWith(".so") || name.endsWith(".pyd"))) {
      return false;
    }
    String stem = name.substring(0, dot);
    String folder = path.substring(0, Math.max(0, path.lastIndexOf('/')));
    if (folder.equals("numpy/_core") || folder.equals("numpy/core")) {
      return NUMPY_TEST_EXTENSIONS.contains(stem);
    }
    if (folder.equals("scipy") || folder.startsWith("scipy/")) {
      return stem.startsWith("_test_") || SCIPY_TEST_EXTENSIONS.contains(folder.substring("scipy".length())
          .replaceFirst("^/", "") + "/" + stem);
    }
    return false;
  }

  /** True for a module only a test runner loads: conftest.py, test_*.py, or one inside tests/ or test/. */
  static boolean isTestModule(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (name.equals("conftest.py") || name.startsWith("test_")) {
      return true;
    }
    for (String part : path.split("/")) {
      if (TEST_DIRS.contains(part)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The folder rule for the folder {@code folder} ('/'-separated, relative to the root), or null.
   * Only folders inside a package count: a top-level {@code tests/} is a distribution of its own.
   */
  static Rule folderRule(String folder) {
    int slash = folder.lastIndexOf('/');
    if (slash < 0) {
      return null;
    }
    String top = folder.substring(0, folder.indexOf('/'));
    if (top.endsWith(".dist-info") || top.equals("bin")) {
      return null;
    }
    String name = folder.substring(slash + 1);
    if (TEST_DIRS.contains(name)) {
      return Rule.TESTS;
    }
    return DOC_DIRS.contains(name) ? Rule.DOCS : null;
  }

  /** The file rule that removes {@code path}, or null when none does. */
  static Rule fileRule(String path) {
    int slash = path.indexOf('/');
    String top = slash < 0 ? path : path.substring(0, slash);
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (top.endsWith(".dist-info") && slash > 0) {
      return distInfoKept(path.substring(slash + 1), name) ? null : Rule.DIST_INFO;
    }
    if (top.equals("bin") && slash > 0) {
      return Rule.SCRIPTS;
    }
    if (path.startsWith("__pycache__/") || path.contains("/__pycache__/") || name.endsWith(".pyc")
        || name.endsWith(".pyo")) {
      return Rule.PYCACHE;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    for (String s : BUILD_SUFFIXES) {
      if (lower.endsWith(s) && lower.length() > s.length()) {
        return Rule.BUILD_FILES;
      }
    }
    if (name.endsWith(".pyi") || name.equals("py.typed")) {
      return Rule.TYPE_STUBS;
    }
    return isTestExtension(path) ? Rule.TEST_EXTENSIONS : null;
  }

  /** True for a pyc outside {@code __pycache__}: it may be a module shipped without its source. */
  static boolean isStrayBytecode(String path) {
    return (path.endsWith(".pyc") || path.endsWith(".pyo")) && !path.startsWith("__pycache__/")
        && !path.contains("/__pycache__/");
  }

  /** What importlib.metadata reads (METADATA, entry points, top-level names) and every license file. */
  private static boolean distInfoKept(String inner, String name) {
    if (DIST_INFO_KEPT.contains(inner) || inner.startsWith("licenses/")) {
      return true;
    }
    String upper = name.toUpperCase(Locale.ROOT);
    for (String p : LICENSE_PREFIXES) {
      if (upper.startsWith(p)) {
        return true;
      }
    }
    return false;
  }
}
