package dev.layerslim.layer;

import dev.layerslim.error.LayerslimException;
import java.util.regex.Pattern;

/**
 * A user's path glob, relative to site-packages: {@code **} spans any number of folders, {@code *}
 * and {@code ?} stay within one segment. A glob that matches a folder matches everything under it,
 * so {@code botocore/data} and {@code botocore/data/**} mean the same.
 *
 * @param text the glob as the user wrote it, for reasons in the report
 * @param normalized the glob as matched: no leading {@code ./} or {@code /}, no trailing {@code /}
 */
public record Glob(String text, Pattern pattern, String normalized) {

  /**
   * Compiles {@code glob}; {@code source} names where it came from ({@code --exclude},
   * {@code layerslim.toml}) for the error a bad glob gets.
   */
  public static Glob compile(String glob, String source) {
    String g = glob.trim();
    while (g.startsWith("./")) {
      g = g.substring(2);
    }
    while (g.startsWith("/")) {
      g = g.substring(1);
    }
    while (g.endsWith("/")) {
      g = g.substring(0, g.length() - 1);
    }
    if (g.isEmpty()) {
      throw LayerslimException.usage(source + " '" + glob + "': an empty glob would match the whole tree");
    }
    for (String seg : g.split("/", -1)) {
      if (seg.equals("..") || seg.isEmpty()) {
        throw LayerslimException.usage(source + " '" + glob
            + "': globs are relative to site-packages and cannot contain '..' or '//'");
      }
    }
    return new Glob(glob, Pattern.compile(toRegex(g)), g);
  }

  private static String toRegex(String g) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < g.length()) {
      char c = g.charAt(i);
      if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
        boolean segStart = i == 0 || g.charAt(i - 1) == '/';
        boolean followedBySlash = i + 2 < g.length() && g.charAt(i + 2) == '/';
        if (segStart && followedBySlash) {
          re.append("(?:[^/]+/)*"); // '**/' : zero or more whole folders
          i += 3;
        } else {
          re.append(".*");
          i += 2;
        }
      } else if (c == '*') {
        re.append("[^/]*");
        i++;
      } else if (c == '?') {
        re.append("[^/]");
        i++;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
    return re.toString();
  }

  /** True when the glob matches {@code path} ('/'-separated, relative) or one of its parent folders. */
  public boolean matches(String path) {
    if (pattern.matcher(path).matches()) {
      return true;
    }
    for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      if (pattern.matcher(path.substring(0, slash)).matches()) {
        return true;
      }
    }
    return false;
  }
}
