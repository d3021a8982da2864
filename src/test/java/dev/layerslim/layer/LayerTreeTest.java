package dev.layerslim.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.layerslim.error.LayerslimException;
import dev.layerslim.testing.Wheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerTreeTest {
  @TempDir Path tmp;

  @Test
  void scan_attributesPipInstalledFilesToTheirDistribution() throws Exception {
    Path wheels = tmp.resolve("wheels");
    Wheels.wheel("demo-pkg", "1.2").file("demo/__init__.py", "X = 1\n").file("demo/sub/m.py", "Y = 2\n")
        .requires("six-like").build(wheels);
    Wheels.wheel("six-like", "0.1").file("six_like.py", "Z = 3\n").build(wheels);
    Path site = tmp.resolve("site");
    Wheels.pipInstall(site, wheels, "demo-pkg");
    Files.writeString(site.resolve("stray.txt"), "who owns me");

    LayerTree tree = LayerTree.scan(site);
    List<Distribution> dists = DistInfoReader.readAll(site);
    Ownership own = new Ownership(dists);

    assertEquals(List.of("demo-pkg", "six-like"), dists.stream().map(Distribution::name).toList());
    assertEquals("1.2", dists.get(0).version());
    assertEquals(List.of("six-like"), dists.get(0).requiresDist());
    assertEquals("demo-pkg", own.ownerOf("demo/sub/m.py"));
    assertEquals("demo-pkg", own.ownerOf("demo_pkg-1.2.dist-info/METADATA"));
    assertEquals("six-like", own.ownerOf("six_like.py"));
    assertEquals(Ownership.UNATTRIBUTED, own.ownerOf("stray.txt"));
    long onDisk = 0;
    try (var s = Files.walk(site)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        onDisk += Files.size(p);
      }
    }
    assertEquals(onDisk, tree.totalBytes());
  }

  @Test
  void scan_refusesSymlinkPointingOutsideTheTree() throws Exception {
    Path site = Files.createDirectories(tmp.resolve("site/pkg"));
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "outside");
    Files.createSymbolicLink(site.resolve("leak.txt"), secret);
    LayerslimException e = assertThrows(LayerslimException.class, () -> LayerTree.scan(tmp.resolve("site")));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().contains("leak.txt"), e.getMessage());
  }

  @Test
  void scan_countsLinkInsideTheTreeAsTheFileItPointsTo() throws Exception {
    Path site = Files.createDirectories(tmp.resolve("site/pkg"));
    Files.writeString(site.resolve("real.txt"), "12345");
    Files.createSymbolicLink(site.resolve("alias.txt"), Path.of("real.txt"));
    LayerTree tree = LayerTree.scan(tmp.resolve("site"));
    assertEquals(5, tree.get("pkg/alias.txt").size());
    assertTrue(tree.get("pkg/alias.txt").link());
  }

  @Test
  void scan_listsAFolderUnderItsRealPathWhenALinkAlsoReachesIt() throws Exception {
    Path pkg = Files.createDirectories(tmp.resolve("site/pkg/data"));
    Files.writeString(pkg.resolve("a.txt"), "payload");
    // "a_link" sorts and may be listed before "data": the real path must still win
    Files.createSymbolicLink(tmp.resolve("site/pkg/a_link"), Path.of("data"));
    Files.createSymbolicLink(tmp.resolve("site/aaa"), Path.of("pkg/data"));
    LayerTree tree = LayerTree.scan(tmp.resolve("site"));
    assertEquals(List.of("pkg/data/a.txt"), tree.files().stream().map(FileEntry::path).toList());
    assertEquals(2, tree.skipped().size(), tree.skipped().toString());
  }
}
