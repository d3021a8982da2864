package dev.layerslim.github;

import java.util.List;

/**
 * Replaces secrets with {@code ***} in text layerslim writes (log lines, output files, the
 * comment). The runner masks registered secrets too; this is the second line of defence for
 * text that never reaches the log, such as GITHUB_OUTPUT or the comment body.
 */
public final class Redactor {
  private final List<String> secrets;

  public Redactor(List<String> secrets) {
    // Very short values would redact ordinary words; a token is never that short.
    this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
  }

  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String r = text;
    for (String s : secrets) {
      r = r.replace(s, "***");
    }
    return r;
  }
}
