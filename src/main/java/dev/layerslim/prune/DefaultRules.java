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

  private DefaultRules() {}

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
    return null;
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
