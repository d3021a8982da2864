package dev.layerslim.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerslim.layer.PythonSource;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds ImportScanner to CPython's own parser: the same corpus of tricky files goes through
 * {@link PythonSource} and {@link ImportScanner}, and through {@code ast.parse} in the real python3
 * (src/test/resources/dev/layerslim/python/ast_imports.py), and both must find the same imports,
 * with the same lines and the same optional flags.
 */
class ImportScannerAstTest {
  @TempDir Path tmp;

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      byte[] b = p instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) p;
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }

  private static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  /** The corpus: relative path → bytes. Every file is valid Python 3.11. */
  private static Map<String, byte[]> corpus() {
    Map<String, byte[]> c = new LinkedHashMap<>();
    c.put("bom.py", bytes(BOM, lines("import numpy", "import os.path as osp", "x = 1; import after_semicolon")));
    c.put("latin1.py", bytes("# -*- coding: latin-1 -*-\n", "s = 'caf", new byte[] {(byte) 0xE9}, "'  # ",
        new byte[] {(byte) 0xE9}, "\n", lines("import requests", "t = '''", "import in_latin_string", "'''",
            "from yaml import safe_load")));
    c.put("second_line_coding.py", bytes("#!/usr/bin/env python3\n# vim: set fileencoding=cp1252 :\n",
        "u = '", new byte[] {(byte) 0x80}, "'\n", lines("import boto3")));
    c.put("fstrings.py", bytes(lines(
        "x, w, d, a = 1, 5, {'k': 2}, True",
        "s1 = f\"{x:'>10}\"",
        "import after_fill_quote",
        "s2 = f'{x:\">10}'",
        "import after_double_fill",
        "s3 = f\"{d['k']!r:^{w}}\"",
        "import after_nested_spec",
        "s4 = f\"{x:{'>' if a else '<'}10}\"",
        "import after_conditional_spec",
        "s5 = f'''{x:'<5}",
        "import not_real_in_triple_fstring",
        "'''",
        "s6 = f\"{{import fake_braces}} {x!r} {x=}\"",
        "s7 = rf'{x}\\d' + Rb'import bytes_fake' + F\"{'import nested_fake'}\"",
        "s8 = f'{(lambda y: y)(x):>{w}}'",
        "import after_lambda_in_fstring",
        "s9 = f\"{x:%H:%M}\" if False else ''",
        "import after_colons_in_spec")));
    c.put("strings.py", bytes(lines(
        "\"\"\"Docstring.",
        "",
        "import in_docstring",
        "\"\"\"",
        "a = '''import in_triple",
        "from x import y'''",
        "b = 'first \\",
        "import in_continued_string'",
        "import one, \\",
        "    two",
        "from pkg.mod import (",
        "    a as aa,  # import in_comment",
        "    b,",
        ")",
        "c = \"escaped \\\" import escaped\"; import after_escape",
        "# import commented_out",
        "d = (",
        "    'import in_paren_string'",
        ")")));
    c.put("pkg/__init__.py", bytes(lines("from . import sub", "from .sub import rel")));
    c.put("pkg/sub/rel.py", bytes(lines(
        "from . import sibling",
        "from .. import parent_level",
        "from .m import z",
        "from ..n.o import p",
        "from ... import above_top",
        "import importlib",
        "mod = importlib.import_module('.dyn', __package__)")));
    c.put("dynamic.py", bytes(lines(
        "import importlib as il",
        "from importlib import import_module as im, reload",
        "import builtins as b",
        "import builtins",
        "a = il.import_module('via_alias')",
        "c = im(\"via_function_alias\")",
        "d = b.__import__('via_builtins_alias')",
        "e = __import__('via_dunder', globals())",
        "f = builtins.__import__('via_builtins')",
        "g = other.import_module('not_a_module')",
        "h = il.import_module(computed)",
        "i = x.il.import_module('not_this_either')",
        "def import_module(name): pass")));
    c.put("typecheck.py", bytes(lines(
        "from __future__ import annotations",
        "import typing",
        "from typing import TYPE_CHECKING",
        "if TYPE_CHECKING:",
        "    from checked_only import Thing",
        "    import checked_too",
        "    def helper():",
        "        import checked_in_def",
        "else:",
        "    import runtime_else",
        "if typing.TYPE_CHECKING: import checked_inline",
        "if not TYPE_CHECKING:",
        "    import runtime_not",
        "if x:",
        "    pass",
        "elif TYPE_CHECKING:",
        "    import checked_elif")));
    c.put("tries.py", bytes(lines(
        "try:",
        "    import ujson as json",
        "    from fast import speedups",
        "except ImportError:",
        "    import json",
        "else:",
        "    import in_try_else",
        "finally:",
        "    import in_finally",
        "try: import on_one_line",
        "except (ModuleNotFoundError, KeyError): pass",
        "try:",
        "    import required_anyway",
        "except KeyError:",
        "    pass",
        "try:",
        "    import caught_by_exception",
        "except Exception as e:",
        "    pass",
        "try:",
        "    def later():",
        "        import called_later",
        "        try:",
        "            import guarded_in_def",
        "        except ImportError:",
        "            pass",
        "    class Body:",
        "        import class_body_guarded",
        "    f = lambda: __import__('lambda_later')",
        "    import guarded_after_def",
        "except ImportError:",
        "    pass",
        "def g():",
        "    try:",
        "        import nested_optional",
        "    except:",
        "        nested_optional = None",
        "    try:",
        "        try:",
        "            import inner_keyerror_outer_import",
        "        except KeyError:",
        "            pass",
        "    except ImportError:",
        "        pass",
        "import plain")));
    c.put("misc.py", bytes(lines(
        "import a.b.c as d, e",
        "from star import *",
        "def gen():",
        "    yield from items",
        "    raise E from err",
        "match = 1",
        "match cmd:",
        "    case 1:",
        "        import in_case",
        "    case _: import in_default_case",
        "@decorator(__import__('in_decorator'))",
        "async def h():",
        "    import in_async",
        "class K(Base, metaclass=M): import in_class_line",
        "with open('f') as fh: import in_with",
        "while False: import in_while",
        "for i in range(1): import in_for",
        "if (n := 1): import after_walrus",
        "import_like = 1",
        "")));
    return c;
  }

  private static String packageOf(String rel) {
    int slash = rel.lastIndexOf('/');
    return slash < 0 ? "" : rel.substring(0, slash).replace('/', '.');
  }

  @Test
  void scanner_findsWhatCPythonsAstFinds_onTheTrickyCorpus() throws Exception {
    Map<String, byte[]> corpus = corpus();
    Path root = tmp.resolve("corpus");
    for (var e : corpus.entrySet()) {
      Path p = root.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
    Path helper = tmp.resolve("ast_imports.py");
    try (InputStream in = getClass().getResourceAsStream("/dev/layerslim/python/ast_imports.py")) {
      Files.copy(in, helper);
    }
    List<String> cmd = new ArrayList<>(List.of(dev.layerslim.testing.Wheels.python3(), "-I", helper.toString(), root.toString()));
    cmd.addAll(corpus.keySet());
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    JsonNode reference = new ObjectMapper().readTree(out);

    int total = 0;
    for (var e : corpus.entrySet()) {
      String rel = e.getKey();
      List<String> expected = new ArrayList<>();
      reference.path(rel).forEach(i -> expected.add(i.get(2).asInt() + " " + i.get(0).asText()
          + (i.get(1).asBoolean() ? " (optional)" : "")));
      PythonSource.Text text = PythonSource.module(e.getValue(), rel);
      assertEquals(null, text.problem(), rel);
      List<String> found = new ArrayList<>();
      for (PythonImport i : ImportScanner.scan(text.text(), packageOf(rel))) {
        found.add(i.line() + " " + i.module() + (i.optional() ? " (optional)" : ""));
      }
      expected.sort(null);
      found.sort(null);
      assertEquals(String.join("\n", expected), String.join("\n", found), rel + ": ast (expected) vs ImportScanner");
      total += expected.size();
    }
    // the corpus is not trivially empty on either side
    assertTrue(total > 60, "ast found " + total + " imports");
  }
}
