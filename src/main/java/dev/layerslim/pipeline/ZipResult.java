package dev.layerslim.pipeline;

import dev.layerslim.layer.LayerTree;
import java.nio.file.Path;
import java.util.Map;

/**
 * The layer's zip.
 *
 * @param file {@code <output>/layer.zip}
 * @param zippedBytes its size
 * @param compressedBytes compressed bytes of each entry, by path relative to the layer root
 * @param tree the final tree, as zipped
 */
public record ZipResult(Path file, long zippedBytes, Map<String, Long> compressedBytes, LayerTree tree) {

  public ZipResult {
    compressedBytes = Map.copyOf(compressedBytes);
  }
}
