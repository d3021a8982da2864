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
import java.util.regex.Pattern;

/**
 * Finds the imports of one Python module from its tokens: {@code import} and {@code from} statements
 * wherever they stand (top level, functions, classes, {@code if}/{@code try} blocks, after
 * {@code ;}), and {@code __import__(…)}, {@code importlib.import_module(…)},
 * {@code importlib.__import__(…)} and {@code import_module(…)}, also through aliases ({@code import
 * importlib as il}, {@code from importlib import import_module as im}). Strings, comments and
 * docstrings never count, because the tokenizer has already turned them into single tokens or dropped
 * them.
 *
 * <p>A dynamic import's name is read statically where it can be: a literal (a relative one resolved
 * against a literal {@code package=}, or {@code package=__package__}), a module-level string
 * constant ({@code NAME = "x.y"}), a loop or comprehension over a literal tuple or list or over such a
 * module-level constant ({@code for m in _deps: __import__(m)}). Any other name is a
 * {@link ComputedImport}, with the literal start of its name ({@code f"plugins.{name}"},
 * {@code "plugins." + name}) when it has one.
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
  private record Block(int indent, TryState tryState, boolean function, boolean typeChecking,
      Map<String, List<String>> loopValues) {}

  /** Whether a try statement has a handler that catches ImportError; learnt after its body. */
  private static final class TryState {
    boolean catchesImportError;
  }

  /**
   * Where an import stands: the try statements that guard it, whether only type checkers see it,
   * whether it runs only when a function is called, and the loop variables bound to literal values.
   */
  private record Context(List<TryState> tries, boolean typeChecking, boolean callTime,
      Map<String, List<String>> loopValues) {}

  /**
   * One import. For a call ({@code il.import_module("x")}), {@code function} and {@code qualifier}
   * ({@code il}, or null for a bare name) are kept until the whole module's aliases are known;
   * {@code head} is non-null for a call whose name is computed (then {@code module} is the call's text).
   */
  private record Found(String module, List<String> names, int line, Context where, String qualifier,
      String function, String head) {
    Found(String module, List<String> names, int line, Context where, String qualifier, String function) {
      this(module, names, line, where, qualifier, function, null);
    }
  }

  /** What {@link #scanAll} finds: the imports it could name, and the dynamic ones it could not. */
  public record Scan(List<PythonImport> imports, List<ComputedImport> computed) {
    public Scan {
      imports = List.copyOf(imports);
      computed = List.copyOf(computed);
    }
  }

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
      return (f.function().equals("import_module") || f.function().equals("__import__"))
          && importlib.contains(f.qualifier())
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
    return scanAll(source, packageName).imports();
  }

  /** As {@link #scan}, with the dynamic imports whose name cannot be read statically. */
  public static Scan scanAll(String source, String packageName) {
    List<Found> found = new ArrayList<>();
    Aliases aliases = new Aliases();
    Deque<Block> blocks = new ArrayDeque<>();
    List<LogicalLine> lines = PythonTokenizer.logicalLines(source);
    Map<String, List<String>> constants = constants(lines);
    Names names = new Names(packageName, constants, callAliases(lines));
    // the try statements whose body just ended, by indentation, waiting for their except clauses
    Map<Integer, TryState> closedTries = new HashMap<>();
    for (LogicalLine ll : lines) {
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
        dynamicImports(t.subList(0, colon), names, context(blocks), found);
        boolean function = first.equals("def") || first.equals("async") && t.size() > 1 && t.get(1).is("def");
        boolean typeChecking = (first.equals("if") || first.equals("elif")) && isTypeChecking(t.subList(1, colon));
        boolean loop = first.equals("for") || first.equals("async") && t.size() > 1 && t.get(1).is("for");
        Map<String, List<String>> loopValues = loop
            ? loopValues(t.subList(first.equals("for") ? 1 : 2, colon), constants) : Map.of();
        blocks.push(new Block(ll.indent(), first.equals("try") ? new TryState() : null, function, typeChecking,
            loopValues));
        bodyStart = colon + 1;
      }
      Context where = context(blocks);
      int start = bodyStart;
      for (int i = bodyStart; i <= t.size(); i++) {
        if (i == t.size() || t.get(i).is(";")) {
          if (i > start) {
            statement(t.subList(start, i), names, where, found, aliases);
          }
          start = i + 1;
        }
      }
    }
    List<PythonImport> out = new ArrayList<>();
    List<ComputedImport> computed = new ArrayList<>();
    for (Found f : found) {
      if (f.function() != null && !aliases.isImportCall(f)) {
        continue;
      }
      boolean optional = f.where().typeChecking()
          || f.where().tries().stream().anyMatch(s -> s.catchesImportError);
      if (f.head() != null) {
        computed.add(new ComputedImport(f.module(), f.head(), f.line(), optional, f.where().callTime()));
      } else {
        out.add(new PythonImport(f.module(), f.names(), f.line(), optional, f.where().callTime(),
            f.function() != null));
      }
    }
    return new Scan(out, computed);
  }

  /** Names bound to import_module or __import__ by {@code … import import_module as NAME}. */
  private static Set<String> callAliases(List<LogicalLine> lines) {
    Set<String> out = new HashSet<>(Set.of("import_module", "__import__"));
    for (LogicalLine ll : lines) {
      List<Token> t = ll.tokens();
      for (int i = 0; i + 2 < t.size(); i++) {
        if ((t.get(i).is("import_module") || t.get(i).is("__import__")) && t.get(i + 1).is("as")) {
          out.add(t.get(i + 2).value());
        }
      }
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
    Map<String, List<String>> loops = new HashMap<>();
    for (Block b : blocks) { // innermost first
      if (b.tryState() != null && !inFunction) {
        tries.add(b.tryState());
      }
      inFunction |= b.function();
      typeChecking |= b.typeChecking();
      b.loopValues().forEach(loops::putIfAbsent);
    }
    return new Context(tries, typeChecking, inFunction, loops);
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

  private static void statement(List<Token> t, Names names, Context where, List<Found> out, Aliases aliases) {
    Token first = t.get(0);
    if (first.is("import")) {
      importStatement(t, where, out, aliases);
    } else if (first.is("from") && t.size() > 1) {
      fromStatement(t, names.pkg(), where, out, aliases);
    } else {
      dynamicImports(t, names, where, out);
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

  /** What a module's dynamic-import names are read against: its package and module-level constants. */
  private record Names(String pkg, Map<String, List<String>> constants, Set<String> calls) {
    boolean aliasCandidate(String name) {
      return calls.contains(name);
    }
  }

  private static final Pattern MODULE_NAME = Pattern.compile(
      "[\\p{L}_][\\p{L}\\p{N}_]*(\\.[\\p{L}_][\\p{L}\\p{N}_]*)*");

  /**
   * Calls that may be dynamic imports: {@code f(…)} and {@code q.f(…)}. Which names are
   * {@code import_module} and {@code __import__} is decided once the whole module's aliases are
   * known. A name read statically gives one import per value; any other name a computed import.
   */
  private static void dynamicImports(List<Token> t, Names names, Context where, List<Found> out) {
    boolean[] inLambda = lambdaBodies(t);
    for (int i = 0; i + 2 < t.size(); i++) {
      Token k = t.get(i);
      if (k.kind() != Kind.NAME || !t.get(i + 1).is("(")) {
        continue;
      }
      if (!k.is("import_module") && !k.is("__import__") && !names.aliasCandidate(k.value())) {
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
      List<List<Token>> args = arguments(t, i + 1);
      if (args.isEmpty() || args.get(0).isEmpty() || isKeyword(args.get(0))) {
        continue;
      }
      // a lambda's body runs when it is called, like a def's: no try around it guards it
      Context at = inLambda[i] ? new Context(List.of(), where.typeChecking(), true, where.loopValues()) : where;
      List<Token> arg = args.get(0);
      String pkgArg = k.is("__import__") ? null : packageArgument(args, names);
      List<String> values = literalValues(arg, t, at, names);
      String call = (qualifier == null || qualifier.isEmpty() ? "" : qualifier + ".") + k.value() + "("
          + text(arg) + (pkgArg == null ? "" : ", package=\"" + pkgArg + "\"") + ")";
      if (values == null) {
        String head = head(arg);
        head = head.startsWith(".") ? relativeHead(head, pkgArg, args.size() > 1) : head;
        out.add(new Found(call, List.of(), k.line(), at, qualifier, k.value(), head));
        continue;
      }
      for (String v : values) {
        String name = v.trim();
        if (name.startsWith(".")) {
          int level = 0;
          while (level < name.length() && name.charAt(level) == '.') {
            level++;
          }
          String base = pkgArg != null ? pkgArg : args.size() > 1 ? null : names.pkg();
          name = base == null ? null : resolveRelative(base, level, name.substring(level));
        }
        if (name != null && MODULE_NAME.matcher(name).matches()) {
          out.add(new Found(name, List.of(), k.line(), at, qualifier, k.value()));
        }
      }
    }
  }

  /**
   * The absolute literal start of a relative computed name ({@code f"._{kind}"} with
   * {@code package="otel"} → {@code otel._}); empty when its package is not known.
   */
  private static String relativeHead(String head, String pkgArg, boolean packageGiven) {
    if (pkgArg == null) {
      return "";
    }
    int level = 0;
    while (level < head.length() && head.charAt(level) == '.') {
      level++;
    }
    String base = resolveRelative(pkgArg, level, "");
    return base == null || base.isEmpty() ? "" : base + "." + head.substring(level);
  }

  /**
   * The values an argument takes when they can be read statically: a plain string (adjacent ones
   * joined), a loop variable bound to literals, a comprehension variable over literals on the same
   * line, a module-level constant; else null.
   */
  private static List<String> literalValues(List<Token> arg, List<Token> line, Context at, Names names) {
    String s = plainString(arg);
    if (s != null) {
      return List.of(s);
    }
    if (arg.size() != 1 || arg.get(0).kind() != Kind.NAME) {
      return null;
    }
    String var = arg.get(0).value();
    List<String> v = at.loopValues().get(var);
    if (v == null) {
      v = comprehensionValues(line, var, names.constants());
    }
    return v != null ? v : names.constants().get(var);
  }

  /** {@code … for var in <literal sequence or constant> …} on the same logical line, or null. */
  private static List<String> comprehensionValues(List<Token> t, String var, Map<String, List<String>> constants) {
    for (int i = 0; i + 3 < t.size(); i++) {
      if (t.get(i).is("for") && t.get(i + 1).is(var) && t.get(i + 2).is("in")) {
        int depth = 0;
        int j = i + 3;
        for (; j < t.size(); j++) {
          Token k = t.get(j);
          if (depth == 0 && (closes(k) || k.is("if") || k.is("for"))) {
            break;
          }
          depth += opens(k) ? 1 : closes(k) ? -1 : 0;
        }
        return sequenceValues(t.subList(i + 3, j), constants);
      }
    }
    return null;
  }

  /** The {@code package} a call names: its keyword or second positional argument, when literal. */
  private static String packageArgument(List<List<Token>> args, Names names) {
    List<Token> value = null;
    for (int a = 1; a < args.size(); a++) {
      List<Token> g = args.get(a);
      if (isKeyword(g)) {
        if (g.get(0).is("package")) {
          value = g.subList(2, g.size());
        }
      } else if (a == 1) {
        value = g;
      }
    }
    if (value == null || value.isEmpty()) {
      return null;
    }
    String s = plainString(value);
    if (s != null) {
      return s.trim();
    }
    if (value.size() == 1 && value.get(0).is("__package__")) {
      return names.pkg().isEmpty() ? null : names.pkg();
    }
    if (value.size() == 1 && value.get(0).kind() == Kind.NAME) {
      List<String> c = names.constants().get(value.get(0).value());
      return c != null && c.size() == 1 ? c.get(0) : null;
    }
    return null;
  }

  /** The literal start of an argument: its leading strings, up to and with the first non-plain one. */
  private static String head(List<Token> arg) {
    StringBuilder sb = new StringBuilder();
    for (Token k : arg) {
      if (k.kind() != Kind.STRING || k.head() == null) {
        break;
      }
      sb.append(k.head());
      if (k.value() == null) {
        break; // an f-string: its head is where the literal part ends
      }
    }
    return sb.toString().strip();
  }

  /** The call's argument as short text for people: strings quoted, f-string fields as {…}. */
  private static String text(List<Token> arg) {
    StringBuilder sb = new StringBuilder();
    for (Token k : arg) {
      if (sb.length() > 60) {
        sb.append("…");
        break;
      }
      if (k.kind() == Kind.STRING) {
        sb.append(k.value() != null ? "\"" + k.value() + "\"" : k.head() != null ? "f\"" + k.head() + "{…}\"" : "\"…\"");
      } else if (k.is(",")) {
        sb.append(", ");
      } else if (k.is("+") || k.is("%")) {
        sb.append(' ').append(k.value()).append(' ');
      } else {
        sb.append(k.value());
      }
    }
    return sb.toString();
  }

  /** The arguments of the call whose '(' is at {@code open}, split at top-level commas. */
  private static List<List<Token>> arguments(List<Token> t, int open) {
    List<List<Token>> args = new ArrayList<>();
    int depth = 0;
    int start = open + 1;
    for (int j = open + 1; j < t.size(); j++) {
      Token k = t.get(j);
      if (depth == 0 && (k.is(",") || k.is(")"))) {
        if (j > start || k.is(",")) {
          args.add(t.subList(start, j));
        }
        start = j + 1;
        if (k.is(")")) {
          return args;
        }
        continue;
      }
      depth += opens(k) ? 1 : closes(k) ? -1 : 0;
    }
    args.add(t.subList(start, t.size()));
    return args;
  }

  private static boolean isKeyword(List<Token> arg) {
    return arg.size() > 1 && arg.get(0).kind() == Kind.NAME && arg.get(1).is("=");
  }

  /** A string literal (adjacent plain literals joined, as Python does), or null. */
  private static String plainString(List<Token> t) {
    if (t.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (Token k : t) {
      if (k.kind() != Kind.STRING || k.value() == null) {
        return null;
      }
      sb.append(k.value());
    }
    return sb.toString();
  }

  /**
   * The values of a literal sequence ({@code ("a", "b")}, {@code ["a"]}, {@code "a", "b"}, a set), of a
   * single string, or of a module-level constant; null otherwise.
   */
  private static List<String> sequenceValues(List<Token> t, Map<String, List<String>> constants) {
    if (t.size() == 1 && t.get(0).kind() == Kind.NAME) {
      return constants.get(t.get(0).value());
    }
    List<Token> inner = t;
    if (t.size() >= 2 && opens(t.get(0)) && closes(t.get(t.size() - 1))) {
      inner = t.subList(1, t.size() - 1);
    }
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int j = 0; j <= inner.size(); j++) {
      if (j == inner.size() || inner.get(j).is(",")) {
        if (j > start) {
          String s = plainString(inner.subList(start, j));
          if (s == null) {
            return null;
          }
          out.add(s);
        }
        start = j + 1;
      }
    }
    return out.isEmpty() ? null : out;
  }

  /** {@code name in <sequence>} of a {@code for} header: the loop variable and its values, or nothing. */
  private static Map<String, List<String>> loopValues(List<Token> header, Map<String, List<String>> constants) {
    if (header.size() < 3 || header.get(0).kind() != Kind.NAME || !header.get(1).is("in")) {
      return Map.of();
    }
    List<String> v = sequenceValues(header.subList(2, header.size()), constants);
    return v == null ? Map.of() : Map.of(header.get(0).value(), v);
  }

  /**
   * Module-level names bound only to string literals or literal sequences of strings
   * ({@code NAME = "a.b"}, {@code _deps = ("numpy", "pytz")}, {@code NAME += ("c",)}), outside any
   * {@code def} or {@code class}; a name also bound to anything else there is left out.
   */
  private static Map<String, List<String>> constants(List<LogicalLine> lines) {
    Map<String, List<String>> out = new HashMap<>();
    Set<String> other = new HashSet<>();
    Deque<int[]> scopes = new ArrayDeque<>(); // {indent, 1 for def/class}
    for (LogicalLine ll : lines) {
      while (!scopes.isEmpty() && scopes.peek()[0] >= ll.indent()) {
        scopes.pop();
      }
      List<Token> t = ll.tokens();
      boolean inScope = scopes.stream().anyMatch(sc -> sc[1] == 1);
      if (isCompoundHeader(t)) {
        String first = t.get(0).value();
        scopes.push(new int[] {ll.indent(), first.equals("def") || first.equals("class") || first.equals("async") ? 1 : 0});
        if (first.equals("for") && !inScope && t.size() > 1 && t.get(1).kind() == Kind.NAME) {
          other.add(t.get(1).value()); // a loop variable is not a constant
        }
        continue;
      }
      if (inScope || t.size() < 3 || t.get(0).kind() != Kind.NAME) {
        continue;
      }
      String name = t.get(0).value();
      boolean assign = t.get(1).is("=") && !(t.size() > 2 && t.get(2).is("="));
      boolean augment = t.get(1).is("+") && t.get(2).is("=");
      if (!assign && !augment) {
        continue;
      }
      List<Token> rhs = t.subList(assign ? 2 : 3, t.size());
      List<String> v = rhs.stream().anyMatch(k -> k.is("=")) ? null : sequenceValues(rhs, Map.of());
      if (v == null) {
        other.add(name);
      } else {
        out.computeIfAbsent(name, n -> new ArrayList<>()).addAll(v);
      }
    }
    other.forEach(out::remove);
    return out;
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
