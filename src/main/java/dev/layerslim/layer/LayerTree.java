package dev.layerslim.layer;

import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The regular files of a tree, from one walk: every later step reads this instead of walking
 * again.
 *
 * <p>Symlinks are never followed out of the tree: a link whose target lies outside is an error
 * naming it (exit 2). A link inside the tree counts as the file (or folder) it points to; link
 * cycles are walked once. Dangling links are left out and listed in {@link #skipped()}.
 */
public final class LayerTree {
  private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};

  private final Path root;
  private final List<FileEntry> files;
  private final Map<String, FileEntry> byPath;
  private final List<String> skipped;

  private LayerTree(Path root, List<FileEntry> files, List<String> skipped) {
    this.root = root;
    this.files = Collections.unmodifiableList(files);
    Map<String, FileEntry> m = new LinkedHashMap<>();
    for (FileEntry f : files) {
      m.put(f.path(), f);
    }
    this.byPath = Collections.unmodifiableMap(m);
    this.skipped = List.copyOf(skipped);
  }

  /** Walks {@code root}; the result is sorted by path. */
  public static LayerTree scan(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw LayerslimException.usage(root + " is not a folder");
    }
    Path realRoot = root.toRealPath();
    List<FileEntry> out = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    // folders by identity (device and inode): cheap at any depth, where a real path costs a
    // system call per level of the path
    Set<Object> visitedDirs = new HashSet<>();
    visitedDirs.add(identity(realRoot, Files.readAttributes(realRoot, PosixFileAttributes.class)));
    // Real folders first, links after: a folder reached both directly and through a link is then
    // listed under its real path, so a rule that drops the link's path (a "tests" link to a runtime
    // folder) can never take the real files with it.
    Deque<String> links = new ArrayDeque<>();
    walk(new Dir(root, "", false), out, skipped, visitedDirs, links);
    while (!links.isEmpty()) {
      String rel = links.poll();
      link(root.resolve(rel), rel, realRoot, out, skipped, visitedDirs, links);
    }
    out.sort(java.util.Comparator.comparing(FileEntry::path));
    return new LayerTree(root, out, skipped);
  }

  /** A folder still to list: where it is, its path in the tree, whether a link led to it. */
  private record Dir(Path path, String prefix, boolean underLink) {}

  /**
   * Lists {@code start} and every folder below it, with a stack of folders still to list instead of
   * recursion: a tree thousands of folders deep must not overflow the call stack.
   */
  private static void walk(Dir start, List<FileEntry> out, List<String> skipped, Set<Object> visitedDirs,
      Deque<String> links) throws IOException {
    Deque<Dir> todo = new ArrayDeque<>();
    todo.push(start);
    while (!todo.isEmpty()) {
      Dir dir = todo.pop();
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.path())) {
        for (Path p : ds) {
          children.add(p);
        }
      } catch (java.nio.file.AccessDeniedException e) {
        throw unreadable(dir.path());
      }
      for (Path child : children) {
        String rel = dir.prefix() + checkedName(dir.path(), child);
        PosixFileAttributes attrs = Files.readAttributes(child, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attrs.isSymbolicLink()) {
          links.add(rel);
        } else if (attrs.isDirectory()) {
          if (visitedDirs.add(identity(child, attrs))) {
            todo.push(new Dir(child, rel + "/", dir.underLink()));
          }
        } else if (attrs.isRegularFile()) {
          if (!Files.isReadable(child)) {
            throw unreadable(child);
          }
          out.add(new FileEntry(rel, attrs.size(), isElf(child, attrs.size()), isExec(attrs), dir.underLink()));
        } else {
          skipped.add(rel + " (not a regular file)");
        }
      }
    }
  }

  /**
   * {@code child}'s name, when it survives the trip through a Java string. A name whose bytes are
   * not valid UTF-8 (or, in a JVM started without a UTF-8 locale, any name beyond ASCII) decodes
   * with replacement characters and no longer names the file: every later step would fail on it
   * with NoSuchFileException, and a zip entry name (UTF-8) could not carry it anyway. It is the
   * user's tree, so it is a usage error naming the file with its bytes escaped.
   */
  private static String checkedName(Path dir, Path child) {
    String name = child.getFileName().toString();
    if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      // checked here, once, when the tree is read: the zip step would refuse it only at the end
      throw LayerslimException.usage("the file name " + dir + "/" + escapedName(child) + " holds a control "
          + "character (a newline or tab, shown as \\xHH): a zip entry name cannot hold it and no module name "
          + "has one; rename the file");
    }
    if (name.indexOf('\uFFFD') < 0) {
      return name;
    }
    try {
      if (Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
        return name; // a real U+FFFD in a UTF-8 name
      }
    } catch (java.nio.file.InvalidPathException e) {
      // the JVM's charset cannot spell it back: the message below says so
    }
    String shown = dir + "/" + escapedName(child);
    String jnu = System.getProperty("sun.jnu.encoding", "");
    if (!jnu.equalsIgnoreCase("UTF-8")) {
      throw LayerslimException.usage("cannot read the file name " + shown + ": this JVM reads file names as " + jnu
          + ", not UTF-8; run it with a UTF-8 locale (LANG=C.UTF-8, as bin/layerslim does)");
    }
    throw LayerslimException.usage("the file name " + shown + " is not valid UTF-8 (the bytes shown as \\xHH):"
        + " a zip entry name cannot hold it and Lambda's Python would not import it; rename the file");
  }

  /** The file name's raw bytes: printable ASCII as it is, every other byte as {@code \\xHH}. */
  static String escapedName(Path child) {
    String raw = child.toUri().getRawPath();
    if (raw.endsWith("/")) {
      raw = raw.substring(0, raw.length() - 1);
    }
    raw = raw.substring(raw.lastIndexOf('/') + 1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < raw.length(); i++) {
      int b = raw.charAt(i);
      if (b == '%' && i + 2 < raw.length()) {
        b = Integer.parseInt(raw.substring(i + 1, i + 3), 16);
        i += 2;
      }
      if (b >= 0x20 && b < 0x7f) {
        sb.append((char) b);
      } else {
        sb.append(String.format(java.util.Locale.ROOT, "\\x%02x", b));
      }
    }
    return sb.toString();
  }

  /** A link {@link #walk} found at {@code rel}: followed only when it stays inside the tree. */
  private static void link(Path child, String rel, Path realRoot, List<FileEntry> out, List<String> skipped,
      Set<Object> visitedDirs, Deque<String> links) throws IOException {
    Path real;
    try {
      real = child.toRealPath();
    } catch (NoSuchFileException e) {
      skipped.add(rel + " (dangling symlink to " + Files.readSymbolicLink(child) + ")");
      return;
    } catch (java.nio.file.FileSystemException e) {
      // a loop (a -> b -> a, a link to itself): skipped like a dangling link, as the README says
      String loop = loop(child);
      skipped.add(rel + (loop != null ? " (symlink loop: " + loop + ")"
          : " (symlink that cannot be followed: " + (e.getReason() == null ? e : e.getReason()) + ")"));
      return;
    }
    if (!real.startsWith(realRoot)) {
      throw LayerslimException.usage("symlink " + child + " points outside the tree, to " + real
          + ": layerslim never follows links out of the tree; replace it with the file itself");
    }
    PosixFileAttributes target = Files.readAttributes(real, PosixFileAttributes.class);
    if (target.isDirectory()) {
      if (visitedDirs.add(identity(real, target))) {
        walk(new Dir(child, rel + "/", true), out, skipped, visitedDirs, links);
      } else {
        skipped.add(rel + " (symlink loop, or a link to a folder already in the tree)");
      }
    } else if (target.isRegularFile()) {
      if (!Files.isReadable(real)) {
        throw unreadable(child);
      }
      out.add(new FileEntry(rel, target.size(), isElf(real, target.size()), isExec(target), true));
    }
  }

  /**
   * When following {@code link} link by link comes back to a link already passed ({@code a -> b ->
   * a}, or a link to itself), the chain as {@code a -> b -> a}; otherwise null.
   */
  private static String loop(Path link) throws IOException {
    List<Path> chain = new ArrayList<>();
    Path p = link.toAbsolutePath().normalize();
    for (int hops = 0; hops < 64; hops++) {
      if (chain.contains(p)) {
        chain.add(p);
        return String.join(" -> ", chain.stream().map(x -> x.getFileName().toString()).toList());
      }
      chain.add(p);
      if (!Files.isSymbolicLink(p)) {
        return null;
      }
      p = p.resolveSibling(Files.readSymbolicLink(p)).normalize();
    }
    return null;
  }

  /** What tells two folders apart: the file key (device, inode), or the real path where there is none. */
  private static Object identity(Path p, PosixFileAttributes attrs) throws IOException {
    Object key = attrs.fileKey();
    return key != null ? key : p.toRealPath();
  }

  /** A file or folder of the input that cannot be read: the user's to fix, so exit 2 naming it. */
  private static LayerslimException unreadable(Path p) {
    return LayerslimException.usage("cannot read " + p + ": permission denied; layerslim reads every file of the"
        + " tree it packs, so make it readable (or remove it from the tree)");
  }

  private static boolean isExec(PosixFileAttributes a) {
    return a.permissions().contains(PosixFilePermission.OWNER_EXECUTE);
  }

  /** True when the file starts with the ELF magic bytes. */
  public static boolean isElf(Path file, long size) throws IOException {
    if (size < 64) {
      return false;
    }
    byte[] head = new byte[4];
    try (InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, 4) != 4) {
        return false;
      }
    }
    return java.util.Arrays.equals(head, ELF_MAGIC);
  }

  public Path root() {
    return root;
  }

  public List<FileEntry> files() {
    return files;
  }

  public FileEntry get(String path) {
    return byPath.get(path);
  }

  public List<String> skipped() {
    return skipped;
  }

  /** The on-disk path of an entry. */
  public Path resolve(String relPath) {
    return root.resolve(relPath);
  }

  public long totalBytes() {
    long sum = 0;
    for (FileEntry f : files) {
      sum += f.size();
    }
    return sum;
  }
}
