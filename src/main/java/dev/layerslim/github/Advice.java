package dev.layerslim.github;

import java.util.Set;

/**
 * How advice names a setting: as an action input ({@code max-growth: 46MiB}) in the action, as a
 * flag ({@code --max-growth 46MiB}) on the command line. Advice only names settings that exist
 * where it is read: an action input must be one action.yml declares ({@link ActionInputs#NAMES}).
 */
public enum Advice {
  ACTION, CLI;

  /** The flags of {@code layerslim build} that advice may name (they share the action inputs' names). */
  static final Set<String> CLI_FLAGS = Set.of("prune-unused", "keep", "exclude", "include", "drop-runtime-provided",
      "max-unzipped", "max-zipped", "max-growth", "extra-bytes", "compat", "glibc", "baseline", "python", "cold-storage",
      "bytecode");

  /** Whether {@code setting} can be set where this advice is read. */
  public boolean has(String setting) {
    return this == ACTION ? ActionInputs.NAMES.contains(setting) : CLI_FLAGS.contains(setting);
  }

  /** {@code setting} set to {@code value}, in code: {@code `max-growth: 46MiB`} or {@code `--max-growth 46MiB`}. */
  public String set(String setting, String value) {
    return "`" + (this == ACTION ? setting + ": " + value : "--" + setting + " " + value) + "`";
  }

  /** A boolean setting turned on: {@code `prune-unused: true`} or {@code `--prune-unused`}. */
  public String on(String setting) {
    return "`" + (this == ACTION ? setting + ": true" : "--" + setting) + "`";
  }

  /** The setting's bare name, as the reader would look it up: {@code `exclude`} or {@code `--exclude`}. */
  public String name(String setting) {
    return "`" + (this == ACTION ? setting : "--" + setting) + "`";
  }

  /** Where the whole report is, for the comment's footer. */
  String fullReport() {
    return this == ACTION ? "the job summary and report.json" : "report.md and report.json";
  }
}
