package dev.layerslim.prune;

import dev.layerslim.layer.Plural;
import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Ownership;
import dev.layerslim.python.ModuleFacts;
import dev.layerslim.python.PythonImport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which sub-packages of the layer's distributions something reaches ({@code --prune-modules}).
 * A <em>unit</em> is a folder with {@code __init__.py} below a distribution's top-level package
 * ({@code scipy/stats}), with everything in it, data included; matplotlib's GUI backend modules
 * are units too (see {@link PluginRules}). A unit is reached when any of these reaches a module in
 * it, or it holds a file the smoke run loaded:
 *
 * <ol>
 *   <li>the static closure from the handler: every import statement at any depth, relative imports
 *       resolved, literal {@code import_module}/{@code __import__}, {@code from p import name} (p.name
 *       may be a module), attribute chains on imported names ({@code scipy.stats.norm} reaches
 *       {@code scipy.stats}), followed through every reached module of the layer; extension modules
 *       reach the dotted names their binaries spell ({@code "scipy.sparse"}, which Cython's
 *       {@code import} stores as a string);
 *   <li>the smoke run: every {@code .py} it loaded from the tree (the import, and the handler's call on
 *       {@code --smoke-event}), and that module's own closure;
 *   <li>a documented rule for plugin systems ({@link PluginRules}).
 * </ol>
 *
 * <p>An import whose name is computed keeps what it could reach: every unit under the literal start
 * of its name ({@code f"scipy.{x}"} → all of {@code scipy}), or under its own top-level package when
 * nothing is literal, unless a rule decides it. One rule is general: a computed import inside a
 * package's module-level {@code __getattr__} (scipy's lazy loader) runs only when code reads an
 * attribute the package lacks, {@code scipy.stats} or {@code from scipy import stats}; the static
 * closure already reaches every such name code spells, so the site itself keeps nothing. (Code that
 * reads the attribute by a computed name, {@code getattr(scipy, name)}, is not seen: the smoke run,
 * the heal and {@code --include} cover that.) Two more keep by evidence of use: an entry-point
 * lookup keeps the modules the asked-for groups name in {@code entry_points.txt}; and a unit with
 * data files whose folder name a reached module of its package spells as a string ({@code "proj_dir"})
 * is kept, since code may read it by path.
 *
 * <p>Reach that strings and wrappers cannot hide: a string literal in a reached module (or the
 * handler) that is exactly the dotted name of a module in the tree ({@code "scipy.signal.windows"},
 * which pandas hands to {@code import_optional_dependency}) reaches it; every module of a reached unit
 * is kept with it, so its own imports count even when nothing imports it ({@code scipy/stats/sampling.py}
 * → {@code scipy.stats._unuran}); dynamic imports over module-level constants and literal tuples are
 * followed ({@link dev.layerslim.python.ImportScanner}). A handler import whose name has nothing
 * literal keeps every unit: nothing is removed on doubt.
 *
 * <p>Each unit is also classed by <em>when</em> it is reached ({@link Reach}): on the hot path (the
 * smoke run loaded it, or import-time imports from the handler or a loaded module reach it), only at
 * call time (an import inside a function, a string, a computed import, a rule, a kept module nothing
 * imports), or not at all, with the evidence ({@link UnitReach}). Analyses run on the same tree give
 * the same result whatever order their inputs come in.
 */
public final class ModuleReach {
  /** When a unit is reached. */
  public enum Reach {
    /** The smoke run loaded a module of it, or an import-time import chain reaches it. */
    HOT,
    /** Reached only by what runs when code is called: a call-time import, a string, a rule, a kept module. */
    CALL_TIME,
    /** Nothing reaches it. */
    UNREACHED
  }

  /** What kind of evidence reached a module first. */
  public enum Via {
    /** The smoke run loaded it. */
    SMOKE_RUN,
    /** An import statement or a dynamic import with a name read statically. */
    IMPORT,
    /** An attribute chain on an imported name ({@code scipy.stats.norm}). */
    ATTRIBUTE,
    /** A string literal that names the module exactly. */
    STRING,
    /** An import whose name is computed: every unit its literal start allows is kept. */
    COMPUTED_IMPORT,
    /** Kept with its unit (or its distribution's top-level package): its imports count. */
    KEPT_MODULE,
    /** Named in an extension module's binary. */
    BINARY,
    /** A documented plugin rule, an entry-point lookup or {@code from p import *}. */
    RULE,
    /** Its folder name is a string on a line that builds a path. */
    DATA_PATH
  }

  /**
   * What first reached something.
   *
   * @param via the kind of evidence
   * @param detail for people: {@code imported by pandas/core/nanops.py:1003}
   */
  public record Evidence(Via via, String detail) {}

  /**
   * One unit's verdict.
   *
   * @param unit the unit's key: its folder ({@code scipy/stats}) or a plugin module's file
   * @param module its dotted name
   * @param reach when it is reached
   * @param evidence what reached it (for {@link Reach#HOT}, the hot path's evidence); null when unreached
   */
  public record UnitReach(String unit, String module, Reach reach, Evidence evidence) {}

  /** The handler's own source files: path relative to its code root, and text. */
  public record Source(String path, String text) {}

  /**
   * What the analysis is given.
   *
   * @param tree the installed tree, read only
   * @param ownership which distribution owns each file; only attributed packages have units
   * @param handler the handler's sources
   * @param loaded {@code .py} files (relative to the tree) the smoke run loaded; null when none ran
   * @param mplBackend the MPLBACKEND the function runs with, or null
   */
  public record Input(LayerTree tree, Ownership ownership, List<Source> handler, Set<String> loaded,
      String mplBackend) {}

  /**
   * One decision about a computed import site.
   *
   * @param site {@code scipy/__init__.py:140}
   * @param rule the rule that decided: {@code lazy-getattr}, {@code computed-import}, …
   * @param kept the package (dotted) whose every unit the site keeps, or null when a rule covers it
   * @param detail what the rule decided, for people
   */
  public record Dynamic(String site, String rule, String kept, String detail, String distribution) {
    /** Without an owner (the handler's sites). */
    public Dynamic(String site, String rule, String kept, String detail) {
      this(site, rule, kept, detail, null);
    }

    /** The file of the site ({@code scipy/__init__.py} of {@code scipy/__init__.py:140}); null for the handler's. */
    public String file() {
      if (site.startsWith("handler ")) {
        return null;
      }
      int colon = site.lastIndexOf(':');
      return colon < 0 ? site : site.substring(0, colon);
    }
  }

  /**
   * The analysis.
   *
   * @param unreached unit folder → why nothing reaches it
   * @param reached unit folder → what reached it first
   * @param dynamic the computed-import sites in reached modules, with the rule that decided each
   * @param units every unit, by key, with when it is reached and the evidence
   */
  public record Result(Map<String, String> unreached, Map<String, String> reached, List<Dynamic> dynamic,
      Map<String, UnitReach> units) {
    public Result {
      unreached = java.util.Collections.unmodifiableMap(new TreeMap<>(unreached));
      reached = java.util.Collections.unmodifiableMap(new TreeMap<>(reached));
      dynamic = List.copyOf(dynamic);
      units = java.util.Collections.unmodifiableMap(new TreeMap<>(units));
    }

    /** The unit folder containing {@code path} that is unreached, outermost first, or null. */
    public String unreachedUnitOf(String path) {
      for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
        String folder = path.substring(0, slash);
        if (unreached.containsKey(folder)) {
          return folder;
        }
      }
      // a plugin module unit is a file
      return unreached.containsKey(path) ? path : null;
    }
  }

  private static final Pattern EXT = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)(?:\\.[A-Za-z0-9_-]+)*\\.(?:so|pyd)$");
  /** A line that builds a file path. */
  private static final Pattern PATH_WORDS = Pattern.compile(
      "__file__|__path__|os\\.path|[Pp]ath\\(|dirname|join\\(|resource|files\\(|\\s/\\s|open\\(");
  private static final Pattern DOTTED = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+");
  private static final Set<String> CODE_SUFFIXES = Set.of(".py", ".pyc", ".pyi", ".so", ".pyd", ".pxd", ".pyx");

  private final Input in;
  /** Only what runs at import time: the hot pass. */
  private final boolean hotOnly;
  /** Scanned modules, shared by the two passes. */
  private final Map<String, ModuleFacts> scanned;
  /** unit key, or top-level package folder → the modules kept with it (not in a nested unit). */
  private final Map<String, List<String>> containerModules = new HashMap<>();
  /** dotted module → file ({@code a/b/__init__.py}, {@code a/b/c.py}, {@code a/b/_x.cpython-312-….so}). */
  private final Map<String, List<String>> moduleFiles = new HashMap<>();
  /** dotted package → folder. */
  private final Map<String, String> packages = new HashMap<>();
  /** unit key (folder, or a plugin module's file) → dotted name. */
  private final Map<String, String> units = new TreeMap<>();
  private final Map<String, String> unitOfModule = new HashMap<>();
  private final Map<String, Evidence> reachedUnits = new LinkedHashMap<>();
  private final Set<String> reachedModules = new LinkedHashSet<>();
  private final Deque<String> work = new ArrayDeque<>();
  private final List<Dynamic> dynamic = new ArrayList<>();
  private final Map<String, ModuleFacts> facts = new TreeMap<>();
  private final PluginRules plugins;
  /** Rule-decided sites, decided again when more modules are reached (their literals may grow). */
  private final List<RuleSite> ruleSites = new ArrayList<>();
  private final Set<String> subPackageLiterals = new LinkedHashSet<>();

  /**
   * A computed import a plugin rule decided.
   *
   * @param file the module's file ({@code matplotlib/backends/__init__.py})
   * @param site the file and line, as reports name it ({@code matplotlib/backends/__init__.py:12})
   * @param line the site's line
   * @param index where its decision stands in {@link #dynamic}
   */
  private record RuleSite(String file, String site, int line, int index) {}

  private ModuleReach(Input in, boolean hotOnly, Map<String, ModuleFacts> scanned) {
    this.in = in;
    this.hotOnly = hotOnly;
    this.scanned = scanned;
    this.plugins = new PluginRules(in.mplBackend());
  }

  /**
   * Runs the analysis; reads the tree's {@code .py} sources and reached extension modules. Two passes:
   * the hot path (import-time imports from the handler and the smoke run's modules), then everything.
   */
  public static Result analyse(Input in) throws IOException {
    Map<String, ModuleFacts> scanned = new HashMap<>();
    ModuleReach hot = new ModuleReach(in, true, scanned);
    hot.index();
    hot.run();
    ModuleReach all = new ModuleReach(in, false, scanned);
    all.index();
    all.run();
    return all.result(hot.reachedUnits);
  }

  private void index() {
    for (FileEntry f : in.tree().files()) {
      String path = f.path();
      String top = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
      if (top.endsWith(".dist-info") || top.endsWith(".data") || top.equals("bin") || path.contains("__pycache__/")) {
        continue;
      }
      String module = moduleName(path);
      if (module == null) {
        continue;
      }
      moduleFiles.computeIfAbsent(module, k -> new ArrayList<>()).add(path);
      if (path.endsWith("/__init__.py")) {
        packages.put(module, path.substring(0, path.length() - "/__init__.py".length()));
      }
    }
    for (Map.Entry<String, String> e : packages.entrySet()) {
      String dotted = e.getKey();
      int dot = dotted.lastIndexOf('.');
      if (dot < 0 || !packages.containsKey(dotted.substring(0, dot))) {
        continue; // a top-level package is a distribution's: --prune-unused decides it
      }
      if (Ownership.UNATTRIBUTED.equals(in.ownership().ownerOf(e.getValue() + "/__init__.py"))) {
        continue;
      }
      units.put(e.getValue(), dotted);
    }
    for (String m : moduleFiles.keySet()) {
      if (plugins.isPluginUnit(m)) {
        for (String file : moduleFiles.get(m)) {
          units.put(file, m);
        }
      }
    }
    for (Map.Entry<String, String> u : units.entrySet()) {
      unitOfModule.put(u.getValue(), u.getKey());
    }
    for (Map.Entry<String, List<String>> e : new TreeMap<>(moduleFiles).entrySet()) {
      String m = e.getKey();
      if (plugins.isPluginUnit(m) || packages.containsKey(m)
          || e.getValue().stream().allMatch(ModuleReach::removedByARule)) {
        continue; // a package (a unit of its own) is kept only when something reaches it
      }
      // the innermost unit above the module (itself excluded), else its top-level package
      String container = null;
      for (String p = parentOf(m); !p.isEmpty() && container == null; p = parentOf(p)) {
        container = unitOfModule.get(p);
        if (container == null && !p.contains(".") && packages.containsKey(p)) {
          container = packages.get(p);
        }
      }
      if (container != null) {
        containerModules.computeIfAbsent(container, k -> new ArrayList<>()).add(m);
      }
    }
  }

  /** A file the default rules remove (a test or docs folder, a build file): its imports do not count. */
  private static boolean removedByARule(String path) {
    for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      if (DefaultRules.folderRule(path.substring(0, slash)) != null) {
        return true;
      }
    }
    return DefaultRules.fileRule(path) != null;
  }

  /** {@code a/b/c.py} → a.b.c, {@code a/b/__init__.py} → a.b, {@code a/_x.cpython-312-x86_64-linux-gnu.so} → a._x. */
  static String moduleName(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
    String leaf;
    if (name.endsWith(".py")) {
      leaf = name.substring(0, name.length() - 3);
    } else {
      var m = EXT.matcher(name);
      if (!m.matches()) {
        return null;
      }
      leaf = m.group(1);
    }
    if (!leaf.matches("[A-Za-z_][A-Za-z0-9_]*") || (!dir.isEmpty() && !dir.matches("[A-Za-z_][A-Za-z0-9_/]*"))) {
      return null;
    }
    String pkg = dir.replace('/', '.');
    if (leaf.equals("__init__")) {
      return pkg.isEmpty() ? null : pkg;
    }
    return pkg.isEmpty() ? leaf : pkg + "." + leaf;
  }

  private void run() throws IOException {
    String rc = "matplotlib/mpl-data/matplotlibrc";
    if (in.tree().get(rc) != null) {
      for (String line : read(rc).split("\\R")) {
        String l = line.strip();
        if (l.startsWith("backend") && l.contains(":") && l.substring(0, l.indexOf(':')).strip().equals("backend")) {
          plugins.selectBackend(l.substring(l.indexOf(':') + 1).split("#")[0], rc);
        }
      }
    }
    List<ModuleFacts> handlerFacts = new ArrayList<>();
    List<Source> handler = new ArrayList<>(in.handler());
    handler.sort(Comparator.comparing(Source::path));
    for (Source s : handler) {
      String pkg = s.path().contains("/") ? s.path().substring(0, s.path().lastIndexOf('/')).replace('/', '.') : "";
      handlerFacts.add(ModuleFacts.scan(s.text(), pkg));
    }
    for (ModuleFacts f : handlerFacts) {
      plugins.selectFromStrings(f.strings().stream().map(ModuleFacts.Site::text).toList(), moduleFiles::containsKey);
    }
    for (int i = 0; i < handlerFacts.size(); i++) {
      String path = handler.get(i).path();
      follow(handlerFacts.get(i), "handler " + path, path.contains("/")
          ? path.substring(0, path.lastIndexOf('/')).replace('/', '.') : "");
      if (hotOnly) {
        continue;
      }
      for (ModuleFacts.Site s : handlerFacts.get(i).computed()) {
        String prefix = s.text();
        String scope = prefix.contains(".") ? prefix.substring(0, prefix.lastIndexOf('.')) : "";
        while (!scope.isEmpty() && !packages.containsKey(scope)) {
          scope = parentOf(scope);
        }
        String site = "handler " + path + ":" + s.line();
        if (prefix.isEmpty()) {
          // nothing literal: it may load any module of the layer, so nothing is removed on doubt
          dynamic.add(new Dynamic(site, "handler-computed-import", "*", "the handler imports a name computed at "
              + "run time, with nothing literal in it: every sub-package is kept"));
          for (String u : units.keySet()) {
            reach(units.get(u), Via.COMPUTED_IMPORT, "computed import at " + site);
          }
        } else if (scope.isEmpty()) {
          dynamic.add(new Dynamic(site, "outside-layer", null, "the handler imports a computed name starting '"
              + prefix + "', which no package of the layer provides: nothing here to keep"));
        } else {
          dynamic.add(new Dynamic(site, "computed-import", scope, "the handler imports a computed name starting '"
              + prefix + "': every sub-package of " + scope + " is kept"));
          keepAllUnder(scope, "computed import at " + site);
        }
      }
    }
    if (in.loaded() != null) {
      // sorted: the first evidence of each unit must not depend on the set's iteration order
      for (String p : new java.util.TreeSet<>(in.loaded())) {
        String m = moduleName(p);
        if (m != null) {
          reach(m, Via.SMOKE_RUN, "loaded by the smoke run");
        }
      }
    }
    if (hotOnly) {
      drain();
      return;
    }
    while (true) {
      drain();
      redecide();
      if (work.isEmpty() && !dataNames()) {
        break;
      }
    }
  }

  private void drain() throws IOException {
    while (!work.isEmpty()) {
      String module = work.poll();
      for (String file : moduleFiles.getOrDefault(module, List.of())) {
        if (file.endsWith(".py")) {
          String pkg = file.endsWith("/__init__.py") ? module : parentOf(module);
          ModuleFacts f = scanned.get(file);
          if (f == null) {
            f = ModuleFacts.scan(read(file), pkg);
            scanned.put(file, f);
          }
          facts.put(file, f);
          subPackageLiterals.addAll(f.keywordLiterals().getOrDefault("sub_package", Set.of()));
          follow(f, file, pkg);
          if (!hotOnly) {
            computed(f, file, module);
          }
        } else {
          binaryNames(file, module);
        }
      }
    }
  }

  /** Reaches what one module's source names. */
  private void follow(ModuleFacts f, String where, String pkg) {
    for (PythonImport imp : f.imports()) {
      if (hotOnly && imp.callTime()) {
        continue; // runs when a function is called, not on the hot path's imports
      }
      String why = "imported by " + where + ":" + imp.line();
      reachPrefixes(imp.module(), Via.IMPORT, why);
      for (String n : imp.names()) {
        if (!n.equals("*")) {
          reach(imp.module() + "." + n, Via.IMPORT, why);
        }
      }
    }
    if (hotOnly) {
      for (ModuleFacts.Site s : f.literalImports()) {
        if (s.function() == null && !s.text().startsWith(".")) {
          reachPrefixes(s.text(), Via.IMPORT, "import_module(\"" + s.text() + "\") in " + where + ":" + s.line());
        }
      }
      return;
    }
    for (ModuleFacts.Site s : f.strings()) {
      // a string that is exactly a module's dotted name: code may import it by that name
      String t = s.text();
      if (t.indexOf('.') > 0 && moduleFiles.containsKey(t) && DOTTED.matcher(t).matches()) {
        reachPrefixes(t, Via.STRING, "the string \"" + t + "\" in " + where + ":" + s.line());
      }
    }
    for (ModuleFacts.Site s : f.literalImports()) {
      String name = s.text();
      if (name.startsWith(".")) {
        int level = 0;
        while (level < name.length() && name.charAt(level) == '.') {
          level++;
        }
        String base = pkg;
        for (int i = 1; i < level && base.contains("."); i++) {
          base = parentOf(base);
        }
        name = base + "." + name.substring(level);
      }
      reachPrefixes(name, Via.IMPORT, "import_module(\"" + s.text() + "\") in " + where + ":" + s.line());
    }
    for (String chain : f.chains()) {
      reachPrefixes(chain, Via.ATTRIBUTE, "attribute " + chain + " in " + where);
    }
    for (String star : f.starImports()) {
      // from p import * imports the submodules p's __all__ lists: those are string literals in p/__init__.py
      String folder = packages.get(star);
      if (folder == null) {
        continue;
      }
      try {
        for (ModuleFacts.Site s : ModuleFacts.scan(read(folder + "/__init__.py"), star).strings()) {
          reach(star + "." + s.text(), Via.RULE, "from " + star + " import * in " + where);
        }
      } catch (IOException e) {
        keepAllUnder(star, Via.RULE, "from " + star + " import * in " + where + " (its __init__.py could not be read)");
      }
    }
  }

  /** The computed-import sites of a reached module, each decided by a rule. */
  private void computed(ModuleFacts f, String file, String module) {
    String top = module.contains(".") ? module.substring(0, module.indexOf('.')) : module;
    String owner = in.ownership().ownerOf(file);
    for (ModuleFacts.Site s : f.computed()) {
      String site = file + ":" + s.line();
      String prefix = s.text();
      String own = file.endsWith("/__init__.py") ? module : parentOf(module);
      String scope;
      if (prefix.contains(".")) {
        // f"scipy.{name}", "scipy." + name: the deepest package the literal start names
        scope = prefix.substring(0, prefix.lastIndexOf('.'));
        while (!scope.isEmpty() && !packages.containsKey(scope)) {
          scope = parentOf(scope);
        }
        if (scope.isEmpty()) {
          dynamic.add(new Dynamic(site, "outside-layer", null, "imports a computed name starting '" + prefix
              + "', which no package of the layer provides: nothing here to keep", owner));
          continue;
        }
      } else {
        scope = own.isEmpty() ? top : own; // nothing literal: its own package, as the issue defines it
      }
      PluginRules.Decision d = plugins.decide(file, s, f, subPackageLiterals);
      if (d != null) {
        dynamic.add(new Dynamic(site, d.rule(), null, d.detail(), owner));
        d.reaches().forEach(m -> reachPrefixes(m, Via.RULE, "rule " + d.rule() + " (" + site + ")"));
        ruleSites.add(new RuleSite(file, site, s.line(), dynamic.size() - 1));
        continue;
      }
      if (s.moduleGetattr() && file.endsWith("/__init__.py")) {
        dynamic.add(new Dynamic(site, "lazy-getattr", null, "a computed import in " + module
            + "'s module-level __getattr__ runs only for attributes code reads from " + module
            + "; the attribute chains and from-imports reaching it are followed instead", owner));
        continue;
      }
      dynamic.add(new Dynamic(site, "computed-import", scope, "imports a computed name"
          + (prefix.isEmpty() ? "" : " starting '" + prefix + "'") + ": every sub-package of " + scope + " is kept",
          owner));
      keepAllUnder(scope, "computed import at " + site);
    }
    if (f.entryPointsAny() || !f.entryPointGroups().isEmpty()) {
      String site = file;
      Set<String> targets = new java.util.TreeSet<>(
          EntryPoints.modules(in.tree(), f.entryPointsAny() ? null : f.entryPointGroups()));
      dynamic.add(new Dynamic(site, "entry-points", null, "loads entry points of "
          + (f.entryPointsAny() ? "any group" : "groups " + f.entryPointGroups()) + ": keeps the "
          + Plural.count(targets.size(), "module") + " entry_points.txt names for them", owner));
      targets.forEach(m -> reachPrefixes(m, Via.RULE, "entry point loaded by " + site));
    }
  }

  /** Decides the rule-covered sites again with what is known now; their report lines are updated. */
  private void redecide() {
    for (RuleSite rs : ruleSites) {
      ModuleFacts f = facts.get(rs.file());
      ModuleFacts.Site s = f.computed().stream().filter(x -> x.line() == rs.line()).findFirst().orElseThrow();
      PluginRules.Decision d = plugins.decide(rs.file(), s, f, subPackageLiterals);
      dynamic.set(rs.index(), new Dynamic(rs.site(), d.rule(), null, d.detail(), in.ownership().ownerOf(rs.file())));
      d.reaches().forEach(m -> reachPrefixes(m, Via.RULE, "rule " + d.rule() + " (" + rs.site() + ")"));
    }
  }

  private void keepAllUnder(String pkg, String why) {
    keepAllUnder(pkg, Via.COMPUTED_IMPORT, why);
  }

  private void keepAllUnder(String pkg, Via via, String why) {
    for (Map.Entry<String, String> u : units.entrySet()) {
      String m = u.getValue();
      if (m.equals(pkg) || m.startsWith(pkg + ".")) {
        reach(m, via, why);
      }
    }
  }

  /** An extension module reaches the dotted names of its own top-level package its binary spells. */
  private void binaryNames(String file, String module) throws IOException {
    String top = module.contains(".") ? module.substring(0, module.indexOf('.')) : module;
    byte[] bytes = Files.readAllBytes(in.tree().resolve(file));
    String parent = parentOf(module);
    byte[] topDot = (top + ".").getBytes(StandardCharsets.UTF_8);
    Set<String> leaves = parent.isEmpty() ? Set.of() : leavesUnder(parent);
    int longestLeaf = leaves.stream().mapToInt(String::length).max().orElse(0);
    // a run of identifier bytes is looked at by its bounds; a String is made only for a run that can
    // be a name (tens of MB of binaries go through here: no builder per byte, no String per symbol)
    int start = -1;
    for (int i = 0; i <= bytes.length; i++) {
      int b = i < bytes.length ? bytes[i] & 0xff : 0;
      if (b == '.' || b == '_' || (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z')) {
        if (start < 0) {
          start = i;
        }
        continue;
      }
      if (start < 0) {
        continue;
      }
      int length = i - start;
      int before = start == 0 ? 0 : bytes[start - 1] & 0xff;
      // a module name an extension imports is a string of its own (NUL on both sides); the same name
      // inside a docstring ("see scipy.stats.norm") is not an import
      if (length >= 3 && before == 0 && b == 0) {
        if (startsWith(bytes, start, length, topDot)) {
          reachPrefixes(new String(bytes, start, length, StandardCharsets.ISO_8859_1), Via.BINARY,
              "named in the binary " + file);
        } else if (length <= longestLeaf) {
          String s = new String(bytes, start, length, StandardCharsets.ISO_8859_1);
          if (leaves.contains(s)) {
            reach(parent + "." + s, Via.BINARY, "named in the binary " + file);
          }
        }
      }
      start = -1;
    }
  }

  private static boolean startsWith(byte[] bytes, int start, int length, byte[] prefix) {
    if (length < prefix.length) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if (bytes[start + k] != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  private final Map<String, Set<String>> leavesByParent = new HashMap<>();

  /** The module names below {@code parent} that are units, relative to it ({@code stats}, {@code a.b}). */
  private Set<String> leavesUnder(String parent) {
    return leavesByParent.computeIfAbsent(parent, p -> {
      Set<String> out = new java.util.HashSet<>();
      String prefix = p + ".";
      for (String m : unitOfModule.keySet()) {
        if (m.startsWith(prefix)) {
          out.add(m.substring(prefix.length()));
        }
      }
      return out;
    });
  }

  /**
   * A unit with data files whose folder name a reached module of the same top-level package spells
   * as a string literal may be read by path ({@code Path(__file__).parent / "proj_dir"}): kept.
   * The name table of a lazy-getattr {@code __init__} ({@code submodules = ['stats', …]}) is not such
   * a mention: those strings are what its {@code __getattr__} accepts.
   */
  private boolean dataNames() {
    Map<String, List<String>> byLeaf = new HashMap<>();
    for (Map.Entry<String, String> u : units.entrySet()) {
      if (!reachedUnits.containsKey(u.getKey()) && !u.getKey().endsWith(".py") && hasData(u.getKey())) {
        String leaf = u.getKey().substring(u.getKey().lastIndexOf('/') + 1);
        byLeaf.computeIfAbsent(leaf, k -> new ArrayList<>()).add(u.getKey());
      }
    }
    if (byLeaf.isEmpty()) {
      return false;
    }
    boolean any = false;
    for (Map.Entry<String, ModuleFacts> e : facts.entrySet()) {
      String file = e.getKey();
      boolean lazyInit = file.endsWith("/__init__.py")
          && e.getValue().computed().stream().anyMatch(ModuleFacts.Site::moduleGetattr);
      if (lazyInit) {
        continue;
      }
      String top = file.substring(0, file.indexOf('/') < 0 ? file.length() : file.indexOf('/'));
      String[] lines = null;
      for (ModuleFacts.Site s : e.getValue().strings()) {
        for (String seg : s.text().split("[/\\\\]")) {
          for (String unit : byLeaf.getOrDefault(seg, List.of())) {
            String unitParent = unit.substring(0, unit.lastIndexOf('/') + 1);
            if (file.startsWith(unitParent) && !reachedUnits.containsKey(unit)) {
              if (lines == null) {
                try {
                  lines = read(file).split("\\R", -1);
                } catch (IOException ex) {
                  lines = new String[0];
                }
              }
              if (s.text().indexOf('/') < 0 && (s.line() > lines.length || !PATH_WORDS.matcher(lines[s.line() - 1]).find())) {
                continue; // a bare name on a line that builds no path: a name in a list, a message
              }
              reach(units.get(unit), Via.DATA_PATH, "its folder name is a string in " + file + ":" + s.line()
                  + " (data may be read by path)");
              any = true;
            }
          }
        }
      }
    }
    return any;
  }

  private boolean hasData(String folder) {
    String prefix = folder + "/";
    for (FileEntry f : in.tree().files()) {
      if (f.path().startsWith(prefix) && !f.path().contains("/__pycache__/")) {
        String name = f.path().substring(f.path().lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
        if (!CODE_SUFFIXES.contains(ext) && !(name.contains(".cpython-") || name.contains(".abi3."))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Reaches {@code a}, {@code a.b}, {@code a.b.c}: each prefix that names a module. */
  private void reachPrefixes(String dotted, Via via, String why) {
    for (int dot = dotted.indexOf('.'); ; dot = dotted.indexOf('.', dot + 1)) {
      String prefix = dot < 0 ? dotted : dotted.substring(0, dot);
      reach(prefix, via, why);
      if (dot < 0) {
        break;
      }
    }
  }

  /** Reaches module {@code m} (and its parent packages) when the tree has it. */
  private void reach(String m, Via via, String why) {
    if (!moduleFiles.containsKey(m) || reachedModules.contains(m)) {
      return;
    }
    if (m.contains(".")) {
      reach(parentOf(m), via, why);
    }
    reachedModules.add(m);
    String unit = unitOfModule.get(m);
    if (unit != null) {
      reachedUnits.putIfAbsent(unit, new Evidence(via, why));
    }
    work.add(m);
    String container = unit != null ? unit : m.contains(".") ? null : packages.get(m);
    if (!hotOnly && container != null) {
      // a kept unit (or top-level package) keeps all its modules: their own imports count
      for (String k : containerModules.getOrDefault(container, List.of())) {
        reach(k, Via.KEPT_MODULE, "kept with " + m + " (" + container + "/)");
      }
    }
  }

  private Result result(Map<String, Evidence> hot) {
    Map<String, String> unreached = new TreeMap<>();
    for (Map.Entry<String, String> u : units.entrySet()) {
      if (reachedUnits.containsKey(u.getKey())) {
        continue;
      }
      // only the outermost unreached unit is named: its nested units go with it
      String parent = u.getKey();
      boolean nested = false;
      for (int slash = parent.indexOf('/'); slash > 0; slash = parent.indexOf('/', slash + 1)) {
        String up = parent.substring(0, slash);
        if (units.containsKey(up) && !reachedUnits.containsKey(up)) {
          nested = true;
          break;
        }
      }
      if (!nested) {
        unreached.put(u.getKey(), "no import, attribute access, literal or covered dynamic import, smoke run or rule "
            + "reaches " + u.getValue());
      }
    }
    Map<String, String> reached = new TreeMap<>();
    reachedUnits.forEach((k, e) -> reached.put(k, e.detail()));
    Map<String, UnitReach> classes = new TreeMap<>();
    for (Map.Entry<String, String> u : units.entrySet()) {
      Evidence h = hot.get(u.getKey());
      Evidence any = reachedUnits.get(u.getKey());
      Reach r = h != null ? Reach.HOT : any != null ? Reach.CALL_TIME : Reach.UNREACHED;
      classes.put(u.getKey(), new UnitReach(u.getKey(), u.getValue(), r, h != null ? h : any));
    }
    dynamic.sort(Comparator.comparing(Dynamic::site));
    return new Result(unreached, reached, dynamic, classes);
  }

  private String read(String file) throws IOException {
    return new String(Files.readAllBytes(in.tree().resolve(file)), StandardCharsets.UTF_8);
  }

  private static String parentOf(String dotted) {
    int dot = dotted.lastIndexOf('.');
    return dot < 0 ? "" : dotted.substring(0, dot);
  }
}
