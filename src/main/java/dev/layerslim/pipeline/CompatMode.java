package dev.layerslim.pipeline;

import java.util.Arrays;
import java.util.List;

/** What a binary that cannot load on the target does ({@code --compat}, action input {@code compat}). */
public enum CompatMode {
  /** it fails the check (exit 1). */
  FAIL("fail"),
  /** it is a warning only. */
  WARN("warn");

  private final String label;

  CompatMode(String label) {
    this.label = label;
  }

  /** The spelling users write: {@code fail}, {@code warn}. */
  public String label() {
    return label;
  }

  /** The mode spelled {@code label}, or null. */
  public static CompatMode parse(String label) {
    return Arrays.stream(values()).filter(m -> m.label.equals(label)).findFirst().orElse(null);
  }

  /** Every spelling, for help texts and error messages. */
  public static List<String> labels() {
    return Arrays.stream(values()).map(CompatMode::label).toList();
  }

  @Override
  public String toString() {
    return label;
  }
}
