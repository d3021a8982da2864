package dev.layerslim.pipeline;

import java.util.Set;

/**
 * What the smoke run of the unpruned input loaded (with the handler called on {@code --smoke-event}):
 * evidence for {@code --prune-modules} that a sub-package is reached.
 *
 * @param files the {@code .py} files it loaded, relative to the tree's root; null when there is no
 *     such evidence (no smoke run here, or it failed), and only the static analysis decides
 */
public record SmokeLoaded(Set<String> files) {

  public SmokeLoaded {
    files = files == null ? null : Set.copyOf(files);
  }

  public static SmokeLoaded none() {
    return new SmokeLoaded(null);
  }
}
