package dev.layerslim.redact;

import java.util.Comparator;
import java.util.List;

/**
 * Replaces secrets with {@code ***} in text layerslim writes (log lines, output files, the
 * comment, pip.log). The runner masks registered secrets too; this is the second line of defence for
 * text that never reaches the log, such as GITHUB_OUTPUT or the comment body. Besides the secrets
 * it was given, it blanks the credentials of every URL in the text ({@link UrlCredentials#scrub}):
 * an index URL from pip.conf or a requirements file names no input, and pip prints it anyway.
 */
public final class Redactor {
  private final List<String> secrets;

  public Redactor(List<String> secrets) {
    // Very short values would redact ordinary words; a token is never that short. Longest first, so
    // a secret that holds another is replaced whole.
    this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).distinct()
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String r = text;
    for (String s : secrets) {
      r = r.replace(s, "***");
    }
    return UrlCredentials.scrub(r);
  }
}
