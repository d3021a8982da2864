package dev.layerslim.pipeline;

import java.util.List;

/**
 * The runtime compatibility check's settings.
 *
 * @param mode What an incompatible binary does to the exit code.
 * @param systemLibs Extra system libraries the runtime provides.
 */
public record CompatOptions(CompatMode mode, List<String> systemLibs) {
  public CompatOptions {
    systemLibs = List.copyOf(systemLibs);
  }
}
