package dev.layerslim.cli;

import dev.layerslim.error.LayerslimException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --layer DIR} of the step commands: a layer's {@code python/} folder, or the folder holding it. */
final class LayerFolder {
  private LayerFolder() {}

  /**
   * The folder that stands for {@code /opt/python}: {@code given/python} when it exists (a build's
   * {@code OUT/layer}), else {@code given} itself.
   */
  static Path resolve(Path given) {
    Path dir = given.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw LayerslimException.usage("--layer " + given + ": no such folder (give a layer's python/ folder or its parent)");
    }
    Path python = dir.resolve("python");
    return Files.isDirectory(python) ? python : dir;
  }
}
