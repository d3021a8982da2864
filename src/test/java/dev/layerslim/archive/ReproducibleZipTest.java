package dev.layerslim.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.layerslim.layer.LayerTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zip writer on a tree that changes under it. */
class ReproducibleZipTest {
  @TempDir Path tmp;

  @Test
  void write_fileVanishedAfterScan_failsAndLeavesNoZipNoTempNoSpill() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("layer/python/pkg"));
    byte[] big = new byte[6 * 1024 * 1024];
    new Random(1).nextBytes(big);
    // several large files: each is deflated to a spill file in scratch by a worker
    for (int i = 0; i < 4; i++) {
      Files.write(root.resolve("big" + i + ".bin"), big);
    }
    for (int i = 0; i < 50; i++) {
      Files.writeString(root.resolve("m" + i + ".py"), "x = " + i + "\n");
    }
    LayerTree tree = LayerTree.scan(tmp.resolve("layer/python"));
    Files.delete(root.resolve("m0.py"));
    Path zip = tmp.resolve("layer.zip");
    Path scratch = tmp.resolve("scratch");

    assertThrows(IOException.class, () -> new ReproducibleZip(4, 6).write(tree, "python/", zip, scratch, null));

    assertFalse(Files.exists(zip));
    assertFalse(Files.exists(tmp.resolve("layer.zip.tmp")));
    try (Stream<Path> s = Files.list(scratch)) {
      assertEquals(List.of(), s.toList(), "no deflate spill is left behind");
    }
  }
}
