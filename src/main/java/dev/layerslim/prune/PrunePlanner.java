package dev.layerslim.prune;

import dev.layerslim.layer.Glob;
import dev.layerslim.layer.GlobSet;
import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Ownership;
import dev.layerslim.layer.PythonSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans a prune over an installed tree without touching it. Precedence, first match wins:
 * {@code --include} protects from everything; {@code --exclude} removes (even what the guard
 * keeps); {@code unused} removes whole distributions; {@code unreached-module} removes the
 * sub-packages {@link ModuleReach} found unreached ({@code --prune-modules}); then the folder rules
 * (subject to the import guard) and the file rules.
 */
public final class PrunePlanner {
  private PrunePlanner() {}

  /**
   * What a plan is made from.
   *
   * @param tree the installed tree, read only
   * @param ownership which distribution owns each file
   * @param usedDistributions normalised names the audit found used; null when no audit ran
   * @param pruneUnused remove the distributions not in {@code usedDistributions}
   * @param exclude globs to remove
   * @param include globs to protect
   * @param modules what {@code --prune-modules} found unreached; null when it is off
   */
  public record Input(LayerTree tree, Ownership ownership, Set<String> usedDistributions, boolean pruneUnused,
      List<Glob> exclude, List<Glob> include, ModuleReach.Result modules) {
    public Input {
      exclude = List.copyOf(exclude);
      include = List.copyOf(include);
    }
  }

  /** A file that only the guard and the folder rules still decide. */
  private record Pending(FileEntry file, String owner, List<String> folders, Rule fileRule) {}

  /** Plans; reads {@code .py} sources for the import guard, nothing else. */
  public static PrunePlan plan(Input in) throws IOException {
    List<PrunePlan.Deletion> deletions = new ArrayList<>();
    List<PrunePlan.Keep> keeps = new ArrayList<>();
    Map<String, Rule> candidates = new LinkedHashMap<>();
    List<Pending> pending = new ArrayList<>();
    List<String> keptPy = new ArrayList<>();
    // one matcher per list: thousands of user globs cost about what a few do
    GlobSet include = GlobSet.of(in.include());
    GlobSet exclude = GlobSet.of(in.exclude());
    long protectedFiles = 0;
    long protectedBytes = 0;
    boolean unusedApplies = in.pruneUnused() && in.usedDistributions() != null;
    for (FileEntry f : in.tree().files()) {
      String path = f.path();
      String owner = in.ownership().ownerOf(path);
      boolean unused = unusedApplies && !owner.equals(Ownership.UNATTRIBUTED)
          && !in.usedDistributions().contains(owner);
      List<String> folders = candidateFolders(path);
      Rule fileRule = DefaultRules.fileRule(path);
      String unreachedUnit = unused || in.modules() == null ? null : in.modules().unreachedUnitOf(path);
      if (include.first(path) != null) {
        if (unused || unreachedUnit != null || !folders.isEmpty() || fileRule != null || exclude.first(path) != null) {
          protectedFiles++;
          protectedBytes += f.size();
        }
        keepPy(path, keptPy);
        continue;
      }
      Glob excluded = exclude.first(path);
      if (excluded != null) {
        deletions.add(new PrunePlan.Deletion(path, Rule.USER_EXCLUDE, owner, f.size(),
            "matches exclude glob '" + excluded.text() + "'"));
        continue;
      }
      if (unused) {
        deletions.add(new PrunePlan.Deletion(path, Rule.UNUSED, owner, f.size(),
            "distribution " + owner + " is unused"));
        continue;
      }
      if (unreachedUnit != null) {
        deletions.add(new PrunePlan.Deletion(path, Rule.UNREACHED_MODULE, owner, f.size(),
            (unreachedUnit.equals(path) ? "" : "in " + unreachedUnit + "/: ") + in.modules().unreached().get(unreachedUnit)));
        continue;
      }
      if (fileRule == Rule.PYCACHE && DefaultRules.isStrayBytecode(path) && in.tree().get(sourceOf(path)) == null) {
        // a module shipped as bytecode only: nothing could compile it back
        keeps.add(new PrunePlan.Keep(path, Rule.PYCACHE, "no " + sourceOf(path) + " beside it: a bytecode-only module"));
        fileRule = null;
      }
      for (String folder : folders) {
        candidates.putIfAbsent(folder, DefaultRules.folderRule(folder));
      }
      if (fileRule == null) {
        keepPy(path, keptPy);
      }
      pending.add(new Pending(f, owner, folders, fileRule));
    }
    Map<String, String> rescued;
    try {
      rescued = candidates.isEmpty() ? Map.of() : ImportGuard.rescue(candidates, keptPy, p -> read(in.tree(), p));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    rescued.forEach((folder, reason) -> keeps.add(new PrunePlan.Keep(folder, candidates.get(folder), reason)));
    Map<String, String> importedTestExtensions = testExtensionsImported(pending, keptPy, in.tree());
    for (Pending p : pending) {
      String importer = importedTestExtensions.get(p.file().path());
      if (importer != null) {
        keeps.add(new PrunePlan.Keep(p.file().path(), Rule.TEST_EXTENSIONS, "imported by " + importer));
        continue;
      }
      String removedBy = p.folders().stream().filter(d -> !rescued.containsKey(d)).findFirst().orElse(null);
      if (removedBy != null) {
        deletions.add(new PrunePlan.Deletion(p.file().path(), candidates.get(removedBy), p.owner(), p.file().size(),
            "in " + removedBy + "/"));
      } else if (p.fileRule() != null) {
        deletions.add(new PrunePlan.Deletion(p.file().path(), p.fileRule(), p.owner(), p.file().size(),
            p.fileRule().description()));
      }
    }
    deletions.sort(java.util.Comparator.comparing(PrunePlan.Deletion::path));
    keeps.sort(java.util.Comparator.comparing(PrunePlan.Keep::path));
    return new PrunePlan(deletions, keeps, protectedFiles, protectedBytes);
  }

  /**
   * The test-only extension modules ({@link Rule#TEST_EXTENSIONS}) that a kept module outside the
   * test suites imports (at any depth: a function's import counts too), each with its first
   * importer; those stay.
   */
  private static Map<String, String> testExtensionsImported(List<Pending> pending, List<String> keptPy,
      LayerTree tree) throws IOException {
    Map<String, String> byModule = new LinkedHashMap<>();
    for (Pending p : pending) {
      if (p.fileRule() == Rule.TEST_EXTENSIONS) {
        String path = p.file().path();
        String name = path.substring(path.lastIndexOf('/') + 1);
        String module = (path.substring(0, path.lastIndexOf('/') + 1) + name.substring(0, name.indexOf('.')))
            .replace('/', '.');
        byModule.put(module, path);
      }
    }
    if (byModule.isEmpty()) {
      return Map.of();
    }
    Set<String> leaves = new java.util.TreeSet<>();
    byModule.keySet().forEach(m -> leaves.add(m.substring(m.lastIndexOf('.') + 1)));
    Map<String, String> imported = new LinkedHashMap<>();
    try {
      for (String py : keptPy) {
        if (DefaultRules.isTestModule(py)) {
          continue;
        }
        String text = read(tree, py);
        if (!ImportGuard.mentionsAWord(text, leaves)) {
          continue;
        }
        for (String n : ImportGuard.importedNames(py, text)) {
          String path = byModule.get(n);
          if (path != null) {
            imported.putIfAbsent(path, py);
          }
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return imported;
  }

  private static void keepPy(String path, List<String> keptPy) {
    if (path.endsWith(".py")) {
      keptPy.add(path);
    }
  }

  /** Folders above {@code path} a folder rule matches, outermost first. */
  private static List<String> candidateFolders(String path) {
    List<String> out = new ArrayList<>(0);
    for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      String folder = path.substring(0, slash);
      if (DefaultRules.folderRule(folder) != null) {
        out.add(folder);
      }
    }
    return out;
  }

  private static String sourceOf(String pyc) {
    return pyc.substring(0, pyc.length() - ".pyc".length()) + ".py";
  }

  private static String read(LayerTree tree, String path) {
    try {
      // as Python reads it (BOM, coding line); undecodable bytes become U+FFFD, which the guard can
      // live with: an import statement is ASCII either way
      return PythonSource.readModule(tree.resolve(path), path).text();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
