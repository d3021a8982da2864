package dev.layerslim.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Fixtures that cost a child process (a wheel set installed by pip, an object compiled by gcc, a whole
 * build), made once per JVM and kept in a folder of their own, keyed by everything that goes into
 * them. Test classes that need the same fixture share one; a test that wants to change it takes a
 * copy ({@link #copyTree}), so the cached tree stays as it was made.
 *
 * <p>Safe for test classes running in parallel: the first caller makes the fixture, the others wait
 * for it. A fixture that failed is not cached: the next caller tries again and sees the failure itself.
 */
public final class FixtureCache {
  private FixtureCache() {}

  /** Makes a fixture's contents in the (empty) folder it is given. */
  @FunctionalInterface
  public interface Maker {
    void make(Path folder) throws IOException;
  }

  private static final ConcurrentHashMap<String, CompletableFuture<Path>> MADE = new ConcurrentHashMap<>();
  private static Path root;

  private static synchronized Path root() throws IOException {
    if (root == null) {
      Path r = Files.createTempDirectory("layerslim-test-fixtures-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(r), "fixture-cache-cleanup"));
      root = r;
    }
    return root;
  }

  /**
   * The folder that holds fixture {@code kind} for {@code key} (its parts' string forms are hashed), made
   * by {@code maker} on first use. Callers must not change what is in it.
   */
  public static Path get(String kind, List<?> key, Maker maker) throws IOException {
    String id = kind + "-" + hash(key);
    CompletableFuture<Path> mine = new CompletableFuture<>();
    CompletableFuture<Path> theirs = MADE.putIfAbsent(id, mine);
    if (theirs != null) {
      try {
        return theirs.get();
      } catch (ExecutionException e) {
        MADE.remove(id, theirs);
        return get(kind, key, maker);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for fixture " + id, e);
      }
    }
    try {
      Path folder = root().resolve(id);
      if (Files.exists(folder)) {
        deleteQuietly(folder);
      }
      Files.createDirectories(folder);
      maker.make(folder);
      mine.complete(folder);
      return folder;
    } catch (IOException | RuntimeException | Error e) {
      mine.completeExceptionally(e);
      MADE.remove(id, mine);
      throw e;
    }
  }

  /**
   * Copies the tree {@code from} to {@code to} (created; must not exist or be empty): regular files with
   * their permissions and times, symbolic links as links, folders with their permissions and times.
   */
  public static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
            LinkOption.NOFOLLOW_LINKS);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Path target = to.resolve(from.relativize(dir).toString());
        // after the children: writing them changed the folder's own time
        Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(dir));
        FileTime t = Files.getLastModifiedTime(dir);
        Files.setLastModifiedTime(target, t);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  static String hash(List<?> key) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Object part : key) {
        md.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest(), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        p.toFile().setWritable(true);
        Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException e) {
      // a temp folder left behind is not a test failure
    }
  }
}
