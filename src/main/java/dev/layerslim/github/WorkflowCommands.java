package dev.layerslim.github;

import java.util.Map;

/**
 * GitHub Actions workflow commands ({@code ::error file=app.py::message}), escaped the way the
 * runner parses them: in data {@code %}, CR and LF are percent-encoded; in property values also
 * {@code :} and {@code ,}.
 */
public final class WorkflowCommands {
  private WorkflowCommands() {}

  /** Escapes a command's message. */
  public static String escapeData(String s) {
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /**
   * A plain log line the runner will not take for a command: text that could start one
   * ({@code ::error::} after leading blanks, or the legacy {@code ##[error]} anywhere) has its
   * first {@code :} or {@code #} percent-encoded, so an input value or a file name cannot raise an
   * annotation, open a group or set a secret. Every line of a multi-line text is treated so.
   */
  public static String plain(String text) {
    String[] lines = text.split("\r\n|\r|\n", -1);
    StringBuilder sb = new StringBuilder(text.length() + 8);
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        sb.append('\n');
      }
      String line = lines[i];
      String trimmed = line.stripLeading();
      if (trimmed.startsWith("::")) {
        int at = line.length() - trimmed.length();
        line = line.substring(0, at) + "%3A" + line.substring(at + 1);
      }
      sb.append(line.replace("##[", "#%23["));
    }
    return sb.toString();
  }

  /** Escapes a property value ({@code file=…}). */
  public static String escapeProperty(String s) {
    return escapeData(s).replace(":", "%3A").replace(",", "%2C");
  }

  /** {@code ::name k=v,k=v::message}; properties with null values are left out. */
  public static String command(String name, Map<String, String> properties, String message) {
    StringBuilder sb = new StringBuilder("::").append(name);
    boolean first = true;
    for (Map.Entry<String, String> e : properties.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      sb.append(first ? " " : ",").append(e.getKey()).append('=').append(escapeProperty(e.getValue()));
      first = false;
    }
    return sb.append("::").append(escapeData(message)).toString();
  }

  /** An error annotation, about {@code file} when it is not null. */
  public static String error(String message, String file) {
    return command("error", file == null ? Map.of() : Map.of("file", file), message);
  }

  /** A warning annotation, about {@code file} when it is not null. */
  public static String warning(String message, String file) {
    return command("warning", file == null ? Map.of() : Map.of("file", file), message);
  }

  /** Opens a collapsible group in the log; the title is data. */
  public static String group(String title) {
    return "::group::" + escapeData(title);
  }

  public static String endGroup() {
    return "::endgroup::";
  }

  /** Tells the runner to hide {@code secret} in every later log line. */
  public static String addMask(String secret) {
    return "::add-mask::" + escapeData(secret);
  }
}
