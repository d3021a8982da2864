package dev.layerslim.audit;

import dev.layerslim.layer.PythonSource;
import dev.layerslim.layer.Target;
import dev.layerslim.python.ComputedImport;
import dev.layerslim.python.ImportScanner;
import dev.layerslim.python.PythonImport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Scans the {@code --handler} paths: files, or folders whose every {@code .py} is scanned
 * ({@code __pycache__} and hidden folders skipped).
 *
 * <p>Each path has a code root, the folder Lambda puts on {@code sys.path}: a file's own folder; a
 * folder itself, unless it holds {@code __init__.py}, in which case it is a package and its parent
 * is the root. Module names, the handler's own top-level names and relative imports follow from
 * that root.
 */
public final class HandlerScanner {
  private HandlerScanner() {}

  /**
   * Scans the handler paths for the target's Python.
   *
   * @throws dev.layerslim.error.LayerslimException (exit 2) when a path does not exist
   */
  public static HandlerImports scan(List<Path> handlers, Target target) throws IOException {
    // relative file path → (code root) so every file is read once even if paths overlap
    TreeMap<String, Path> files = new TreeMap<>();
    Set<String> own = new TreeSet<>();
    for (Path h : handlers) {
      if (Files.isRegularFile(h)) {
        Path root = h.toAbsolutePath().normalize().getParent();
        addFile(root, h.toAbsolutePath().normalize(), files, own);
      } else if (Files.isDirectory(h)) {
        Path dir = h.toAbsolutePath().normalize();
        Path root = Files.isRegularFile(dir.resolve("__init__.py")) ? dir.getParent() : dir;
        try (var walk = Files.walk(dir)) {
          for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
            if (p.getFileName().toString().endsWith(".py") && Files.isRegularFile(p) && !skipped(dir, p)) {
              addFile(root, p, files, own);
            }
          }
        }
      } else {
        throw dev.layerslim.error.LayerslimException.usage(
            "--handler " + h + " is neither a file nor a folder");
      }
    }
    List<ImportSite> sites = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<HandlerImports.ComputedSite> computed = new ArrayList<>();
    for (var e : files.entrySet()) {
      String rel = e.getKey();
      String source = read(e.getValue().resolve(rel), rel, problems);
      ImportScanner.Scan scan = ImportScanner.scanAll(source, packageOf(rel));
      for (PythonImport imp : scan.imports()) {
        String top = imp.topLevel();
        if (!own.contains(top) && !StdlibModules.contains(top, target.pythonMinor())) {
          sites.add(new ImportSite(rel, imp));
        }
      }
      for (ComputedImport c : scan.computed()) {
        // a name that starts in the handler's own modules or the standard library needs nothing of the layer
        String top = c.topLevel();
        if (top == null || !own.contains(top) && !StdlibModules.contains(top, target.pythonMinor())) {
          computed.add(new HandlerImports.ComputedSite(rel, c));
        }
      }
    }
    return new HandlerImports(own, sites, problems, computed);
  }

  private static void addFile(Path root, Path file, TreeMap<String, Path> files, Set<String> own) {
    String rel = root.relativize(file).toString().replace('\\', '/');
    files.putIfAbsent(rel, root);
    int slash = rel.indexOf('/');
    own.add(slash < 0 ? rel.substring(0, rel.length() - 3) : rel.substring(0, slash));
  }

  private static boolean skipped(Path dir, Path file) {
    for (Path part : dir.relativize(file.getParent())) {
      String n = part.toString();
      if (n.equals("__pycache__") || n.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** {@code pkg/sub/mod.py} and {@code pkg/sub/__init__.py} → {@code pkg.sub}; {@code app.py} → "". */
  static String packageOf(String rel) {
    int slash = rel.lastIndexOf('/');
    return slash < 0 ? "" : rel.substring(0, slash).replace('/', '.');
  }

  /** As Python reads it ({@link PythonSource}); a file that does not decode cleanly is noted. */
  private static String read(Path file, String rel, List<String> problems) throws IOException {
    PythonSource.Text t = PythonSource.readModule(file, rel);
    if (t.problem() != null) {
      problems.add(t.problem() + ": imports in it may be missed");
    }
    return t.text();
  }
}
