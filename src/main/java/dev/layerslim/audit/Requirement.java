package dev.layerslim.audit;

import dev.layerslim.layer.Names;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A PEP 508 requirement as {@code Requires-Dist} writes it:
 * {@code requests[socks,security] (>=2.0) ; python_version < '3.12' and extra == 's3'}.
 *
 * @param name the PEP 503 normalised distribution name
 * @param extras the extras asked for, normalised
 * @param versionSpec the version specifier text without parentheses ({@code >=2.0}), {@code ""} for none
 * @param url the direct reference after {@code @}, or null
 * @param marker the parsed marker, or null when there is none
 * @param text the requirement as written
 */
public record Requirement(String name, Set<String> extras, String versionSpec, String url, Marker marker,
    String text) {

  public Requirement {
    extras = Set.copyOf(extras);
  }

  /** Whether this requirement applies in {@code env}: no marker, or the marker holds. */
  public boolean appliesIn(MarkerEnvironment env) {
    return marker == null || marker.evaluate(env);
  }

  /**
   * Parses one requirement.
   *
   * @throws RequirementSyntaxException with the column where {@code text} stops being PEP 508
   */
  public static Requirement parse(String text) {
    int i = skipSpace(text, 0);
    int start = i;
    while (i < text.length() && isNameChar(text.charAt(i))) {
      i++;
    }
    if (i == start || !Character.isLetterOrDigit(text.charAt(start))
        || !Character.isLetterOrDigit(text.charAt(i - 1))) {
      throw new RequirementSyntaxException(text, start, "expected a distribution name");
    }
    String name = Names.normalize(text.substring(start, i));
    i = skipSpace(text, i);
    Set<String> extras = new LinkedHashSet<>();
    if (i < text.length() && text.charAt(i) == '[') {
      int close = text.indexOf(']', i);
      if (close < 0) {
        throw new RequirementSyntaxException(text, i, "'[' without ']'");
      }
      String inner = text.substring(i + 1, close);
      if (!inner.isBlank()) {
        int at = i + 1;
        for (String e : inner.split(",", -1)) {
          String t = e.trim();
          if (t.isEmpty() || !t.chars().allMatch(ch -> isNameChar((char) ch))) {
            throw new RequirementSyntaxException(text, at, "malformed extra '" + e.trim() + "'");
          }
          extras.add(Names.normalize(t));
          at += e.length() + 1;
        }
      }
      i = skipSpace(text, close + 1);
    }
    String spec = "";
    String url = null;
    if (i < text.length() && text.charAt(i) == '@') {
      i = skipSpace(text, i + 1);
      int end = i;
      while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
        end++;
      }
      if (end == i) {
        throw new RequirementSyntaxException(text, i, "expected a URL after '@'");
      }
      url = text.substring(i, end);
      i = skipSpace(text, end);
    } else if (i < text.length() && text.charAt(i) == '(') {
      int close = text.indexOf(')', i);
      if (close < 0) {
        throw new RequirementSyntaxException(text, i, "'(' without ')'");
      }
      spec = checkSpec(text, i + 1, text.substring(i + 1, close));
      i = skipSpace(text, close + 1);
    } else {
      int end = text.indexOf(';', i);
      end = end < 0 ? text.length() : end;
      spec = checkSpec(text, i, text.substring(i, end));
      i = end;
    }
    Marker marker = null;
    if (i < text.length()) {
      if (text.charAt(i) != ';') {
        throw new RequirementSyntaxException(text, i, "expected ';' before the marker");
      }
      String m = text.substring(i + 1);
      try {
        marker = Marker.parse(m);
      } catch (RequirementSyntaxException e) {
        // re-anchor the column in the whole requirement, which is what the user sees
        throw new RequirementSyntaxException(text, i + 1 + e.position(),
            e.getMessage().substring(0, e.getMessage().indexOf(" at column")));
      }
    }
    return new Requirement(name, extras, spec, url, marker, text.trim());
  }

  /** Checks a specifier list ({@code >=1.0, <2}) clause by clause and returns it trimmed. */
  private static String checkSpec(String text, int offset, String spec) {
    String s = spec.trim();
    if (s.isEmpty()) {
      return "";
    }
    int at = offset;
    for (String clause : spec.split(",", -1)) {
      String c = clause.trim();
      if (!c.matches("(===|==|!=|<=|>=|~=|<|>)\\s*[A-Za-z0-9_.*+!-]+")) {
        throw new RequirementSyntaxException(text, at + clause.indexOf(c.isEmpty() ? "," : c),
            "malformed version specifier '" + c + "'");
      }
      at += clause.length() + 1;
    }
    return s;
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.';
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  @Override
  public String toString() {
    return text;
  }
}
