package dev.layerslim.python;

import dev.layerslim.python.PythonTokenizer.Kind;
import dev.layerslim.python.PythonTokenizer.LogicalLine;
import dev.layerslim.python.PythonTokenizer.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the imports of one Python module from its tokens: {@code import} and {@code from} statements
 * wherever they stand (top level, functions, classes, {@code if}/{@code try} blocks, after
 * {@code ;}), and {@code __import__("x")}, {@code importlib.import_module("x")} and
 * {@code import_module("x")} with a literal name. Strings, comments and docstrings never count,
 * because the tokenizer has already turned them into single tokens or dropped them.
 */
public final class ImportScanner {
  private ImportScanner() {}

  private static final Set<String> COMPOUND = Set.of("if", "elif", "else", "while", "for", "try",
      "except", "finally", "with", "def", "class", "async");

  /** Exceptions whose handler makes an import in the {@code try:} body optional. */
  private static final Set<String> IMPORT_ERROR_CATCHERS = Set.of("ImportError",
      "ModuleNotFoundError", "Exception", "BaseException");

  /** An open block: its header's indentation and, for a {@code try:} body, its state. */
  private record Block(int indent, TryState tryState) {}

  /** Whether a try statement has a handler that catches ImportError; learnt after its body. */
  private static final class TryState {
    boolean catchesImportError;
  }

  private record Found(String module, List<String> names, int line, List<TryState> tries) {}

  /**
   * Scans {@code source}.
   *
   * @param packageName the dotted package the module belongs to ({@code pkg.sub} for
   *     {@code pkg/sub/mod.py} and for {@code pkg/sub/__init__.py}; {@code ""} for a top-level
   *     module), against which relative imports resolve; a relative import that climbs above the
   *     top is left out, as Python would fail it
   * @return the imports in source order
   */
  public static List<PythonImport> scan(String source, String packageName) {
    List<Found> found = new ArrayList<>();
    Deque<Block> blocks = new ArrayDeque<>();
    // the try statements whose body just ended, by indentation, waiting for their except clauses
    Map<Integer, TryState> closedTries = new HashMap<>();
    for (LogicalLine ll : PythonTokenizer.logicalLines(source)) {
      while (!blocks.isEmpty() && blocks.peek().indent() >= ll.indent()) {
        Block b = blocks.pop();
        if (b.tryState() != null) {
          closedTries.put(b.indent(), b.tryState());
        }
      }
      List<Token> t = ll.tokens();
      String first = t.get(0).kind() == Kind.NAME ? t.get(0).value() : "";
      if (first.equals("except")) {
        TryState ts = closedTries.get(ll.indent());
        if (ts != null && catchesImportError(t)) {
          ts.catchesImportError = true;
        }
      } else if (!first.equals("else") && !first.equals("finally")) {
        closedTries.remove(ll.indent());
      }
      int bodyStart = 0;
      if (isCompoundHeader(t)) {
        int colon = headerColon(t);
        if (colon < 0) {
          continue; // not valid Python: nothing reliable to read on this line
        }
        dynamicImports(t.subList(0, colon), packageName, tries(blocks), found);
        blocks.push(new Block(ll.indent(), first.equals("try") ? new TryState() : null));
        bodyStart = colon + 1;
      }
      List<TryState> enclosing = tries(blocks);
      int start = bodyStart;
      for (int i = bodyStart; i <= t.size(); i++) {
        if (i == t.size() || t.get(i).is(";")) {
          if (i > start) {
            statement(t.subList(start, i), packageName, enclosing, found);
          }
          start = i + 1;
        }
      }
    }
    List<PythonImport> out = new ArrayList<>();
    for (Found f : found) {
      boolean optional = f.tries().stream().anyMatch(s -> s.catchesImportError);
      out.add(new PythonImport(f.module(), f.names(), f.line(), optional));
    }
    return out;
  }

  private static List<TryState> tries(Deque<Block> blocks) {
    List<TryState> out = new ArrayList<>();
    for (Block b : blocks) {
      if (b.tryState() != null) {
        out.add(b.tryState());
      }
    }
    return out;
  }

  private static boolean isCompoundHeader(List<Token> t) {
    Token first = t.get(0);
    if (first.kind() != Kind.NAME) {
      return false;
    }
    if (COMPOUND.contains(first.value())) {
      return true;
    }
    // match/case are soft keywords: a statement only when the line is a header, not 'match = 1'
    return (first.value().equals("match") || first.value().equals("case")) && t.size() > 2
        && t.get(t.size() - 1).is(":") && !t.get(1).is("=") && !t.get(1).is(".");
  }

  /** The colon that ends a compound statement's header, past brackets and lambdas; -1 if none. */
  private static int headerColon(List<Token> t) {
    int depth = 0;
    int lambdas = 0;
    for (int i = 0; i < t.size(); i++) {
      Token k = t.get(i);
      if (k.is("(") || k.is("[") || k.is("{")) {
        depth++;
      } else if (k.is(")") || k.is("]") || k.is("}")) {
        depth--;
      } else if (depth == 0 && k.is("lambda")) {
        lambdas++;
      } else if (depth == 0 && k.is(":")) {
        if (lambdas == 0) {
          return i;
        }
        lambdas--;
      }
    }
    return -1;
  }

  private static boolean catchesImportError(List<Token> t) {
    if (t.size() < 2 || t.get(1).is(":")) {
      return true; // bare except
    }
    for (Token k : t) {
      if (k.is(":")) {
        break;
      }
      if (k.kind() == Kind.NAME && IMPORT_ERROR_CATCHERS.contains(k.value())) {
        return true;
      }
    }
    return false;
  }

  private static void statement(List<Token> t, String pkg, List<TryState> tries, List<Found> out) {
    Token first = t.get(0);
    if (first.is("import")) {
      importStatement(t, tries, out);
    } else if (first.is("from") && t.size() > 1) {
      fromStatement(t, pkg, tries, out);
    } else {
      dynamicImports(t, pkg, tries, out);
    }
  }

  /** {@code import a.b as c, d}. */
  private static void importStatement(List<Token> t, List<TryState> tries, List<Found> out) {
    int i = 1;
    while (i < t.size()) {
      StringBuilder name = new StringBuilder();
      i = dottedName(t, i, name);
      if (name.length() == 0) {
        return;
      }
      out.add(new Found(name.toString(), List.of(), t.get(0).line(), tries));
      if (i < t.size() && t.get(i).is("as")) {
        i += 2;
      }
      if (i < t.size() && t.get(i).is(",")) {
        i++;
      } else {
        return;
      }
    }
  }

  /** {@code from ..a.b import (c as d, e,)}. */
  private static void fromStatement(List<Token> t, String pkg, List<TryState> tries, List<Found> out) {
    int i = 1;
    int level = 0;
    while (i < t.size() && t.get(i).is(".")) {
      level++;
      i++;
    }
    StringBuilder name = new StringBuilder();
    i = dottedName(t, i, name);
    if (i >= t.size() || !t.get(i).is("import")) {
      return;
    }
    List<String> names = new ArrayList<>();
    for (int k = i + 1; k < t.size(); k++) {
      Token tok = t.get(k);
      if (tok.is("as")) {
        k++; // skip the alias
      } else if (tok.kind() == Kind.NAME || tok.is("*")) {
        names.add(tok.value());
      }
    }
    String module = level == 0 ? name.toString() : resolveRelative(pkg, level, name.toString());
    if (module != null && !module.isEmpty()) {
      out.add(new Found(module, names, t.get(0).line(), tries));
    }
  }

  /** Reads {@code a.b.c} from {@code i}; returns the index after it. */
  private static int dottedName(List<Token> t, int i, StringBuilder into) {
    while (i < t.size() && t.get(i).kind() == Kind.NAME && !t.get(i).is("import")) {
      into.append(t.get(i).value());
      i++;
      if (i + 1 < t.size() && t.get(i).is(".") && t.get(i + 1).kind() == Kind.NAME) {
        into.append('.');
        i++;
      } else {
        break;
      }
    }
    return i;
  }

  /** {@code from ..x import y} in package {@code a.b.c}: level 2 → {@code a.b.x}; null above the top. */
  static String resolveRelative(String pkg, int level, String name) {
    List<String> parts = new ArrayList<>(pkg.isEmpty() ? List.of() : List.of(pkg.split("\\.")));
    if (parts.size() < level) {
      return null;
    }
    List<String> base = parts.subList(0, parts.size() - (level - 1));
    String b = String.join(".", base);
    return name.isEmpty() ? b : b + "." + name;
  }

  /** {@code __import__("x")}, {@code importlib.import_module("x")}, {@code import_module("x")}. */
  private static void dynamicImports(List<Token> t, String pkg, List<TryState> tries, List<Found> out) {
    for (int i = 0; i + 2 < t.size(); i++) {
      Token k = t.get(i);
      boolean dunder = k.is("__import__");
      boolean importModule = k.is("import_module");
      if (!dunder && !importModule) {
        continue;
      }
      if (i > 0 && t.get(i - 1).is("def")) {
        continue; // a definition of import_module, not a call
      }
      if (i > 0 && t.get(i - 1).is(".")
          && (dunder ? !(i > 1 && t.get(i - 2).is("builtins")) : !(i > 1 && t.get(i - 2).is("importlib")))) {
        continue; // some other object's method of that name
      }
      Token arg = t.get(i + 2);
      if (!t.get(i + 1).is("(") || arg.kind() != Kind.STRING || arg.value() == null
          || i + 3 >= t.size() || !(t.get(i + 3).is(",") || t.get(i + 3).is(")"))) {
        continue; // a computed name (a variable, a concatenation) cannot be known here
      }
      String name = arg.value().trim();
      if (name.startsWith(".")) {
        int level = 0;
        while (level < name.length() && name.charAt(level) == '.') {
          level++;
        }
        name = resolveRelative(pkg, level, name.substring(level));
      }
      if (name != null && name.matches("[\\p{L}_][\\p{L}\\p{N}_]*(\\.[\\p{L}_][\\p{L}\\p{N}_]*)*")) {
        out.add(new Found(name, List.of(), k.line(), tries));
      }
    }
  }
}
