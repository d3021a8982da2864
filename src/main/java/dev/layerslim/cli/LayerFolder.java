package dev.layerslim.cli;

import dev.layerslim.error.LayerslimException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --layer DIR} of the step commands: a layer's {@code python/} folder, or the folder holding it. */
final class LayerFolder {
  private LayerFolder() {}

  /**
   * The folder that stands for {@code /opt/python}: {@code given/python} when it exists (a build's
   * {@code OUT/layer}), {@code given/layer/python} when {@code given} is an output folder of build or
   * strip (which print {@code OUT/layer/python}: passing {@code OUT} itself would otherwise make a
   * layer of {@code python/layer/python/…} with layerslim's own marker files in it), else
   * {@code given} itself.
   */
  static Path resolve(Path given) {
    Path dir = given.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw LayerslimException.usage("--layer " + given + ": no such folder (give a layer's python/ folder or its parent)");
    }
    Path python = dir.resolve("python");
    if (Files.isDirectory(python)) {
      return python;
    }
    Path output = dir.resolve("layer").resolve("python");
    if (Files.isDirectory(output) && Files.exists(dir.resolve(OutputDir.OWNER_MARK))) {
      return output;
    }
    if (Files.exists(dir.resolve(OutputDir.OWNER_MARK))) {
      throw LayerslimException.usage("--layer " + given + " is a layerslim output folder without a layer in it (no "
          + "layer/python/): give the layer's python/ folder or its parent");
    }
    return dir;
  }
}
