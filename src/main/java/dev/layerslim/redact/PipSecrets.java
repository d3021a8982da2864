package dev.layerslim.redact;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where pip finds the credentials it may print: the URLs of pip's own environment variables
 * ({@code PIP_INDEX_URL}, {@code PIP_EXTRA_INDEX_URL}, {@code PIP_FIND_LINKS}, {@code PIP_PROXY}, …)
 * and the index options inside a requirements file and the files its {@code -r}/{@code -c} lines
 * include. Each credential comes in every spelling {@link UrlCredentials#secrets} gives. Never
 * throws: an unreadable file is pip's to report.
 */
public final class PipSecrets {
  /** How many requirement files are read for index URLs. */
  private static final int MAX_REQUIREMENT_FILES = 32;
  private static final long MAX_REQUIREMENT_BYTES = 1 << 20;
  /** A requirements line that includes another file: {@code -r other.txt}, {@code --constraint=c.txt}. */
  private static final Pattern INCLUDE =
      Pattern.compile("(-r|-c|--requirement|--constraint)(?:\\s*=\\s*|\\s+|(?<=-[rc]))(\\S+).*");

  private PipSecrets() {}

  /** The credentials in the URLs of every {@code PIP_*} variable: pip reads them whatever the options say. */
  public static Set<String> inEnvironment(Map<String, String> env) {
    Set<String> out = new LinkedHashSet<>();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      if (e.getKey().startsWith("PIP_")) {
        out.addAll(UrlCredentials.secrets(e.getValue()));
      }
    }
    return out;
  }

  /** The credentials in URLs of {@code requirements} and the files its {@code -r}/{@code -c} lines include. */
  public static Set<String> inRequirements(Path requirements) {
    Set<String> out = new LinkedHashSet<>();
    if (requirements == null) {
      return out;
    }
    ArrayDeque<Path> todo = new ArrayDeque<>();
    todo.add(requirements.toAbsolutePath().normalize());
    Set<Path> seen = new HashSet<>();
    while (!todo.isEmpty() && seen.size() < MAX_REQUIREMENT_FILES) {
      Path f = todo.poll();
      if (!seen.add(f)) {
        continue;
      }
      String text;
      try {
        if (!Files.isRegularFile(f) || Files.size(f) > MAX_REQUIREMENT_BYTES) {
          continue;
        }
        text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
      } catch (IOException | SecurityException e) {
        continue;
      }
      out.addAll(UrlCredentials.secrets(text));
      for (String line : text.split("\\R")) {
        Matcher m = INCLUDE.matcher(line.strip());
        if (m.matches() && !m.group(2).contains("://") && f.getParent() != null) {
          todo.add(f.getParent().resolve(m.group(2)).normalize());
        }
      }
    }
    return out;
  }
}
