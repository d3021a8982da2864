package dev.layerslim.pipeline;

import dev.layerslim.error.LayerslimException;
import dev.layerslim.layer.Glob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code layerslim.toml}: the small subset of TOML layerslim reads. A {@code [prune]} table with
 * {@code exclude}, {@code include}, {@code keep} (arrays of strings) and {@code prune-unused}
 * (a boolean); strings in double or single quotes, arrays over several lines, {@code #} comments.
 * Any other key or table is an error naming it and the file, so a typo never passes silently.
 */
public final class ConfigFile {
  public static final String DEFAULT_NAME = "layerslim.toml";
  private static final Set<String> PRUNE_KEYS = Set.of("exclude", "include", "keep", "prune-unused", "modules",
      "cold-storage");

  /** The {@code [prune]} table; absent keys are empty lists and null. */
  public record Prune(List<String> exclude, List<String> include, List<String> keep, Boolean pruneUnused,
      Boolean modules, Boolean coldStorage) {}

  private ConfigFile() {}

  /** Reads {@code file}; a malformed line or unknown key is a usage error (exit 2). */
  /**
   * Fills {@code b}'s prune options the way every entry point reads them: the {@code [prune]} table of
   * {@code file} first (none when null), then the command line's or the action's values on top. Globs
   * are checked now, not after a long install; a bad one is a usage error starting with
   * {@code excludeLabel} or {@code includeLabel}.
   */
  public static void applyPrune(BuildOptions.Builder b, Path file, List<String> keep, List<String> exclude,
      List<String> include, boolean pruneUnused, boolean pruneModules, String excludeLabel, String includeLabel) {
    applyPrune(b, file, keep, exclude, include, pruneUnused, pruneModules, false, excludeLabel, includeLabel);
  }

  /** As above, with {@code coldStorage} ({@code --cold-storage}) on top of the file's {@code cold-storage}. */
  public static void applyPrune(BuildOptions.Builder b, Path file, List<String> keep, List<String> exclude,
      List<String> include, boolean pruneUnused, boolean pruneModules, boolean coldStorage, String excludeLabel,
      String includeLabel) {
    List<String> keeps = new ArrayList<>();
    List<String> excludes = new ArrayList<>();
    List<String> includes = new ArrayList<>();
    boolean unused = false;
    boolean modules = false;
    boolean cold = false;
    if (file != null) {
      Prune c = read(file);
      excludes.addAll(c.exclude());
      includes.addAll(c.include());
      keeps.addAll(c.keep());
      unused = Boolean.TRUE.equals(c.pruneUnused());
      modules = Boolean.TRUE.equals(c.modules());
      cold = Boolean.TRUE.equals(c.coldStorage());
      b.configFile(file);
    }
    keeps.addAll(keep);
    excludes.addAll(exclude);
    includes.addAll(include);
    excludes.forEach(g -> Glob.compile(g, excludeLabel));
    includes.forEach(g -> Glob.compile(g, includeLabel));
    b.pruneUnused(unused || pruneUnused).pruneModules(modules || pruneModules).coldStorage(cold || coldStorage).keep(keeps).exclude(excludes)
        .include(includes);
  }

  public static Prune read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw LayerslimException.usage("cannot read the config file " + file + ": " + e.getMessage());
    }
    List<String> exclude = new ArrayList<>();
    List<String> include = new ArrayList<>();
    List<String> keep = new ArrayList<>();
    Boolean pruneUnused = null;
    Boolean modules = null;
    Boolean coldStorage = null;
    String table = null;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String line = stripComment(lines[i]).strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("[")) {
        if (!line.endsWith("]") || line.startsWith("[[")) {
          throw error(file, lineNo, "expected a table header like [prune]");
        }
        table = line.substring(1, line.length() - 1).strip();
        if (!table.equals("prune")) {
          throw error(file, lineNo, "unknown table [" + table + "] (layerslim reads [prune])");
        }
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw error(file, lineNo, "expected key = value");
      }
      String key = unquoteKey(line.substring(0, eq).strip());
      if (table == null || !PRUNE_KEYS.contains(key)) {
        throw error(file, lineNo, "unknown key '" + key + "'" + (table == null ? " outside [prune]" : " in [" + table
            + "]") + " (known in [prune]: exclude, include, keep, prune-unused, modules, cold-storage)");
      }
      StringBuilder value = new StringBuilder(line.substring(eq + 1).strip());
      // an array may go on over several lines until its brackets close
      while (value.length() > 0 && value.charAt(0) == '[' && !closed(value) && i + 1 < lines.length) {
        i++;
        value.append(' ').append(stripComment(lines[i]).strip());
      }
      String v = value.toString().strip();
      switch (key) {
        case "prune-unused" -> {
          if (!v.equals("true") && !v.equals("false")) {
            throw error(file, lineNo, "prune-unused must be true or false, not " + v);
          }
          pruneUnused = v.equals("true");
        }
        case "modules" -> {
          if (!v.equals("true") && !v.equals("false")) {
            throw error(file, lineNo, "modules must be true or false, not " + v);
          }
          modules = v.equals("true");
        }
        case "cold-storage" -> {
          if (!v.equals("true") && !v.equals("false")) {
            throw error(file, lineNo, "cold-storage must be true or false, not " + v);
          }
          coldStorage = v.equals("true");
        }
        case "exclude" -> exclude.addAll(stringArray(file, lineNo, key, v));
        case "include" -> include.addAll(stringArray(file, lineNo, key, v));
        default -> keep.addAll(stringArray(file, lineNo, key, v));
      }
    }
    return new Prune(exclude, include, keep, pruneUnused, modules, coldStorage);
  }

  private static LayerslimException error(Path file, int line, String message) {
    return LayerslimException.usage(file + ":" + line + ": " + message);
  }

  private static String unquoteKey(String key) {
    if (key.length() >= 2 && (key.startsWith("\"") && key.endsWith("\"") || key.startsWith("'") && key.endsWith("'"))) {
      return key.substring(1, key.length() - 1);
    }
    return key;
  }

  /** Drops a {@code #} comment that is not inside a string. */
  private static String stripComment(String line) {
    return line.substring(0, scan(line).commentAt());
  }

  /** True when the brackets outside strings balance. */
  private static boolean closed(CharSequence v) {
    return scan(v).depth() == 0;
  }

  /** Where a {@code #} comment starts outside strings (else the length), and the bracket depth before it. */
  private record Scan(int commentAt, int depth) {}

  /** One pass that skips quoted strings (with {@code \\} escapes in double quotes), as TOML reads them. */
  private static Scan scan(CharSequence v) {
    int depth = 0;
    char quote = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote == '"') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#') {
        return new Scan(i, depth);
      } else if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
      }
    }
    return new Scan(v.length(), depth);
  }

  /** {@code ["a", 'b',]}: an array of strings, a trailing comma allowed. */
  private static List<String> stringArray(Path file, int lineNo, String key, String v) {
    if (!v.startsWith("[") || !v.endsWith("]")) {
      throw error(file, lineNo, key + " must be an array of strings, like [\"pkg/data/**\"]");
    }
    List<String> out = new ArrayList<>();
    String body = v.substring(1, v.length() - 1);
    int i = 0;
    while (true) {
      while (i < body.length() && (Character.isWhitespace(body.charAt(i)))) {
        i++;
      }
      if (i >= body.length()) {
        return out;
      }
      char q = body.charAt(i);
      if (q != '"' && q != '\'') {
        throw error(file, lineNo, key + " must be an array of strings, like [\"pkg/data/**\"]");
      }
      StringBuilder s = new StringBuilder();
      int j = i + 1;
      for (; j < body.length() && body.charAt(j) != q; j++) {
        char c = body.charAt(j);
        if (c == '\\' && q == '"' && j + 1 < body.length()) {
          char n = body.charAt(++j);
          s.append(switch (n) {
            case 'n' -> '\n';
            case 't' -> '\t';
            default -> n;
          });
        } else {
          s.append(c);
        }
      }
      if (j >= body.length()) {
        throw error(file, lineNo, "unterminated string in " + key);
      }
      out.add(s.toString());
      i = j + 1;
      while (i < body.length() && Character.isWhitespace(body.charAt(i))) {
        i++;
      }
      if (i < body.length()) {
        if (body.charAt(i) != ',') {
          throw error(file, lineNo, "expected ',' between the strings of " + key);
        }
        i++;
      }
    }
  }
}
