package dev.layerslim.python;

import dev.layerslim.python.PythonTokenizer.Kind;
import dev.layerslim.python.PythonTokenizer.LogicalLine;
import dev.layerslim.python.PythonTokenizer.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the imports of one Python module from its tokens: {@code import} and {@code from} statements
 * wherever they stand (top level, functions, classes, {@code if}/{@code try} blocks, after
 * {@code ;}), and {@code __import__("x")}, {@code importlib.import_module("x")} and
 * {@code import_module("x")} with a literal name, also through aliases ({@code import importlib as
 * il}, {@code from importlib import import_module as im}). Strings, comments and docstrings never
 * count, because the tokenizer has already turned them into single tokens or dropped them.
 *
 * <p>An import is optional when a {@code try:} whose handler catches ImportError guards it in the
 * same function (a {@code def} inside the {@code try:} runs later, unguarded), or when it stands
 * under {@code if TYPE_CHECKING:}, which is never true at run time.
 */
public final class ImportScanner {
  private ImportScanner() {}

  private static final Set<String> COMPOUND = Set.of("if", "elif", "else", "while", "for", "try",
      "except", "finally", "with", "def", "class", "async");

  /** Exceptions whose handler makes an import in the {@code try:} body optional. */
  private static final Set<String> IMPORT_ERROR_CATCHERS = Set.of("ImportError",
      "ModuleNotFoundError", "Exception", "BaseException");

  /**
   * An open block: its header's indentation; for a {@code try:} body, its state; whether it is a
   * function body (its code runs when called, outside any {@code try:} around the {@code def});
   * whether it is the body of {@code if TYPE_CHECKING:}.
   */
  private record Block(int indent, TryState tryState, boolean function, boolean typeChecking) {}

  /** Whether a try statement has a handler that catches ImportError; learnt after its body. */
  private static final class TryState {
    boolean catchesImportError;
  }

  /** Where an import stands: the try statements that guard it, and whether only type checkers see it. */
  private record Context(List<TryState> tries, boolean typeChecking) {}

  /**
   * One import. For a call ({@code il.import_module("x")}), {@code function} and {@code qualifier}
   * ({@code il}, or null for a bare name) are kept until the whole module's aliases are known.
   */
  private record Found(String module, List<String> names, int line, Context where, String qualifier,
      String function) {}

  /** What a module binds to importlib, import_module, builtins and __import__. */
  private static final class Aliases {
    final Set<String> importlib = new HashSet<>(Set.of("importlib"));
    final Set<String> importModule = new HashSet<>(Set.of("import_module"));
    final Set<String> builtins = new HashSet<>(Set.of("builtins"));
    final Set<String> dunderImport = new HashSet<>(Set.of("__import__"));

    boolean isImportCall(Found f) {
      if (f.qualifier() == null) {
        return importModule.contains(f.function()) || dunderImport.contains(f.function());
      }
      return f.function().equals("import_module") && importlib.contains(f.qualifier())
          || f.function().equals("__import__") && builtins.contains(f.qualifier());
    }
  }

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
    Aliases aliases = new Aliases();
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
        dynamicImports(t.subList(0, colon), packageName, context(blocks), found);
        boolean function = first.equals("def") || first.equals("async") && t.size() > 1 && t.get(1).is("def");
        boolean typeChecking = (first.equals("if") || first.equals("elif")) && isTypeChecking(t.subList(1, colon));
        blocks.push(new Block(ll.indent(), first.equals("try") ? new TryState() : null, function, typeChecking));
        bodyStart = colon + 1;
      }
      Context where = context(blocks);
      int start = bodyStart;
      for (int i = bodyStart; i <= t.size(); i++) {
        if (i == t.size() || t.get(i).is(";")) {
          if (i > start) {
            statement(t.subList(start, i), packageName, where, found, aliases);
          }
          start = i + 1;
        }
      }
    }
    List<PythonImport> out = new ArrayList<>();
    for (Found f : found) {
      if (f.function() != null && !aliases.isImportCall(f)) {
        continue;
      }
      boolean optional = f.where().typeChecking()
          || f.where().tries().stream().anyMatch(s -> s.catchesImportError);
      out.add(new PythonImport(f.module(), f.names(), f.line(), optional));
    }
    return out;
  }

  /**
   * The try statements that guard code in the innermost block, up to the nearest enclosing function
   * (a {@code def} inside a {@code try:} is only defined there; its body runs when called), and
   * whether any enclosing block is {@code if TYPE_CHECKING:}.
   */
  private static Context context(Deque<Block> blocks) {
    List<TryState> tries = new ArrayList<>();
    boolean inFunction = false;
    boolean typeChecking = false;
    for (Block b : blocks) { // innermost first
      if (b.tryState() != null && !inFunction) {
        tries.add(b.tryState());
      }
      inFunction |= b.function();
      typeChecking |= b.typeChecking();
    }
    return new Context(tries, typeChecking);
  }

  /** {@code TYPE_CHECKING} or {@code typing.TYPE_CHECKING} (any module name before the dot). */
  private static boolean isTypeChecking(List<Token> test) {
    return test.size() == 1 && test.get(0).is("TYPE_CHECKING")
        || test.size() == 3 && test.get(0).kind() == Kind.NAME && test.get(1).is(".")
            && test.get(2).is("TYPE_CHECKING");
  }

  private static boolean isCompoundHeader(List<Token> t) {
    Token first = t.get(0);
    if (first.kind() != Kind.NAME) {
      return false;
    }
    if (COMPOUND.contains(first.value())) {
      return true;
    }
    // match/case are soft keywords: a statement only when the line is a header ('case _: x = 1'
    // too), not 'match = 1', 'match.group()', 'match: int' or 'match(x)[1:2]'
    return (first.value().equals("match") || first.value().equals("case")) && t.size() > 2
        && headerColon(t) > 1 && !t.get(1).is("=") && !t.get(1).is(".") && !t.get(1).is(":")
        && !t.get(1).is(",") && !closes(t.get(1));
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

  private static void statement(List<Token> t, String pkg, Context where, List<Found> out, Aliases aliases) {
    Token first = t.get(0);
    if (first.is("import")) {
      importStatement(t, where, out, aliases);
    } else if (first.is("from") && t.size() > 1) {
      fromStatement(t, pkg, where, out, aliases);
    } else {
      dynamicImports(t, pkg, where, out);
    }
  }

  /** {@code import a.b as c, d}. */
  private static void importStatement(List<Token> t, Context where, List<Found> out, Aliases aliases) {
    int i = 1;
    while (i < t.size()) {
      StringBuilder name = new StringBuilder();
      i = dottedName(t, i, name);
      if (name.length() == 0) {
        return;
      }
      out.add(new Found(name.toString(), List.of(), t.get(0).line(), where, null, null));
      if (i + 1 < t.size() && t.get(i).is("as")) {
        String alias = t.get(i + 1).value();
        if (name.toString().equals("importlib")) {
          aliases.importlib.add(alias);
        } else if (name.toString().equals("builtins")) {
          aliases.builtins.add(alias);
        }
        i += 2;
      }
      if (i < t.size() && t.get(i).is(",")) {
        i++;
      } else {
        return;
      }
    }
  }

  /**
   * The head of {@code from ..a.b import …}: the module it names (a relative name resolved in
   * {@code pkg}), its dots, and where the imported names start; null when it names no module.
   */
  record FromHeader(String module, int level, int namesStart) {}

  static FromHeader fromHeader(List<Token> t, String pkg) {
    int i = 1;
    int level = 0;
    while (i < t.size() && t.get(i).is(".")) {
      level++;
      i++;
    }
    StringBuilder name = new StringBuilder();
    i = dottedName(t, i, name);
    if (i >= t.size() || !t.get(i).is("import")) {
      return null;
    }
    String module = level == 0 ? name.toString() : resolveRelative(pkg, level, name.toString());
    return module == null || module.isEmpty() ? null : new FromHeader(module, level, i + 1);
  }

  /** {@code from ..a.b import (c as d, e,)}. */
  private static void fromStatement(List<Token> t, String pkg, Context where, List<Found> out, Aliases aliases) {
    FromHeader h = fromHeader(t, pkg);
    if (h == null) {
      return;
    }
    List<String> names = new ArrayList<>();
    for (int k = h.namesStart(); k < t.size(); k++) {
      Token tok = t.get(k);
      if (tok.kind() == Kind.NAME && !tok.is("as") || tok.is("*")) {
        names.add(tok.value());
        String bound = k + 2 < t.size() && t.get(k + 1).is("as") ? t.get(k + 2).value() : tok.value();
        if (h.level() == 0 && h.module().equals("importlib") && tok.is("import_module")) {
          aliases.importModule.add(bound);
        } else if (h.level() == 0 && h.module().equals("builtins") && tok.is("__import__")) {
          aliases.dunderImport.add(bound);
        }
        if (k + 1 < t.size() && t.get(k + 1).is("as")) {
          k += 2; // skip the alias
        }
      }
    }
    out.add(new Found(h.module(), names, t.get(0).line(), where, null, null));
  }

  /** Reads {@code a.b.c} from {@code i}; returns the index after it. */
  static int dottedName(List<Token> t, int i, StringBuilder into) {
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

  /**
   * Calls with a literal module name that may be dynamic imports: {@code f("x")} and
   * {@code q.f("x")}. Which names are {@code import_module} and {@code __import__} is decided once
   * the whole module's aliases are known.
   */
  private static void dynamicImports(List<Token> t, String pkg, Context where, List<Found> out) {
    boolean[] inLambda = lambdaBodies(t);
    for (int i = 0; i + 3 < t.size(); i++) {
      Token k = t.get(i);
      if (k.kind() != Kind.NAME || !t.get(i + 1).is("(")) {
        continue;
      }
      if (i > 0 && t.get(i - 1).is("def")) {
        continue; // a definition of import_module, not a call
      }
      String qualifier = null;
      if (i > 0 && t.get(i - 1).is(".")) {
        // importlib.import_module: only a plain name before the dot can be the module
        boolean plain = i > 1 && t.get(i - 2).kind() == Kind.NAME && !(i > 2 && t.get(i - 3).is("."));
        qualifier = plain ? t.get(i - 2).value() : "";
      }
      Token arg = t.get(i + 2);
      if (arg.kind() != Kind.STRING || arg.value() == null || !(t.get(i + 3).is(",") || t.get(i + 3).is(")"))) {
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
        // a lambda's body runs when it is called, like a def's: no try around it guards it
        Context at = inLambda[i] ? new Context(List.of(), where.typeChecking()) : where;
        out.add(new Found(name, List.of(), k.line(), at, qualifier, k.value()));
      }
    }
  }

  /** Which tokens stand in a lambda's body: from its ':' to the ',' or bracket that ends it. */
  private static boolean[] lambdaBodies(List<Token> t) {
    boolean[] in = new boolean[t.size()];
    for (int i = 0; i < t.size(); i++) {
      if (!t.get(i).is("lambda")) {
        continue;
      }
      int depth = 0;
      int j = i + 1;
      for (; j < t.size() && !(depth == 0 && t.get(j).is(":")); j++) {
        depth += opens(t.get(j)) ? 1 : closes(t.get(j)) ? -1 : 0;
      }
      depth = 0;
      for (j++; j < t.size(); j++) {
        Token k = t.get(j);
        if (depth == 0 && (k.is(",") || closes(k))) {
          break;
        }
        depth += opens(k) ? 1 : closes(k) ? -1 : 0;
        in[j] = true;
      }
    }
    return in;
  }

  private static boolean opens(Token k) {
    return k.is("(") || k.is("[") || k.is("{");
  }

  private static boolean closes(Token k) {
    return k.is(")") || k.is("]") || k.is("}");
  }
}
