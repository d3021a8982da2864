package dev.layerslim.audit;

import dev.layerslim.layer.Distribution;
import dev.layerslim.python.PythonImport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps import names to the distributions that provide them, from RECORD paths and top_level.txt.
 *
 * <p>Two indexes come from RECORD: which distributions hold a module's own file ({@code a/b.py},
 * {@code a/b/__init__.py}, {@code a/b.cpython-311-x86_64-linux-gnu.so}), and which hold any file
 * under a dotted prefix. A namespace package split over several distributions ({@code ns/a/…} in
 * one, {@code ns/b/…} in another) then resolves {@code import ns.a} to the first only; a bare
 * {@code import ns} that no file pins falls back to all of them. One distribution may provide
 * several names (attrs → {@code attr} and {@code attrs}; pillow → {@code PIL}).
 */
public final class ImportIndex {
  private final Map<String, Set<String>> ownFile = new HashMap<>();
  private final Map<String, Set<String>> underPrefix = new HashMap<>();
  private final Map<String, Set<String>> topLevel = new HashMap<>();

  public ImportIndex(List<Distribution> distributions) {
    for (Distribution d : distributions) {
      for (String p : d.recordPaths()) {
        indexPath(p, d.name());
      }
      for (String t : d.topLevelNames()) {
        topLevel.computeIfAbsent(t, k -> new TreeSet<>()).add(d.name());
      }
    }
  }

  private void indexPath(String path, String dist) {
    String[] parts = path.split("/");
    if (parts[0].endsWith(".dist-info") || parts[0].endsWith(".data") || parts[0].equals("bin")) {
      return;
    }
    StringBuilder dotted = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      boolean last = i == parts.length - 1;
      if (part.equals("__pycache__")) {
        return;
      }
      String module = part;
      if (last) {
        // foo.py, foo.cpython-311-x86_64-linux-gnu.so, foo.abi3.so, foo.so
        int dot = part.indexOf('.');
        if (dot <= 0 || !(part.endsWith(".py") || part.endsWith(".so") || part.endsWith(".pyd"))) {
          return; // data files do not name modules
        }
        module = part.substring(0, dot);
      }
      if (dotted.length() > 0) {
        dotted.append('.');
      }
      if (last && module.equals("__init__")) {
        ownFile.computeIfAbsent(dotted.substring(0, dotted.length() - 1), k -> new TreeSet<>()).add(dist);
        return;
      }
      dotted.append(module);
      underPrefix.computeIfAbsent(dotted.toString(), k -> new TreeSet<>()).add(dist);
      if (last) {
        ownFile.computeIfAbsent(dotted.toString(), k -> new TreeSet<>()).add(dist);
      }
    }
  }

  /**
   * The distributions that provide a module whose name starts with {@code head} (a computed
   * import's literal start: {@code plugins.} of {@code f"plugins.{name}"}), with the owners of the
   * packages the head names in full; every distribution when {@code head} is empty.
   */
  public Set<String> providersOfPrefix(String head) {
    Set<String> out = new TreeSet<>();
    underPrefix.forEach((module, dists) -> {
      if (module.startsWith(head)) {
        out.addAll(dists);
      }
    });
    for (int dot = head.indexOf('.'); dot > 0; dot = head.indexOf('.', dot + 1)) {
      out.addAll(ownFile.getOrDefault(head.substring(0, dot), Set.of()));
    }
    int dot = head.indexOf('.');
    if (out.isEmpty() && dot > 0) {
      out.addAll(topLevel.getOrDefault(head.substring(0, dot), Set.of()));
    }
    return out;
  }

  /**
   * The distributions an import loads files from: the owners of the module and each parent
   * package, and of each {@code from} name that is a submodule; when no file pins it (a namespace
   * package), every distribution with files under the deepest known prefix; else top_level.txt.
   *
   * @return normalised names, empty when nothing in the layer provides the import
   */
  public Set<String> resolve(PythonImport imp) {
    Set<String> out = new TreeSet<>();
    String[] parts = imp.module().split("\\.");
    StringBuilder prefix = new StringBuilder();
    for (String part : parts) {
      prefix.append(prefix.length() == 0 ? "" : ".").append(part);
      out.addAll(ownFile.getOrDefault(prefix.toString(), Set.of()));
    }
    for (String name : imp.names()) {
      String sub = imp.module() + "." + name;
      Set<String> owners = ownFile.get(sub);
      out.addAll(owners != null ? owners : underPrefix.getOrDefault(sub, Set.of()));
    }
    if (out.isEmpty()) {
      String m = imp.module();
      while (out.isEmpty() && !m.isEmpty()) {
        out.addAll(underPrefix.getOrDefault(m, Set.of()));
        int dot = m.lastIndexOf('.');
        m = dot < 0 ? "" : m.substring(0, dot);
      }
    }
    if (out.isEmpty()) {
      out.addAll(topLevel.getOrDefault(imp.topLevel(), Set.of()));
    }
    return out;
  }
}
