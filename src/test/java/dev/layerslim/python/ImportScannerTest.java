package dev.layerslim.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ImportScannerTest {

  private static Set<String> modules(String source) {
    return modules(source, "");
  }

  private static Set<String> modules(String source, String pkg) {
    return ImportScanner.scan(source, pkg).stream().map(PythonImport::module)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  /** module → line of its first import. */
  private static Map<String, Integer> lines(String source) {
    Map<String, Integer> out = new TreeMap<>();
    for (PythonImport i : ImportScanner.scan(source, "")) {
      out.putIfAbsent(i.module(), i.line());
    }
    return out;
  }

  @Test
  void scanner_readsPlainAndAliasedImportLists() {
    assertEquals(Set.of("a.b", "d"), modules("import a.b as c, d\n"));
    assertEquals(Set.of("a.b"), modules("from a.b import c\n"));
    List<PythonImport> from = ImportScanner.scan("from a.b import c as x, d\n", "");
    assertEquals(List.of("c", "d"), from.get(0).names());
    assertEquals("a", from.get(0).topLevel());
  }

  @Test
  void scanner_resolvesRelativeImportsAgainstTheModulesPackage() {
    assertEquals(Set.of("app.handlers"), modules("from . import x\n", "app.handlers"));
    assertEquals(Set.of("app.pkg"), modules("from ..pkg import y\n", "app.handlers"));
    assertEquals(Set.of("app.handlers.util"), modules("from .util import z\n", "app.handlers"));
    assertEquals(Set.of("app.x"), modules("from ...x import z\n", "app.handlers.deep"));
    // a relative import above the top package fails in Python too: nothing to report
    assertEquals(Set.of(), modules("from .. import up\n", "app"));
    assertEquals(Set.of(), modules("from . import x\n", ""));
  }

  @Test
  void scanner_joinsParenthesisedAndBackslashContinuedImports() {
    String src = "from pkg.mod import (\n    a,\n    b as bee,  # why\n    c,\n)\nimport one, \\\n    two\nx = 1\n";
    List<PythonImport> found = ImportScanner.scan(src, "");
    assertEquals(List.of("pkg.mod", "one", "two"), found.stream().map(PythonImport::module).toList());
    assertEquals(List.of("a", "b", "c"), found.get(0).names());
    assertEquals(Map.of("pkg.mod", 1, "one", 6, "two", 6), lines(src));
  }

  @Test
  void scanner_findsImportsInsideFunctionsClassesAndBlocks() {
    String src = String.join("\n",
        "def handler(event, context):",
        "    import inner_fn",
        "    return 1",
        "class C:",
        "    from cls_mod import thing",
        "if True:",
        "    import in_if",
        "else: import in_else",
        "with open('f') as f: import in_with",
        "async def g(): import in_async",
        "");
    assertEquals(Set.of("inner_fn", "cls_mod", "in_if", "in_else", "in_with", "in_async"), modules(src));
    assertEquals(2, lines(src).get("inner_fn"));
    assertEquals(8, lines(src).get("in_else"));
  }

  @Test
  void scanner_marksImportsGuardedByImportErrorAsOptional() {
    String src = String.join("\n",
        "try:",
        "    import ujson as json",
        "    from fast import speedups",
        "except ImportError:",
        "    import json",
        "try: import on_one_line",
        "except (ModuleNotFoundError, KeyError): pass",
        "try:",
        "    import required_anyway",
        "except KeyError:",
        "    pass",
        "def f():",
        "    try:",
        "        import nested_optional",
        "    except:",
        "        nested_optional = None",
        "import plain",
        "");
    Map<String, Boolean> optional = new TreeMap<>();
    for (PythonImport i : ImportScanner.scan(src, "")) {
      optional.put(i.module(), i.optional());
    }
    assertEquals(Map.of("ujson", true, "fast", true, "json", false, "on_one_line", true,
        "required_anyway", false, "nested_optional", true, "plain", false), optional);
  }

  @Test
  void scanner_readsDynamicImportsWithLiteralNamesOnly() {
    String src = String.join("\n",
        "import importlib",
        "from importlib import import_module",
        "m1 = __import__(\"dyn_dunder\")",
        "m2 = importlib.import_module('dyn.sub')",
        "m3 = import_module(\"dyn_bare\", package=None)",
        "m4 = importlib.import_module(name)",
        "m5 = importlib.import_module('pre' + suffix)",
        "m6 = other.import_module('not_this')",
        "m7 = importlib.import_module('.rel', __package__)",
        "def import_module(x): pass",
        "");
    assertEquals(Set.of("importlib", "dyn_dunder", "dyn.sub", "dyn_bare", "app.rel"), modules(src, "app"));
  }

  @Test
  void scanner_readsStatementsAfterSemicolons() {
    assertEquals(Set.of("os", "first", "second"), modules("x = 1; import first; import os, second\n"));
    assertEquals(Set.of("a"), modules("if x: y = 2; import a\n"));
  }

  @Test
  void scanner_ignoresImportsInsideStrings() {
    String src = String.join("\n",
        "s = \"import os\"",
        "t = 'from x import y'",
        "print(\"from x import y\")",
        "u = r'import raw\\' import still_in_string'",
        "v = b\"import bytes_mod\"",
        "w = \"escaped \\\" import escaped_mod\"",
        "z = u'import unicode_mod'; import real_after_string",
        "");
    assertEquals(Set.of("real_after_string"), modules(src));
  }

  @Test
  void scanner_ignoresImportsInCommentsAndDocstrings() {
    String src = String.join("\n",
        "\"\"\"Module doc.",
        "",
        "from a import b",
        "import fake_in_doc",
        "\"\"\"",
        "# import x",
        "import real  # import not_this",
        "def f():",
        "    '''from docstring import nope",
        "    import nope2'''",
        "    return 1",
        "");
    assertEquals(Set.of("real"), modules(src));
    assertEquals(7, lines(src).get("real"));
  }

  @Test
  void scanner_ignoresFStringsEvenWithNestedQuotesAndBraces() {
    String src = String.join("\n",
        "name = 'x'",
        "a = f\"import {name} {{import literal}}\"",
        "b = f\"{'import nested'} {d[\"k\"]} {x:{width}}\"",
        "c = rf'''from {name} import multi",
        "import line2'''",
        "import after_fstrings",
        "");
    assertEquals(Set.of("after_fstrings"), modules(src));
    assertEquals(6, lines(src).get("after_fstrings"));
  }

  @Test
  void scanner_keepsLineContinuationInsideAStringInsideTheString() {
    String src = "s = 'first \\\nimport inside_string'\nimport after\n";
    assertEquals(Set.of("after"), modules(src));
    assertEquals(3, lines(src).get("after"));
  }

  @Test
  void scanner_nestedParenthesesDoNotEndTheLogicalLineEarly() {
    String src = "x = foo((1, (2,\n  3)), [\n  {'a': (4)}\n])\nimport after_nesting\n"
        + "y = (\n  import_like_name\n)\n";
    assertEquals(Set.of("after_nesting"), modules(src));
    assertEquals(5, lines(src).get("after_nesting"));
  }

  @Test
  void scanner_doesNotTakeKeywordsUsedAsExpressionsForStatements() {
    String src = "def gen():\n    yield from items\n    raise E from err\nmatch = 1\nmatch.group(1)\n";
    assertEquals(Set.of(), modules(src));
    assertFalse(ImportScanner.scan("x = 1\n", "").iterator().hasNext());
    assertTrue(modules("match cmd:\n    case 1:\n        import in_case\n").contains("in_case"));
  }

  private static Map<String, Boolean> optionality(String source) {
    Map<String, Boolean> optional = new TreeMap<>();
    for (PythonImport i : ImportScanner.scan(source, "")) {
      optional.merge(i.module(), i.optional(), Boolean::logicalAnd);
    }
    return optional;
  }

  // a byte order mark before the first line does not hide its import
  @Test
  void scanner_aByteOrderMarkDoesNotHideTheFirstImport() {
    assertEquals(Set.of("numpy"), modules("\uFEFFimport numpy\n"));
    assertEquals(Set.of("numpy", "os"), modules("\uFEFFimport numpy\nimport os\n"));
    assertEquals(1, lines("\uFEFFfrom numpy import array\n").get("numpy"));
  }

  // a quote in an f-string's format spec is a fill character, not the end of the string
  @Test
  void scanner_aQuoteInAnFStringFormatSpecIsAFillCharacter() {
    String src = String.join("\n",
        "s = f\"{x:'>10}\"",
        "import after_single_fill",
        "t = f'{x:\">10} {y!r:\"^{width}}'",
        "import after_double_fill",
        "u = f\"\"\"{x:'<5}",
        "import in_triple_fstring",
        "\"\"\"",
        "import after_triple",
        "");
    assertEquals(Set.of("after_single_fill", "after_double_fill", "after_triple"), modules(src));
    assertEquals(8, lines(src).get("after_triple"));
  }

  // dynamic imports through aliases of importlib and import_module
  @Test
  void scanner_readsDynamicImportsThroughAliases() {
    String src = String.join("\n",
        "import importlib as il",
        "from importlib import import_module as im",
        "import builtins as b",
        "a = il.import_module('via_alias')",
        "c = im(\"via_function_alias\")",
        "d = b.__import__('via_builtins_alias')",
        "e = __import__('via_dunder')",
        "f = other.im('not_a_module')",
        "g = unrelated('not_either')",
        "");
    assertEquals(Set.of("importlib", "builtins", "via_alias", "via_function_alias", "via_builtins_alias",
        "via_dunder"), modules(src));
  }

  // imports under TYPE_CHECKING are for type checkers only
  @Test
  void scanner_importsOnlyTypeCheckersSeeAreNotRequired() {
    String src = String.join("\n",
        "from typing import TYPE_CHECKING",
        "import typing",
        "if TYPE_CHECKING:",
        "    from checked_only import Thing",
        "    def helper():",
        "        import checked_in_def",
        "else:",
        "    import runtime_else",
        "if typing.TYPE_CHECKING: import checked_inline",
        "if not TYPE_CHECKING:",
        "    import runtime_not",
        "import plain",
        "");
    assertEquals(Map.of("typing", false, "checked_only", true, "checked_in_def", true, "runtime_else", false,
        "checked_inline", true, "runtime_not", false, "plain", false), optionality(src));
  }

  // a def inside try: runs later, outside the try
  @Test
  void scanner_aFunctionDefinedInsideTryDoesNotInheritItsGuard() {
    String src = String.join("\n",
        "try:",
        "    import guarded",
        "    def later():",
        "        import called_later",
        "        try:",
        "            import guarded_inside_def",
        "        except ImportError:",
        "            pass",
        "    class Body:",
        "        import runs_in_class_body",
        "except ImportError:",
        "    pass",
        "");
    assertEquals(Map.of("guarded", true, "called_later", false, "guarded_inside_def", true,
        "runs_in_class_body", true), optionality(src));
  }
}
