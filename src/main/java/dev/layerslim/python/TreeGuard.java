package dev.layerslim.python;

import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a smoke run from changing the tree it runs over. Lambda mounts a layer read-only at
 * {@code /opt}: a handler, a {@code --smoke-import} module or a {@code --smoke-script} that writes
 * into the layer would fail there, and a smoke run that writes into the staged layer would change what
 * ships.
 *
 * <p>Guards around every run ({@link #lock}, then {@link #close}):
 * <ul>
 *   <li>where the kernel lets us, the run sees the tree through a read-only bind mount
 *       ({@link #inReadOnlyView}): a write fails with {@code EROFS} as on Lambda, root's too;
 *   <li>always, the comparison, the real guard (a container action runs as root without that capability): every entry's type, size, modification and change time and inode are recorded before
 *       the run and compared after it; an entry added, removed or changed fails the build naming it
 *       (exit 3), so a changed tree never ships. Only metadata is compared, so the guard costs one
 *       {@code lstat} per entry and run, whatever the files weigh: content cannot change without the
 *       change time changing, and only the kernel sets that.
 * </ul>
 * The guard never changes the tree's permissions: it runs over the user's input as well as the staged
 * layer, and a build killed mid-run must leave both as they were.
 * Folders' own times are not compared: a file created and deleted again during the run leaves the
 * tree as it was. Symlinks are recorded as links, never followed.
 */
public final class TreeGuard implements AutoCloseable {
  /**
   * Where the kernel can give the run a read-only view of the tree (root with {@code CAP_SYS_ADMIN}:
   * a laptop, a privileged container), the command that starts {@code command} in its own mount
   * namespace with {@code root} bind-mounted read-only over itself: a write fails with
   * {@code EROFS} as on Lambda, root's included. Elsewhere (a container action without that
   * capability, a non-root user) {@code command} itself: the comparison guards.
   */
  static List<String> inReadOnlyView(ProcessRunner runner, Path root, List<String> command) {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS) || !readOnlyViewWorks(runner)) {
      return command;
    }
    List<String> cmd = new ArrayList<>(READ_ONLY_VIEW);
    cmd.add(root.toAbsolutePath().toString());
    cmd.addAll(command);
    return cmd;
  }

  private static final List<String> READ_ONLY_VIEW = List.of("unshare", "--mount", "--propagation", "private",
      "--", "sh", "-c", "mount --bind -o ro \"$1\" \"$1\" && shift && exec \"$@\"", "sh");
  /** Per process runner (a build has one): whether the view works through it. */
  private static final Map<ProcessRunner, Boolean> VIEW_WORKS = new java.util.WeakHashMap<>();

  /** Whether {@link #READ_ONLY_VIEW} works through {@code runner}: tried once, on a scratch folder. */
  public static boolean readOnlyViewWorks(ProcessRunner runner) {
    synchronized (VIEW_WORKS) {
      return VIEW_WORKS.computeIfAbsent(runner, TreeGuard::probeView);
    }
  }

  private static boolean probeView(ProcessRunner runner) {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return false;
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("layerslim-ro");
      List<String> probe = new ArrayList<>(READ_ONLY_VIEW);
      probe.addAll(List.of(dir.toString(), "sh", "-c", "if ( : > \"$0/probe\" ) 2>/dev/null; then exit 1; fi; echo read-only", dir.toString()));
      ProcessRunner.ProcessResult r = runner.run(ProcessRunner.ProcessRequest.of(probe)
          .withTimeout(java.time.Duration.ofSeconds(20)));
      return r.ok() && r.output().contains("read-only") && !Files.exists(dir.resolve("probe"));
    } catch (IOException | RuntimeException e) {
      return false; // no unshare, or not allowed: the other guards hold
    } finally {
      if (dir != null) {
        try {
          dev.layerslim.layer.Trees.deleteRecursively(dir);
        } catch (IOException e) {
          // a scratch folder in the temp dir
        }
      }
    }
  }

  /** One entry as the run found it. */
  record Entry(char type, long size, long mtime, long ctime, Object key) {
    String describe(Entry after) {
      if (type != after.type) {
        return "replaced by a " + kind(after.type);
      }
      if (size != after.size) {
        return "written (" + size + " → " + after.size + " bytes)";
      }
      return Objects.equals(key, after.key) ? "written" : "replaced";
    }
  }

  private final Path root;
  private final Map<String, Entry> before;

  private TreeGuard(Path root, Map<String, Entry> before) {
    this.root = root;
    this.before = before;
  }

  /** Records the tree as it is before a run. A missing root is recorded as empty. */
  static TreeGuard lock(Path root) throws IOException {
    return new TreeGuard(root, scan(root));
  }

  /** The tree's entries, relative to {@code root} ("" is the root itself). */
  static Map<String, Entry> scan(Path root) throws IOException {
    Map<String, Entry> entries = new TreeMap<>();
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return entries;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        entries.put(rel(root, dir), entry(dir, attrs));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        entries.put(rel(root, file), entry(file, attrs));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        if (exc instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE; // gone between listing and reading: compared as absent
        }
        throw exc;
      }
    });
    return entries;
  }

  private static String rel(Path root, Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }

  private static Entry entry(Path p, BasicFileAttributes a) {
    char type = a.isSymbolicLink() ? 'l' : a.isDirectory() ? 'd' : a.isRegularFile() ? 'f' : 'o';
    if (type == 'd') {
      // a folder's times move when an entry comes and goes: its entries are compared instead
      return new Entry(type, 0, 0, 0, a.fileKey());
    }
    long ctime = 0;
    try {
      Object c = Files.getAttribute(p, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
      ctime = c instanceof java.nio.file.attribute.FileTime t ? t.to(java.util.concurrent.TimeUnit.NANOSECONDS) : 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // no unix view here: size and modification time still tell most writes
    }
    long mtime = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
    return new Entry(type, type == 'l' ? 0 : a.size(), mtime, ctime, a.fileKey());
  }

  /**
   * What the run changed, one line per entry, sorted: {@code six.py: written (100 → 140 bytes)},
   * {@code cache/: added}. Empty when nothing changed.
   */
  List<String> changes() throws IOException {
    Map<String, Entry> after = scan(root);
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Entry> e : before.entrySet()) {
      Entry now = after.get(e.getKey());
      String name = shown(e.getKey(), e.getValue());
      if (now == null) {
        out.add(name + ": removed");
      } else if (!e.getValue().equals(now)) {
        out.add(name + ": " + e.getValue().describe(now));
      }
    }
    for (Map.Entry<String, Entry> e : after.entrySet()) {
      if (!before.containsKey(e.getKey())) {
        out.add(shown(e.getKey(), e.getValue()) + ": added");
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * Fails with exit 3 when the run changed the tree: the changed entries named (the first few), and
   * that Lambda's {@code /opt} is read-only.
   */
  void check(String during) throws IOException {
    List<String> changes = changes();
    if (changes.isEmpty()) {
      return;
    }
    int shownCount = Math.min(5, changes.size());
    String listed = String.join("; ", changes.subList(0, shownCount))
        + (changes.size() > shownCount ? "; and " + (changes.size() - shownCount) + " more" : "");
    throw LayerslimException.stepFailed("the smoke run (" + during + ") changed the tree it tests, " + root
        + ": " + listed + ". Lambda mounts a layer read-only at /opt, so this write would fail there, and a "
        + "changed layer is never shipped: make the handler, --smoke-import modules and --smoke-script write to "
        + "/tmp instead");
  }

  private static String shown(String rel, Entry e) {
    String name = rel.isEmpty() ? "." : rel;
    return e.type == 'd' ? name + "/" : name;
  }

  private static String kind(char type) {
    return switch (type) {
      case 'd' -> "folder";
      case 'l' -> "symlink";
      case 'f' -> "file";
      default -> "special file";
    };
  }

  /** Nothing to undo: the guard only reads. */
  @Override
  public void close() {}
}
