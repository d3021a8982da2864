package dev.layerslim.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.error.LayerslimException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard around every smoke run: the tree is read-only for the run (write bits taken and put
 * back, and a read-only mount where the kernel allows) and compared before and after, which holds even
 * for root, who ignores permissions.
 */
class TreeGuardTest {
  @TempDir Path tmp;

  private Path tree() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("layer/python"));
    Files.createDirectories(root.resolve("pkg"));
    Files.writeString(root.resolve("pkg/__init__.py"), "X = 1\n");
    Files.writeString(root.resolve("pkg/data.txt"), "data\n");
    Files.writeString(root.resolve("six.py"), "Y = 2\n");
    Files.createSymbolicLink(root.resolve("link.py"), root.resolve("six.py"));
    return root;
  }

  /** Writes as a careless process running as the file's owner would: it gives itself the write bit first. */
  private static void append(Path f, String text) throws Exception {
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    Files.writeString(f, text, java.nio.file.StandardOpenOption.APPEND);
  }

  @Test
  void changes_nameEveryWrittenAddedRemovedOrReplacedEntry_andNothingElse() throws Exception {
    Path root = tree();
    try (TreeGuard g = TreeGuard.lock(root)) {
      assertEquals(List.of(), g.changes(), "reading changes nothing");
      Files.setPosixFilePermissions(root.resolve("pkg"), PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
      append(root.resolve("six.py"), "raise ImportError\n");
      Files.delete(root.resolve("pkg/data.txt"));
      Files.createDirectories(root.resolve("pkg/cache"));
      Files.writeString(root.resolve("pkg/cache/x.bin"), "x");
      Files.writeString(root.resolve("pkg/tmp.txt"), "gone again");
      Files.delete(root.resolve("pkg/tmp.txt"));
      // same size, new inode: an atomic replace
      Path next = Files.writeString(root.resolve("pkg/next"), "X = 9\n");
      Files.move(next, root.resolve("pkg/__init__.py"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

      assertEquals(List.of("pkg/__init__.py: replaced", "pkg/cache/: added", "pkg/cache/x.bin: added",
          "pkg/data.txt: removed", "six.py: written (6 → 24 bytes)"), g.changes());
      LayerslimException e = assertThrows(LayerslimException.class, () -> g.check("import app"));
      assertEquals(3, e.exitCode());
      assertTrue(e.getMessage().contains("six.py: written") && e.getMessage().contains("read-only at /opt"),
          e.getMessage());
    }
  }

  @Test
  void aSameSizeRewriteWithTheOldMtimePutBack_isStillSeen() throws Exception {
    Path root = tree();
    Path six = root.resolve("six.py");
    java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(six);
    try (TreeGuard g = TreeGuard.lock(root)) {
      Thread.sleep(20); // the change time has a clock's granularity
      Files.setPosixFilePermissions(six, PosixFilePermissions.fromString("rw-r--r--"));
      Files.writeString(six, "Z = 3\n");
      Files.setLastModifiedTime(six, mtime);
      assertEquals(List.of("six.py: written"), g.changes());
    }
  }

  @Test
  void theGuardLeavesPermissionsAsTheyWere_theTreeMayBeTheUsersInput() throws Exception {
    Path root = tree();
    Files.setPosixFilePermissions(root.resolve("pkg/data.txt"), PosixFilePermissions.fromString("rw-rw-r--"));
    try (TreeGuard g = TreeGuard.lock(root)) {
      assertEquals("rw-r--r--", perms(root.resolve("six.py")));
      assertEquals("rwxr-xr-x", perms(root.resolve("pkg")));
      assertEquals("rw-rw-r--", perms(root.resolve("pkg/data.txt")));
      assertEquals(List.of(), g.changes());
    }
  }

  private static String perms(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }

  /** The real runner, with the read-only mount refused: what a container without CAP_SYS_ADMIN sees. */
  private static final class NoMountRunner implements ProcessRunner {
    private final SystemProcessRunner real = new SystemProcessRunner();

    @Override
    public ProcessResult run(ProcessRequest request) throws java.io.IOException {
      if (request.command().get(0).equals("unshare")) {
        return new ProcessResult(1, "unshare: unshare failed: Operation not permitted\n", false, 1);
      }
      return real.run(request);
    }
  }

  private ImportProbe.Spec spec(Path root, Path handlerDir, List<String> imports) {
    return new ImportProbe.Spec(dev.layerslim.testing.Wheels.python3(), root, "lib/python3.11/site-packages", List.of(handlerDir), imports, null,
        null, List.of(), Duration.ofSeconds(60), tmp.resolve("work"));
  }

  @Test
  void aProbeRunThatWritesIntoTheTree_failsNamingTheFile_withoutAReadOnlyMount() throws Exception {
    Path root = tree();
    Path handlers = Files.createDirectories(tmp.resolve("task"));
    // as root (a container action) the write bits do not stop it: only the comparison does
    Files.writeString(handlers.resolve("app.py"), "import os, six\nos.chmod(six.__file__, 0o644)\n"
        + "open(six.__file__, 'a').write('# changed\\n')\n");

    LayerslimException e = assertThrows(LayerslimException.class,
        () -> ImportProbe.run(new NoMountRunner(), spec(root, handlers, List.of("app"))));

    assertEquals(3, e.exitCode());
    assertTrue(e.getMessage().contains("six.py: written") && e.getMessage().contains("import app"), e.getMessage());
    assertEquals("rw-r--r--", perms(root.resolve("pkg/__init__.py")), "permissions untouched by the guard");
  }

  @Test
  void withAReadOnlyMount_theWriteFailsAsOnLambda_andTheTreeIsUnchanged() throws Exception {
    SystemProcessRunner runner = new SystemProcessRunner();
    org.junit.jupiter.api.Assumptions.assumeTrue(TreeGuard.readOnlyViewWorks(runner),
        "no read-only mount here (needs CAP_SYS_ADMIN)");
    Path root = tree();
    Path handlers = Files.createDirectories(tmp.resolve("task"));
    Files.writeString(handlers.resolve("app.py"), "import os, six\nos.chmod(six.__file__, 0o644)\n"
        + "open(six.__file__, 'a').write('# changed\\n')\n");

    ImportProbe.Result r = ImportProbe.run(runner, spec(root, handlers, List.of("app")));

    assertFalse(r.passed());
    assertTrue(r.failures().get(0).error().contains("Read-only file system")
        && r.failures().get(0).error().contains("write to /tmp"), r.failures().toString());
    assertEquals("Y = 2\n", Files.readString(root.resolve("six.py")));
  }
}
