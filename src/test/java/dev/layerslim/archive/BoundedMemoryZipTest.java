package dev.layerslim.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.LayerTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prefetched deflates wait within a memory budget (the zip's own) and spill past it. */
class BoundedMemoryZipTest {
  @TempDir Path tmp;

  @Test
  void prefetchBeyondTheBudget_spillsAndTheZipStaysByteIdentical() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("tree/pkg"));
    Random random = new Random(13);
    long total = 0;
    // random data does not deflate: the results are as large as the files, well past the budget
    MemoryBudget budget = new MemoryBudget(8L << 20);
    for (int i = 0; total <= budget.limit() + (8 << 20); i++) {
      byte[] b = new byte[1 << 20];
      random.nextBytes(b);
      Files.write(root.resolve("blob" + i + ".bin"), b);
      total += b.length;
    }
    LayerTree tree = LayerTree.scan(tmp.resolve("tree"));
    ReproducibleZip zip = new ReproducibleZip(2, 6, budget);
    Path scratch = Files.createDirectories(tmp.resolve("scratch"));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Map<String, ReproducibleZip.Prefetched> started = new HashMap<>();
    try {
      for (FileEntry f : tree.files()) {
        started.put(f.path(), zip.prefetch(tree, "python/", f, scratch, pool));
      }
      long inMemory = 0;
      for (ReproducibleZip.Prefetched p : started.values()) {
        ReproducibleZip.Deflated d = p.result().get();
        inMemory += d.data() == null ? 0 : d.data().length;
      }
      assertTrue(inMemory <= budget.limit(),
          inMemory + " deflated bytes held in memory, over the budget of " + budget.limit());
      assertTrue(inMemory > 0, "memory is still used within the budget");
      Path withPrefetch = tmp.resolve("a.zip");
      zip.write(tree, "python/", withPrefetch, scratch, null, started);
      Path plain = tmp.resolve("b.zip");
      new ReproducibleZip(1, 6).write(tree, "python/", plain, tmp.resolve("scratch2"), null);
      assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(withPrefetch));
      assertEquals(0, budget.held(), "every reservation is given back");
      try (var s = Files.list(scratch)) {
        assertEquals(0, s.count(), "no spill is left behind");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void eachZipHasItsOwnBudget_aFullOneSpillsEverythingAndTheBytesStayTheSame() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("tree/pkg"));
    Random random = new Random(7);
    for (int i = 0; i < 6; i++) {
      byte[] b = new byte[200_000];
      random.nextBytes(b);
      Files.write(root.resolve("m" + i + ".bin"), b);
      Files.writeString(root.resolve("m" + i + ".py"), "x = " + i + "\n".repeat(i + 1));
    }
    LayerTree tree = LayerTree.scan(tmp.resolve("tree"));
    // another zip's budget, held to its limit: it is not this zip's
    MemoryBudget other = new MemoryBudget(1L << 20);
    MemoryBudget.Reservation taken = other.reserve(other.limit());
    MemoryBudget roomy = new MemoryBudget(64L << 20);
    Path inMemory = tmp.resolve("a.zip");
    new ReproducibleZip(2, 6, roomy).write(tree, "python/", inMemory, tmp.resolve("s1"), null);
    MemoryBudget none = new MemoryBudget(0);
    Path spilled = tmp.resolve("b.zip");
    new ReproducibleZip(2, 6, none).write(tree, "python/", spilled, tmp.resolve("s2"), null);

    assertArrayEquals(Files.readAllBytes(inMemory), Files.readAllBytes(spilled),
        "a budget decides where a deflated file waits, never the zip's bytes");
    assertEquals(0, roomy.held());
    assertEquals(0, none.held());
    assertEquals(other.limit(), other.held(), "neither zip touched another budget");
    taken.release();
    taken.release();
    assertEquals(0, other.held(), "a reservation is given back once");
  }
}
