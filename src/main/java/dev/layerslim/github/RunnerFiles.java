package dev.layerslim.github;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;

/**
 * The runner's file commands: step outputs appended to {@code $GITHUB_OUTPUT} and the job summary
 * appended to {@code $GITHUB_STEP_SUMMARY}. Either file may be unset (a local run); then nothing
 * is written.
 */
public final class RunnerFiles {
  private final Path outputFile;
  private final Path summaryFile;
  private final Redactor redactor;

  public RunnerFiles(Path outputFile, Path summaryFile, Redactor redactor) {
    this.outputFile = outputFile;
    this.summaryFile = summaryFile;
    this.redactor = redactor;
  }

  /** From {@code GITHUB_OUTPUT} and {@code GITHUB_STEP_SUMMARY} in {@code env}. */
  public static RunnerFiles fromEnv(Map<String, String> env, Redactor redactor) {
    return new RunnerFiles(pathOrNull(env.get("GITHUB_OUTPUT")), pathOrNull(env.get("GITHUB_STEP_SUMMARY")),
        redactor);
  }

  private static Path pathOrNull(String s) {
    return s == null || s.isBlank() ? null : Path.of(s);
  }

  public boolean hasOutputs() {
    return outputFile != null;
  }

  public boolean hasSummary() {
    return summaryFile != null;
  }

  /**
   * Appends outputs: {@code name=value}, or for a value with line breaks the heredoc form
   * {@code name<<DELIM ... DELIM} with a random delimiter that the value does not contain.
   */
  public void writeOutputs(Map<String, String> outputs) throws IOException {
    if (outputFile == null) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : outputs.entrySet()) {
      sb.append(formatOutput(e.getKey(), redactor.redact(e.getValue())));
    }
    append(outputFile, sb.toString());
  }

  /** One output in the file-command format. */
  static String formatOutput(String name, String value) {
    if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      return name + "=" + value + "\n";
    }
    String delimiter;
    do {
      delimiter = "ghadelimiter_" + UUID.randomUUID();
    } while (value.contains(delimiter));
    return name + "<<" + delimiter + "\n" + value + (value.endsWith("\n") ? "" : "\n") + delimiter + "\n";
  }

  /** Appends Markdown to the job summary. */
  public void appendSummary(String markdown) throws IOException {
    if (summaryFile == null) {
      return;
    }
    String text = redactor.redact(markdown);
    append(summaryFile, text.endsWith("\n") ? text : text + "\n");
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
