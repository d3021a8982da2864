package dev.layerslim.layer;

import dev.layerslim.pipeline.LayerslimException;
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
    Set<Path> visitedDirs = new HashSet<>();
    visitedDirs.add(realRoot);
    // Real folders first, links after: a folder reached both directly and through a link is then
    // listed under its real path, so a rule that drops the link's path (a "tests" link to a runtime
    // folder) can never take the real files with it.
    Deque<String> links = new ArrayDeque<>();
    walk(root, realRoot, "", false, out, skipped, visitedDirs, links);
    while (!links.isEmpty()) {
      String rel = links.poll();
      link(root.resolve(rel), rel, realRoot, out, skipped, visitedDirs, links);
    }
    out.sort(java.util.Comparator.comparing(FileEntry::path));
    return new LayerTree(root, out, skipped);
  }

  private static void walk(Path dir, Path realRoot, String prefix, boolean underLink, List<FileEntry> out,
      List<String> skipped, Set<Path> visitedDirs, Deque<String> links) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        children.add(p);
      }
    } catch (java.nio.file.AccessDeniedException e) {
      throw unreadable(dir);
    }
    for (Path child : children) {
      String rel = prefix + child.getFileName().toString();
      PosixFileAttributes attrs = Files.readAttributes(child, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attrs.isSymbolicLink()) {
        links.add(rel);
      } else if (attrs.isDirectory()) {
        if (visitedDirs.add(child.toRealPath())) {
          walk(child, realRoot, rel + "/", underLink, out, skipped, visitedDirs, links);
        }
      } else if (attrs.isRegularFile()) {
        if (!Files.isReadable(child)) {
          throw unreadable(child);
        }
        out.add(new FileEntry(rel, attrs.size(), isElf(child, attrs.size()), isExec(attrs), underLink));
      } else {
        skipped.add(rel + " (not a regular file)");
      }
    }
  }

  /** A link {@link #walk} found at {@code rel}: followed only when it stays inside the tree. */
  private static void link(Path child, String rel, Path realRoot, List<FileEntry> out, List<String> skipped,
      Set<Path> visitedDirs, Deque<String> links) throws IOException {
    Path real;
    try {
      real = child.toRealPath();
    } catch (NoSuchFileException e) {
      skipped.add(rel + " (dangling symlink to " + Files.readSymbolicLink(child) + ")");
      return;
    }
    if (!real.startsWith(realRoot)) {
      throw LayerslimException.usage("symlink " + child + " points outside the tree, to " + real
          + ": layerslim never follows links out of the tree; replace it with the file itself");
    }
    PosixFileAttributes target = Files.readAttributes(real, PosixFileAttributes.class);
    if (target.isDirectory()) {
      if (visitedDirs.add(real)) {
        walk(child, realRoot, rel + "/", true, out, skipped, visitedDirs, links);
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
