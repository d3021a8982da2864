package dev.layerslim.smoke;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Puts removed files back into the layer, and takes them out again, while the healer tries sets.
 *
 * <p>Folders it had to create are removed again when they empty: an empty {@code pkg/docs/} left
 * behind would import as a namespace package and hide the very failure being searched for.
 */
final class LayerRestorer {
  private final Path sourceRoot;
  private final Path layerRoot;
  private final Set<String> restored = new HashSet<>();
  private final Set<Path> createdDirs = new HashSet<>();

  LayerRestorer(Path sourceRoot, Path layerRoot) {
    this.sourceRoot = sourceRoot;
    this.layerRoot = layerRoot;
  }

  /** Makes exactly {@code wanted} (relative paths) restored; the source tree is only read. */
  void restoreExactly(Set<String> wanted) throws IOException {
    for (String p : List.copyOf(restored)) {
      if (!wanted.contains(p)) {
        Files.deleteIfExists(layerRoot.resolve(p));
        restored.remove(p);
      }
    }
    for (String p : wanted) {
      if (restored.add(p)) {
        Path to = layerRoot.resolve(p);
        List<Path> missing = new ArrayList<>();
        for (Path d = to.getParent(); d != null && !Files.exists(d); d = d.getParent()) {
          missing.add(d);
        }
        Files.createDirectories(to.getParent());
        createdDirs.addAll(missing);
        Files.copy(sourceRoot.resolve(p), to, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    List<Path> dirs = new ArrayList<>(createdDirs);
    dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    for (Path d : dirs) {
      if (Files.isDirectory(d) && isEmpty(d)) {
        Files.delete(d);
        createdDirs.remove(d);
      } else if (!Files.exists(d)) {
        createdDirs.remove(d);
      }
    }
  }

  private static boolean isEmpty(Path d) throws IOException {
    try (var s = Files.list(d)) {
      return s.findAny().isEmpty();
    }
  }
}
