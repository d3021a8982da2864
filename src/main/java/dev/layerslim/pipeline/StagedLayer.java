package dev.layerslim.pipeline;

import dev.layerslim.layer.LayerTree;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The layer as it stands on disk between steps: {@code <output>/layer/python} and its files, as
 * scanned after the last step that changed them.
 */
public record StagedLayer(Path root, LayerTree tree) {

  /** The same folder scanned again, after a step changed files in it. */
  public StagedLayer rescan() throws IOException {
    return new StagedLayer(root, LayerTree.scan(root));
  }
}
