package dev.layerslim.pipeline;

import dev.layerslim.layer.Distribution;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Ownership;
import java.nio.file.Path;
import java.util.List;

/**
 * What the install step produced: the tree files are taken from, read once.
 *
 * @param sourceRoot pip's install folder, or the user's site-packages
 * @param owned true when layerslim created {@code sourceRoot} (pip's install): its files may be
 *     hard-linked into the layer; a user's tree is only ever read
 * @param mode how the install ran
 * @param tree every file of {@code sourceRoot}
 * @param distributions the dist-info folders found in it
 * @param ownership which distribution each file belongs to
 */
public record InstallResult(Path sourceRoot, boolean owned, Mode mode, LayerTree tree,
    List<Distribution> distributions, Ownership ownership) {

  public InstallResult {
    distributions = List.copyOf(distributions);
  }

  /** How the tree came to be. */
  public enum Mode {
    /** pip for the host's own Python: host and target match. */
    PLAIN("plain"),
    /** pip with --platform/--python-version/--only-binary for another target. */
    TARGETED("targeted"),
    /** the user's installed tree, taken as it is. */
    SITE_PACKAGES("site-packages");

    private final String label;

    Mode(String label) {
      this.label = label;
    }

    /** The word report.json and the log use. */
    public String label() {
      return label;
    }
  }
}
