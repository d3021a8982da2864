package dev.layerslim.python;

import dev.layerslim.python.PythonTokenizer.Kind;
import dev.layerslim.python.PythonTokenizer.LogicalLine;
import dev.layerslim.python.PythonTokenizer.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What sub-package pruning needs to know of one module, beyond its import statements: the names its
 * imports bind, the attribute chains it spells on them ({@code scipy.stats.norm}), the imports whose
 * module name is computed (with where they stand), the {@code entry_points} groups it asks for, and
 * its plain string literals.
 *
 * @param imports the import statements and literal dynamic imports ({@link ImportScanner})
 * @param chains absolute dotted names spelled as attribute chains on an imported name:
 *     {@code import numpy as np} … {@code np.linalg.norm} gives {@code numpy.linalg.norm}
 * @param literalImports {@code x.import_module("a.b")} on any receiver (the scanner counts only
 *     {@code importlib.}): a literal name is a literal name
 * @param computed imports whose name is not a literal
 * @param entryPointGroups literal groups asked of {@code entry_points(...)}/{@code iter_entry_points}
 * @param entryPointsAny true when some {@code entry_points} call names no literal group
 * @param strings plain string literals with their lines
 * @param starImports modules imported with {@code from m import *}
 * @param keywordLiterals keyword → the string literals passed for it ({@code sub_package="spatial"})
 * @param functionLines lines of statements inside a {@code def}: an import there runs only when the
 *     function is called
 */
public record ModuleFacts(List<PythonImport> imports, Set<String> chains, List<Site> literalImports,
    List<Site> computed, Set<String> entryPointGroups, boolean entryPointsAny, List<Site> strings,
    Set<String> starImports, Map<String, Set<String>> keywordLiterals, Set<Integer> functionLines) {

  /**
   * A place in the module.
   *
   * @param text for a computed import, the literal start of the name ({@code scipy.} of
   *     {@code f"scipy.{name}"}, empty when the name starts computed); for a literal import or a
   *     string, the literal
   * @param line 1-based
   * @param function the innermost enclosing {@code def}'s name, or null at module level
   * @param moduleGetattr true inside a module-level {@code def __getattr__}: it runs only when code
   *     reads an attribute the module does not have
   */
  public record Site(String text, int line, String function, boolean moduleGetattr) {}

  private static final Pattern PREFIX = Pattern.compile(
      "(?:import_module|__import__)\\s*\\(\\s*(?:[rRfFuU]{0,2})(['\"])([A-Za-z0-9_.]*)");
  private static final Set<String> ENTRY_POINT_CALLS = Set.of("entry_points", "iter_entry_points");

  private record Block(int indent, String function, boolean moduleGetattr) {}

  /** Scans {@code source}, a module of package {@code packageName} (see {@link ImportScanner#scan}). */
  public static ModuleFacts scan(String source, String packageName) {
    ImportScanner.Scan scan = ImportScanner.scanAll(source, packageName);
    List<PythonImport> imports = scan.imports();
    // the scanner read these calls' names (a constant, a loop over literals, package=): not computed
    Set<Integer> resolvedCalls = new java.util.HashSet<>();
    for (PythonImport i : imports) {
      if (i.dynamic()) {
        resolvedCalls.add(i.line());
      }
    }
    Map<Integer, String> heads = new java.util.HashMap<>();
    for (ComputedImport c : scan.computed()) {
      heads.putIfAbsent(c.line(), c.head());
    }
    List<LogicalLine> lines = PythonTokenizer.logicalLines(source);
    String[] physical = source.split("\\r\\n|\\r|\\n", -1);
    Map<String, String> bindings = new LinkedHashMap<>();
    Set<String> stars = new LinkedHashSet<>();
    for (LogicalLine ll : lines) {
      bind(ll.tokens(), packageName, bindings, stars);
    }
    Set<String> chains = new LinkedHashSet<>();
    List<Site> literal = new ArrayList<>();
    List<Site> computed = new ArrayList<>();
    List<Site> strings = new ArrayList<>();
    Set<String> groups = new LinkedHashSet<>();
    Map<String, Set<String>> keywords = new LinkedHashMap<>();
    Set<Integer> inFunction = new java.util.HashSet<>();
    boolean anyGroup = false;
    Deque<Block> blocks = new ArrayDeque<>();
    for (LogicalLine ll : lines) {
      while (!blocks.isEmpty() && blocks.peek().indent() >= ll.indent()) {
        blocks.pop();
      }
      List<Token> t = ll.tokens();
      Block here = blocks.peek();
      String function = here == null ? null : here.function();
      boolean getattr = here != null && here.moduleGetattr();
      if (function != null) {
        inFunction.add(t.get(0).line());
      }
      int defAt = t.get(0).is("async") && t.size() > 1 ? 1 : 0;
      if (t.get(defAt).is("def") && t.size() > defAt + 1) {
        String name = t.get(defAt + 1).value();
        blocks.push(new Block(ll.indent(), name, getattr || (ll.indent() == 0 && name.equals("__getattr__"))));
      } else if (t.get(0).is("class") || t.get(0).is("if") || t.get(0).is("for") || t.get(0).is("while")
          || t.get(0).is("with") || t.get(0).is("try")) {
        // other blocks keep the enclosing function; only their indentation matters
        blocks.push(new Block(ll.indent(), function, getattr));
      }
      boolean importLine = t.get(0).is("import") || t.get(0).is("from");
      for (int i = 0; i < t.size(); i++) {
        Token k = t.get(i);
        if (k.kind() == Kind.STRING) {
          if (k.value() != null) {
            strings.add(new Site(k.value(), k.line(), function, getattr));
          }
          continue;
        }
        if (k.kind() != Kind.NAME) {
          continue;
        }
        if (i + 2 < t.size() && t.get(i + 1).is("=") && t.get(i + 2).kind() == Kind.STRING
            && t.get(i + 2).value() != null) {
          keywords.computeIfAbsent(k.value(), x -> new LinkedHashSet<>()).add(t.get(i + 2).value());
        }
        boolean afterDot = i > 0 && t.get(i - 1).is(".");
        if (!importLine && !afterDot && bindings.containsKey(k.value()) && i + 2 < t.size() && t.get(i + 1).is(".")
            && t.get(i + 2).kind() == Kind.NAME) {
          StringBuilder chain = new StringBuilder(bindings.get(k.value()));
          int j = i + 1;
          while (j + 1 < t.size() && t.get(j).is(".") && t.get(j + 1).kind() == Kind.NAME) {
            chain.append('.').append(t.get(j + 1).value());
            j += 2;
          }
          chains.add(chain.toString());
        }
        if ((k.is("import_module") || k.is("__import__")) && i + 1 < t.size() && t.get(i + 1).is("(")
            && !(i > 0 && t.get(i - 1).is("def"))) {
          Token arg = i + 2 < t.size() ? t.get(i + 2) : null;
          boolean plain = arg != null && arg.kind() == Kind.STRING && arg.value() != null && i + 3 < t.size()
              && (t.get(i + 3).is(",") || t.get(i + 3).is(")"));
          if (resolvedCalls.contains(k.line())) {
            continue; // in imports already, resolved
          } else if (plain) {
            literal.add(new Site(arg.value().trim(), k.line(), function, getattr));
          } else {
            String head = heads.get(k.line());
            computed.add(new Site(head != null ? head : literalPrefix(arg, t, i, physical, k.line()), k.line(),
                function, getattr));
          }
        }
        if (ENTRY_POINT_CALLS.contains(k.value()) && i + 1 < t.size() && t.get(i + 1).is("(")
            && !(i > 0 && t.get(i - 1).is("def"))) {
          boolean named = false;
          for (int j = i + 2; j < t.size() && !t.get(j).is(")"); j++) {
            if (t.get(j).kind() == Kind.STRING && t.get(j).value() != null) {
              groups.add(t.get(j).value());
              named = true;
            }
          }
          anyGroup |= !named;
        }
      }
    }
    return new ModuleFacts(imports, chains, literal, computed, groups, anyGroup, strings, stars, keywords, inFunction);
  }

  /** The literal start of a computed name: {@code "scipy." + x}, {@code f"scipy.{x}"}; else "". */
  private static String literalPrefix(Token arg, List<Token> t, int i, String[] physical, int line) {
    if (arg == null) {
      return "";
    }
    if (arg.kind() == Kind.STRING && arg.value() != null) {
      return arg.value(); // "scipy." + name
    }
    if (arg.kind() == Kind.STRING && line - 1 < physical.length) {
      Matcher m = PREFIX.matcher(physical[line - 1]);
      if (m.find()) {
        return m.group(2);
      }
    }
    return "";
  }

  /** Records the names an import statement binds, and its star imports. */
  private static void bind(List<Token> t, String pkg, Map<String, String> bindings, Set<String> stars) {
    int start = 0;
    for (int i = 0; i <= t.size(); i++) {
      if (i == t.size() || t.get(i).is(";") || t.get(i).is(":")) {
        if (i > start) {
          bindStatement(t.subList(start, i), pkg, bindings, stars);
        }
        start = i + 1;
      }
    }
  }

  private static void bindStatement(List<Token> t, String pkg, Map<String, String> bindings, Set<String> stars) {
    if (t.get(0).is("import")) {
      int i = 1;
      while (i < t.size()) {
        StringBuilder name = new StringBuilder();
        i = ImportScanner.dottedName(t, i, name);
        if (name.length() == 0) {
          return;
        }
        if (i + 1 < t.size() && t.get(i).is("as")) {
          bindings.put(t.get(i + 1).value(), name.toString());
          i += 2;
        } else {
          String n = name.toString();
          int dot = n.indexOf('.');
          bindings.put(dot < 0 ? n : n.substring(0, dot), dot < 0 ? n : n.substring(0, dot));
        }
        if (i < t.size() && t.get(i).is(",")) {
          i++;
        } else {
          return;
        }
      }
    } else if (t.get(0).is("from") && t.size() > 3) {
      ImportScanner.FromHeader h = ImportScanner.fromHeader(t, pkg);
      if (h == null) {
        return;
      }
      String module = h.module();
      for (int k = h.namesStart(); k < t.size(); k++) {
        Token tok = t.get(k);
        if (tok.is("*")) {
          stars.add(module);
        } else if (tok.kind() == Kind.NAME) {
          String local = tok.value();
          if (k + 2 < t.size() && t.get(k + 1).is("as")) {
            local = t.get(k + 2).value();
            k += 2;
          }
          bindings.put(local, module + "." + tok.value());
        }
      }
    }
  }
}
