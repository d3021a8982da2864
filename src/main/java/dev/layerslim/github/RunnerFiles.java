package dev.layerslim.github;

import dev.layerslim.redact.Redactor;
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

  /**
   * GitHub refuses a step summary over 1 MiB (1,048,576 bytes) and shows an error instead of it;
   * layerslim stays below this, with room for the step's other lines.
   */
  public static final int MAX_SUMMARY_BYTES = 1_000_000;

  /**
   * Appends Markdown to the job summary, cut at a line boundary with a line that says so when the
   * step's summary would pass {@link #MAX_SUMMARY_BYTES}.
   */
  public void appendSummary(String markdown) throws IOException {
    if (summaryFile == null) {
      return;
    }
    String text = redactor.redact(markdown);
    text = text.endsWith("\n") ? text : text + "\n";
    long already = Files.isRegularFile(summaryFile) ? Files.size(summaryFile) : 0;
    append(summaryFile, capSummary(text, Math.max(0, MAX_SUMMARY_BYTES - already)));
  }

  /** {@code text}, or its first lines and a note when it has more than {@code maxBytes} UTF-8 bytes. */
  static String capSummary(String text, long maxBytes) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) {
      return text;
    }
    String note = "\n**The job summary is cut here**: it had " + bytes.length + " bytes and GitHub shows at most "
        + "1 MiB. The whole report is report.md (the output report-md) and report.json.\n";
    long room = maxBytes - note.getBytes(StandardCharsets.UTF_8).length;
    StringBuilder kept = new StringBuilder();
    long used = 0;
    for (String line : text.split("\n", -1)) {
      long n = line.getBytes(StandardCharsets.UTF_8).length + 1;
      if (used + n > room) {
        break;
      }
      kept.append(line).append('\n');
      used += n;
    }
    return kept + note;
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
