package dev.layerslim.prune;

/**
 * The named prune rules. Their {@link #id()}s are what report.json and the plan print; they never
 * change once released.
 */
public enum Rule {
  /** Folders of the user's {@code --exclude} globs: removed even when code imports them. */
  USER_EXCLUDE("user-exclude", "paths the user excluded"),
  /** Every file of a distribution the audit found unused ({@code --prune-unused}). */
  UNUSED("unused", "distributions no handler import reaches"),
  /** Sub-packages nothing reaches ({@code --prune-modules}): see {@link ModuleReach}. */
  UNREACHED_MODULE("unreached-module", "sub-packages no import, attribute, smoke run or rule reaches"),
  /** {@code tests/} and {@code test/} folders inside packages. */
  TESTS("tests", "test suites inside packages"),
  /** {@code docs/}, {@code doc/}, {@code examples/}, {@code benchmarks/} inside packages. */
  DOCS("docs", "docs, examples and benchmarks inside packages"),
  /** dist-info files nothing reads at run time (RECORD, INSTALLER, WHEEL, …). */
  DIST_INFO("dist-info", "dist-info files only installers read"),
  /** Console scripts in the layer's top-level {@code bin/}. */
  SCRIPTS("scripts", "console scripts in bin/"),
  /** {@code __pycache__} folders and stray {@code *.pyc}/{@code *.pyo}. */
  PYCACHE("pycache", "compiled bytecode (the bytecode step decides what comes back)"),
  /** C, C++, Cython and Fortran sources, headers and static archives. */
  BUILD_FILES("build-files", "sources, headers and static archives only a compiler reads"),
  /** {@code *.pyi} stubs and {@code py.typed} markers. */
  TYPE_STUBS("type-stubs", "type stubs only type checkers read"),
  /**
   * Extension modules built only for a package's own test suite ({@code numpy/_core/_multiarray_tests},
   * {@code scipy/**}{@code /_test_*}): removed unless code outside the tests imports them.
   */
  TEST_EXTENSIONS("test-extensions", "extension modules only the packages' own test suites import");

  private final String id;
  private final String description;

  Rule(String id, String description) {
    this.id = id;
    this.description = description;
  }

  /** The rule's name in report.json and on the console: {@code build-files}. */
  public String id() {
    return id;
  }

  /** What the rule removes, for people. */
  public String description() {
    return description;
  }
}
