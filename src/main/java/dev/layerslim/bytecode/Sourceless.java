package dev.layerslim.bytecode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code --bytecode sourceless}: the hot modules (those the smoke test loaded) ship as pycs in the
 * legacy place of their source, {@code mod.pyc} beside where {@code mod.py} was, without the
 * source. Python's path finder loads such a file with {@code SourcelessFileLoader}, which reads
 * no source and checks no hash; it works under {@code -I -S} and from a read-only {@code /opt}.
 *
 * <p>The trade-off, which the report states: a traceback through such a module names its file and
 * line but shows no source text, and {@code inspect.getsource} fails on it. A hot module ships its
 * pyc in every mode that compiles the cold path, so dropping its source never grows the layer, even
 * when the pyc is the larger of the two (most are, on Python 3.11: column and exception tables). A
 * module the hot path did not load keeps its source and gets no pyc: as a pyc alone it would grow
 * (measured on the GIS tree: the pycs of 123 of 127 such modules are larger than their source),
 * nothing proved it runs without its source, and a call-time import compiles it as before.
 *
 * <p>Sources are moved aside, not deleted, so that {@link #restore} can put the layer back when the
 * import fails with them gone.
 */
final class Sourceless {
  /**
   * What was done.
   *
   * @param moved hot sources replaced by their pyc (paths relative to the layer root)
   * @param pycLarger how many of {@code moved} have a pyc larger than their source (dropping the
   *     source saves all of it anyway: the pyc shipped beside it before)
   * @param sourceBytes the bytes of the sources dropped
   * @param pycBytes the bytes of the pycs that took their place
   */
  record Outcome(List<String> moved, int pycLarger, long sourceBytes, long pycBytes) {
    long savedBytes() {
      return sourceBytes;
    }
  }

  /** What a traceback loses, said the same way in the report, the console and the fit plan. */
  static final String TRADE_OFF = "tracebacks show file and line but no source text; inspect.getsource fails on "
      + "these modules";

  private final Path root;
  private final Path aside;

  /** Works on the layer at {@code root}; dropped sources wait in {@code aside} (outside the layer). */
  Sourceless(Path root, Path aside) {
    this.root = root;
    this.aside = aside;
  }

  /**
   * The pyc the bytecode step placed for {@code source} ({@code a/b.py} → {@code a/__pycache__/b.TAG.pyc}),
   * or null. There is one per module: the step compiles for one interpreter.
   */
  static Path cachedPyc(Path root, String source) throws IOException {
    Path src = root.resolve(source);
    String stem = src.getFileName().toString();
    stem = stem.substring(0, stem.length() - ".py".length());
    Path cache = src.resolveSibling("__pycache__");
    if (!Files.isDirectory(cache)) {
      return null;
    }
    try (var s = Files.list(cache)) {
      String prefix = stem + ".";
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith(prefix) && n.endsWith(".pyc") && n.length() > prefix.length() + 4
            && n.substring(prefix.length(), n.length() - 4).indexOf('.') < 0 && Files.isRegularFile(p)) {
          return p;
        }
      }
    }
    return null;
  }

  /**
   * What {@link #apply} would save on the layer as it is now, for the fit plan: the sources of the
   * hot modules that have a cached pyc. Nothing is changed.
   */
  static long measure(Path root, List<String> hot) throws IOException {
    long saved = 0;
    for (String s : hot) {
      Path pyc = cachedPyc(root, s);
      Path src = root.resolve(s);
      if (pyc != null && Files.isRegularFile(src)) {
        saved += Files.size(src);
      }
    }
    return saved;
  }

  /** Replaces each hot source that has a cached pyc by that pyc, in the source's place. */
  Outcome apply(List<String> hot) throws IOException {
    List<String> moved = new ArrayList<>();
    int pycLarger = 0;
    long sourceBytes = 0;
    long pycBytes = 0;
    Set<Path> caches = new TreeSet<>();
    for (String s : new TreeSet<>(hot)) {
      Path src = root.resolve(s);
      Path pyc = cachedPyc(root, s);
      if (pyc == null || !Files.isRegularFile(src)) {
        continue;
      }
      long py = Files.size(src);
      long compiled = Files.size(pyc);
      pycLarger += compiled > py ? 1 : 0;
      Path parked = aside.resolve(s);
      Files.createDirectories(parked.getParent());
      Files.move(src, parked, StandardCopyOption.REPLACE_EXISTING);
      Files.move(pyc, src.resolveSibling(s.substring(s.lastIndexOf('/') + 1) + "c"));
      caches.add(pyc.getParent());
      moved.add(s);
      sourceBytes += py;
      pycBytes += compiled;
    }
    for (Path c : caches) {
      try (var l = Files.list(c)) {
        if (l.findAny().isEmpty()) {
          Files.delete(c);
        }
      }
    }
    return new Outcome(List.copyOf(moved), pycLarger, sourceBytes, pycBytes);
  }

  /** Puts the sources of {@code outcome} back and deletes the pycs that stood in their place. */
  void restore(Outcome outcome) throws IOException {
    for (String s : outcome.moved()) {
      Path src = root.resolve(s);
      Files.deleteIfExists(src.resolveSibling(src.getFileName() + "c"));
      Files.move(aside.resolve(s), src, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
