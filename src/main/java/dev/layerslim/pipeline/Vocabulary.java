package dev.layerslim.pipeline;

import dev.layerslim.layer.Sizes;
import java.util.Map;

/**
 * How a line people read names a setting: as a flag on the command line ({@code --max-growth 20MiB}),
 * as an input in the GitHub Action ({@code max-growth: 20MiB}). Steps name settings only through
 * this, so an annotation in a workflow never tells the user about a flag they cannot pass.
 *
 * <p>Settings are named by their {@code layerslim build} flag without the dashes; the few inputs
 * spelt differently are mapped here, and a flag the action has no input for reads as the flag in
 * both places.
 */
public enum Vocabulary {
  /** The command line: flags. */
  CLI,
  /** The GitHub Action: action.yml's inputs. */
  ACTION;

  /** Flags whose action input has another name. */
  private static final Map<String, String> INPUTS = Map.of(
      "python", "python-version",
      "arch", "architecture",
      "output", "output-dir",
      "no-strip", "strip",
      "no-smoke", "smoke-test");

  /** Flags with no action input (the action sets them itself or has no such setting). */
  private static final java.util.Set<String> CLI_ONLY = java.util.Set.of("python-exe",
      "dry-run", "stacktrace");

  /** pip flags the action takes through its input {@code pip-args}. */
  private static final java.util.Set<String> PIP_ARGS = java.util.Set.of("find-links", "no-index", "require-hashes");

  /** Whether the reader can set {@code flag} where they read this (every flag on the command line). */
  public boolean has(String flag) {
    return this == CLI || !CLI_ONLY.contains(flag);
  }

  /** The setting's name: {@code --max-growth} or {@code max-growth}. */
  public String option(String flag) {
    if (this == ACTION && PIP_ARGS.contains(flag)) {
      return "pip-args: --" + flag;
    }
    return this == ACTION && has(flag) ? INPUTS.getOrDefault(flag, flag) : "--" + flag;
  }

  /** The setting with a value: {@code --python 3.12} or {@code python-version: 3.12}. */
  public String set(String flag, String value) {
    if (this == ACTION && PIP_ARGS.contains(flag)) {
      return "pip-args: --" + flag + " " + value;
    }
    return this == ACTION && has(flag) ? option(flag) + ": " + value : "--" + flag + " " + value;
  }

  /** A switch turned on: {@code --prune-unused} or {@code prune-unused: true}. */
  public String on(String flag) {
    return this == ACTION && has(flag) ? option(flag) + ": true" : "--" + flag;
  }

  /**
   * A {@code --no-…} switch: {@code --no-strip} or {@code strip: false} (the action's input is the
   * positive one).
   */
  public String off(String noFlag) {
    return this == ACTION && has(noFlag) ? option(noFlag) + ": false" : "--" + noFlag;
  }

  /**
   * A size limit as the user would write it: {@code 20MiB} for 20,971,520 bytes, else the size
   * rounded as people read it ({@code 190.7MiB}).
   */
  public static String sizeSetting(long bytes) {
    String[] units = {"GiB", "MiB", "KiB"};
    long[] scale = {1L << 30, 1L << 20, 1L << 10};
    for (int i = 0; i < units.length; i++) {
      if (bytes != 0 && bytes % scale[i] == 0) {
        return bytes / scale[i] + units[i];
      }
    }
    return Sizes.human(bytes).replace(" ", "");
  }
}
