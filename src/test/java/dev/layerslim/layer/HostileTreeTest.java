package dev.layerslim.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.error.LayerslimException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trees a careless or hostile user may hand over. */
class HostileTreeTest {
  @TempDir Path tmp;

  /** 1,900 nested folders, a 3.8k-character path, with one file at the bottom. */
  static String deepFolders(Path root) throws Exception {
    Path d = root;
    StringBuilder rel = new StringBuilder();
    for (int i = 0; i < 1900; i++) {
      rel.append("d/");
      d = d.resolve("d");
    }
    Files.createDirectories(d);
    Files.writeString(d.resolve("deep.py"), "X = 1\n");
    return rel + "deep.py";
  }

  @Test
  void deepTree_isWalkedWithoutOverflowingTheStack() throws Exception {
    Path root = tmp.resolve("site");
    String deep = deepFolders(root);
    assertTrue(deep.length() > 3800, "a path of " + deep.length() + " characters");
    try {
      // on a thread with a small stack: the walk's depth must not depend on the stack's size
      LayerTree[] result = new LayerTree[1];
      Throwable[] error = new Throwable[1];
      Thread t = new Thread(null, () -> {
        try {
          result[0] = LayerTree.scan(root);
        } catch (Throwable e) {
          error[0] = e;
        }
      }, "scan", 256 * 1024);
      t.start();
      t.join();
      if (error[0] != null) {
        throw new AssertionError("scan failed: " + error[0].getClass().getName(), error[0]);
      }
      LayerTree tree = result[0];
      assertNotNull(tree.get(deep), "the file at the bottom is found");
      assertEquals(1, tree.files().size());
    } finally {
      removeDeep(root);
    }
  }

  /** JUnit's own clean-up resolves every folder's real path: quadratic on this tree, so it goes first. */
  static void removeDeep(Path root) throws Exception {
    new ProcessBuilder("rm", "-rf", root.toString()).inheritIO().start().waitFor();
  }

  @Test
  void deepTree_isDeletedWithoutOverflowingTheStack() throws Exception {
    Path root = tmp.resolve("site");
    deepFolders(root);
    try {
      Trees.deleteRecursively(root);
      assertTrue(!Files.exists(root));
    } finally {
      removeDeep(root);
    }
  }

  @Test
  void symlinkCycles_areSkippedWithAReason() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("site"));
    Files.writeString(root.resolve("ok.py"), "X = 1\n");
    Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
    Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
    Files.createSymbolicLink(root.resolve("self"), Path.of("self"));
    LayerTree tree = LayerTree.scan(root);
    assertEquals(1, tree.files().size(), tree.files().toString());
    assertTrue(tree.skipped().contains("a (symlink loop: a -> b -> a)"), tree.skipped().toString());
    assertTrue(tree.skipped().contains("b (symlink loop: b -> a -> b)"), tree.skipped().toString());
    assertTrue(tree.skipped().contains("self (symlink loop: self -> self)"), tree.skipped().toString());
  }

  @Test
  void nameThatIsNotUtf8_isAUsageErrorNamingItsBytes() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("site"));
    Files.writeString(root.resolve("ok.py"), "X = 1\n");
    // the name is made by python3 from raw bytes: Java cannot even spell it
    Process p = new ProcessBuilder(dev.layerslim.testing.Wheels.python3(), "-c",
        "import os, sys; open(os.path.join(os.fsencode(sys.argv[1]), b'bad\\xff.txt'), 'w').write('y')",
        root.toString()).inheritIO().start();
    assertEquals(0, p.waitFor());
    LayerslimException e = assertThrows(LayerslimException.class, () -> LayerTree.scan(root));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().contains(root + "/bad\\xff.txt") && e.getMessage().contains("not valid UTF-8"),
        e.getMessage());
  }

  @Test
  void validUtf8Name_isKept() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("site"));
    Files.writeString(root.resolve("café.txt"), "x");
    assertNotNull(LayerTree.scan(root).get("café.txt"));
  }
}
