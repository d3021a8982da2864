package dev.layerslim.prune;

import dev.layerslim.python.ImportScanner;
import dev.layerslim.python.PythonImport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Keeps the folders a folder rule would delete when code that stays imports them: the layer's own
 * module graph, built from the kept {@code .py} files ({@code botocore/docs/__init__.py} is module
 * {@code botocore.docs}). A folder survives when a kept module outside it imports the folder's
 * module or one of its submodules; the kept folder's own modules then count as importers too, until
 * nothing changes.
 */
final class ImportGuard {
  private ImportGuard() {}

  /**
   * Decides which candidate folders survive.
   *
   * @param candidates folder → the folder rule that would remove it; nested folders are separate
   *     candidates
   * @param keptPy every {@code .py} file no other rule removes, inside candidate folders or not
   * @param source reads a module's source text by path
   * @return the surviving folders, each with the reason it survives, in the order they were found
   */
  static Map<String, String> rescue(Map<String, Rule> candidates, List<String> keptPy, Function<String, String> source) {
    Map<String, String> folderOfModule = new HashMap<>();
    for (String folder : candidates.keySet()) {
      folderOfModule.put(folder.replace('/', '.'), folder);
    }
    Map<String, String> rescued = new LinkedHashMap<>();
    Deque<String> importers = new ArrayDeque<>();
    List<String> waiting = new ArrayList<>();
    // Any import of a candidate spells its folder's name as a word (pkg.tests, from . import tests,
    // from .tests import x): a module without one of those words is not read further.
    Set<String> leaves = new java.util.TreeSet<>();
    candidates.keySet().forEach(f -> leaves.add(f.substring(f.lastIndexOf('/') + 1)));
    for (String py : keptPy) {
      if (py.equals("conftest.py") || py.endsWith("/conftest.py")) {
        continue; // pytest loads conftest.py; no code that runs in Lambda imports it
      }
      if (enclosing(py, candidates).isEmpty()) {
        importers.add(py);
      } else {
        waiting.add(py);
      }
    }
    while (!importers.isEmpty()) {
      String importer = importers.poll();
      boolean changed = false;
      String text = source.apply(importer);
      if (!mentionsAWord(text, leaves)) {
        continue;
      }
      for (String name : importedNames(importer, text)) {
        // importing a.b.c imports a and a.b first: every prefix that names a candidate is needed
        for (int dot = name.indexOf('.'); ; dot = name.indexOf('.', dot + 1)) {
          String prefix = dot < 0 ? name : name.substring(0, dot);
          String folder = folderOfModule.get(prefix);
          if (folder != null && !rescued.containsKey(folder) && !importer.startsWith(folder + "/")) {
            rescued.put(folder, "imported by " + importer);
            changed = true;
          }
          if (dot < 0) {
            break;
          }
        }
      }
      if (changed) {
        // modules whose every enclosing candidate survives now stay, and their imports count
        for (var it = waiting.iterator(); it.hasNext(); ) {
          String py = it.next();
          if (rescued.keySet().containsAll(enclosing(py, candidates))) {
            it.remove();
            importers.add(py);
          }
        }
      }
    }
    return rescued;
  }

  /**
   * True when {@code text} holds one of {@code words} as a whole word (not inside a longer name):
   * what the regex {@code \\b(?:a|b)\\b} finds, by {@code indexOf}. The regex's Unicode word
   * boundaries cost half a second over the GIS tree's sources; this filter may only say yes more
   * often than the regex (a combining mark ends a word here), never less.
   */
  static boolean mentionsAWord(String text, Set<String> words) {
    for (String w : words) {
      if (w.isEmpty()) {
        continue;
      }
      for (int i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) {
        int end = i + w.length();
        if ((i == 0 || !wordChar(text.charAt(i - 1))) && (end == text.length() || !wordChar(text.charAt(end)))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean wordChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  /** The candidate folders that contain {@code path}, outermost first. */
  static List<String> enclosing(String path, Map<String, Rule> candidates) {
    List<String> out = new ArrayList<>();
    for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      String folder = path.substring(0, slash);
      if (candidates.containsKey(folder)) {
        out.add(folder);
      }
    }
    return out;
  }

  /** The absolute module names a module's imports may load, {@code from a import b} giving a and a.b. */
  static Set<String> importedNames(String path, String text) {
    String module = path.substring(0, path.length() - ".py".length()).replace('/', '.');
    boolean isPackage = module.endsWith(".__init__") || module.equals("__init__");
    if (isPackage) {
      module = module.substring(0, Math.max(0, module.length() - ".__init__".length()));
    }
    int dot = module.lastIndexOf('.');
    String pkg = isPackage ? module : dot < 0 ? "" : module.substring(0, dot);
    Set<String> names = new LinkedHashSet<>();
    for (PythonImport imp : ImportScanner.scan(text, pkg)) {
      names.add(imp.module());
      for (String n : imp.names()) {
        if (!n.equals("*")) {
          names.add(imp.module() + "." + n);
        }
      }
    }
    return names;
  }
}
