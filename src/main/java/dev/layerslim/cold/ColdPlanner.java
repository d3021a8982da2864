package dev.layerslim.cold;

import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.Glob;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Ownership;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides which sub-packages go cold, reading nothing but the tree's listing and the hot path's
 * record. A candidate is a <em>unit</em> as {@code --prune-modules} defines it: a folder with
 * {@code __init__.py} whose parents up to a distribution's top-level package are regular packages
 * too (so never a namespace package, nor anything below one). It goes cold, with everything in it,
 * when the hot path loaded no module of it and opened or listed no file or folder in it; only the
 * outermost such unit is named (its nested units go with it). One stays hot, named with the reason,
 * when its {@code __init__} is an extension module (no stub can stand in for it), when it holds a
 * symlink (the archive keeps regular files only), or when {@code --include} names a file in it.
 */
final class ColdPlanner {
  private ColdPlanner() {}

  private static final List<String> INIT_FILES = List.of("/__init__.py", "/__init__.pyc");

  /**
   * What a plan is made from.
   *
   * @param tree the layer
   * @param ownership which distribution owns each file: a unit must belong to one
   * @param hot files and folders the hot path loaded, opened or listed, relative to the tree
   * @param include {@code --include} globs
   * @param why the reason a cold unit gets (what the hot path was)
   */
  record Input(LayerTree tree, Ownership ownership, Set<String> hot, List<Glob> include, String why) {}

  /** A cold unit and its files in the layer ({@code __pycache__} included; the archive leaves those out). */
  record Candidate(String folder, String module, List<FileEntry> files, String why) {
    long bytes() {
      return files.stream().mapToLong(FileEntry::size).sum();
    }

    /** What goes into the archive: every file but compiled bytecode in {@code __pycache__}. */
    List<FileEntry> archived() {
      return files.stream().filter(f -> !f.path().contains("/__pycache__/")).toList();
    }
  }

  record Plan(List<Candidate> cold, Map<String, String> refused) {}

  static Plan plan(Input in) {
    // a package's __init__ is a source, or (--bytecode sourceless) the pyc in the source's place: the
    // hot parents of a cold unit are exactly the modules that went sourceless
    Set<String> packages = new HashSet<>();
    for (FileEntry f : in.tree().files()) {
      for (String init : INIT_FILES) {
        if (f.path().endsWith(init)) {
          packages.add(f.path().substring(0, f.path().length() - init.length()));
        }
      }
    }
    // every folder on the way to a hot file is hot: a unit is cold only when nothing in it was touched
    Set<String> hotFolders = new HashSet<>();
    for (String h : in.hot()) {
      hotFolders.add(h);
      for (int slash = h.indexOf('/'); slash > 0; slash = h.indexOf('/', slash + 1)) {
        hotFolders.add(h.substring(0, slash));
      }
    }
    // sorted: a unit comes before the units nested in it
    TreeSet<String> units = new TreeSet<>();
    for (String p : packages) {
      if (p.contains("/") && regularParents(p, packages)
          && !Ownership.UNATTRIBUTED.equals(in.ownership().ownerOf(p + "/__init__.py"))) {
        units.add(p);
      }
    }
    List<Candidate> cold = new ArrayList<>();
    Map<String, String> refused = new TreeMap<>();
    Set<String> coldFolders = new HashSet<>();
    for (String folder : units) {
      if (insideAny(folder, coldFolders)) {
        continue; // goes with the cold unit around it
      }
      if (hotFolders.contains(folder)) {
        continue;
      }
      List<FileEntry> files = filesUnder(in.tree(), folder);
      String refusal = refusal(folder, files, in.include());
      if (refusal != null) {
        refused.put(folder, refusal);
        continue;
      }
      cold.add(new Candidate(folder, folder.replace('/', '.'), files, in.why()));
      coldFolders.add(folder);
    }
    return new Plan(cold, refused);
  }

  private static String refusal(String folder, List<FileEntry> files, List<Glob> include) {
    for (FileEntry f : files) {
      String rest = f.path().substring(folder.length() + 1);
      if (rest.startsWith("__init__.") && (rest.endsWith(".so") || rest.endsWith(".pyd"))) {
        return "its __init__ is an extension module (" + f.fileName() + "): no stub can stand in for it";
      }
      if (f.link()) {
        return "it holds a symlink (" + f.path() + "): cold storage keeps regular files only";
      }
      for (Glob g : include) {
        if (g.matches(f.path())) {
          return "--include '" + g.text() + "' protects " + f.path();
        }
      }
    }
    return null;
  }

  private static List<FileEntry> filesUnder(LayerTree tree, String folder) {
    String prefix = folder + "/";
    List<FileEntry> out = new ArrayList<>();
    for (FileEntry f : tree.files()) {
      if (f.path().startsWith(prefix)) {
        out.add(f);
      }
    }
    return out;
  }

  private static boolean insideAny(String folder, Set<String> cold) {
    for (int slash = folder.indexOf('/'); slash > 0; slash = folder.indexOf('/', slash + 1)) {
      if (cold.contains(folder.substring(0, slash))) {
        return true;
      }
    }
    return false;
  }

  /** Every folder from the top-level package down to {@code folder}'s parent holds an {@code __init__.py}. */
  private static boolean regularParents(String folder, Set<String> packages) {
    for (int slash = folder.indexOf('/'); slash > 0; slash = folder.indexOf('/', slash + 1)) {
      if (!packages.contains(folder.substring(0, slash))) {
        return false;
      }
    }
    return true;
  }
}
