package dev.layerslim.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.LayerTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipPrefetchTest {
  @TempDir Path tmp;

  private static byte[] bytes(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void write_usesPrefetchedResultsOnlyForFilesThatDidNotChange() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("layer"));
    Files.write(root.resolve("kept.so"), bytes(1, 300_000));
    Files.write(root.resolve("healed.so"), bytes(2, 300_000));
    LayerTree before = LayerTree.scan(root);
    // every read of a file's bytes, by file name
    List<String> reads = new CopyOnWriteArrayList<>();
    MemoryBudget budget = new MemoryBudget(64L << 20);
    ReproducibleZip zip = new ReproducibleZip(2, 6, budget, file -> {
      reads.add(file.getFileName().toString());
      return Files.newInputStream(file);
    });
    Path scratch = Files.createDirectories(tmp.resolve("scratch"));
    Map<String, ReproducibleZip.Prefetched> started = new HashMap<>();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    for (FileEntry f : before.files()) {
      started.put(f.path(), zip.prefetch(before, "python/", f, scratch, pool));
    }
    for (ReproducibleZip.Prefetched p : started.values()) {
      p.result().get();
    }
    pool.shutdown();
    assertEquals(List.of("healed.so", "kept.so"), reads.stream().sorted().toList(), "the prefetch read both files");
    reads.clear();

    // healing puts another file in place: same size, new content, new inode, new time
    byte[] healed = bytes(3, 300_000);
    Path replacement = Files.write(tmp.resolve("replacement"), healed);
    Files.move(replacement, root.resolve("healed.so"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(root.resolve("healed.so"), FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    LayerTree after = LayerTree.scan(root);

    Path withPrefetch = tmp.resolve("a.zip");
    zip.write(after, "python/", withPrefetch, scratch, null, started);
    assertEquals(List.of("healed.so"), reads,
        "the zip reused the prefetched kept.so and read again only the file that changed");
    assertEquals(0, budget.held(), "the used and the discarded result both gave their memory back");
    Path fresh = tmp.resolve("b.zip");
    new ReproducibleZip(1, 6).write(after, "python/", fresh, scratch, null);

    assertArrayEquals(Files.readAllBytes(fresh), Files.readAllBytes(withPrefetch),
        "prefetching never changes the zip");
    try (ZipFile z = ZipFile.builder().setFile(withPrefetch.toFile()).get()) {
      assertArrayEquals(healed, z.getInputStream(z.getEntry("python/healed.so")).readAllBytes());
      assertArrayEquals(bytes(1, 300_000), z.getInputStream(z.getEntry("python/kept.so")).readAllBytes());
    }
    try (var s = Files.list(scratch)) {
      assertArrayEquals(new Object[0], s.toArray(), "no spill file is left behind");
    }
  }
}
