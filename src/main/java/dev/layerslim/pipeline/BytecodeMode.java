package dev.layerslim.pipeline;

import java.util.Arrays;
import java.util.List;

/** Which pycs a layer ships ({@code --bytecode}, action input {@code bytecode}). */
public enum BytecodeMode {
  /** unchecked-hash pycs of the modules the smoke test loaded: a fast cold start at a fraction of the bytes. */
  COLD_PATH("cold-path"),
  /** a pyc for every module. */
  ALL("all"),
  /** no pyc: every cold start compiles what it imports. */
  NONE("none"),
  /**
   * the modules the smoke test loaded ship as pycs in their source's place ({@code mod.pyc} beside
   * where {@code mod.py} was) and without their source; every other module keeps its source.
   */
  SOURCELESS("sourceless");

  private final String label;

  BytecodeMode(String label) {
    this.label = label;
  }

  /** The spelling users write: {@code cold-path}, {@code all}, {@code none}. */
  public String label() {
    return label;
  }

  /** The mode spelled {@code label}, or null. */
  public static BytecodeMode parse(String label) {
    return Arrays.stream(values()).filter(m -> m.label.equals(label)).findFirst().orElse(null);
  }

  /** Every spelling, for help texts and error messages. */
  public static List<String> labels() {
    return Arrays.stream(values()).map(BytecodeMode::label).toList();
  }

  @Override
  public String toString() {
    return label;
  }
}
