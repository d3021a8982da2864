package dev.layerslim.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEP 440 version comparison, as far as environment markers need it: release segments compared
 * numerically (missing ones are zero), then pre-releases ({@code a}, {@code b}, {@code rc}), post and
 * dev releases. Local versions ({@code +abc}) and epochs beyond {@code 0!} are accepted and epochs
 * compared; local labels are ignored.
 */
final class Versions {
  private Versions() {}

  private static final Pattern VERSION = Pattern.compile(
      "v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)"
          + "(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\\d*))?"
          + "(?:(?:-(\\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\\d*)))?"
          + "(?:[-_.]?(dev)[-_.]?(\\d*))?"
          + "(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?");

  /** A parsed version; {@code pre} rank: dev-only &lt; a &lt; b &lt; rc &lt; final. */
  record Parsed(long epoch, List<Long> release, int preKind, long preNum, long post, long dev) {}

  /** The parsed version, or null when {@code text} is not a PEP 440 version. */
  static Parsed parse(String text) {
    Matcher m = VERSION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return null;
    }
    long epoch = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
    List<Long> release = new ArrayList<>();
    for (String s : m.group(2).split("\\.")) {
      release.add(Long.parseLong(s));
    }
    int preKind = 3; // final release
    long preNum = 0;
    if (m.group(3) != null) {
      String k = m.group(3);
      preKind = k.startsWith("a") ? 0 : k.equals("b") || k.equals("beta") ? 1 : 2;
      preNum = m.group(4).isEmpty() ? 0 : Long.parseLong(m.group(4));
    }
    long post = -1;
    if (m.group(5) != null) {
      post = Long.parseLong(m.group(5));
    } else if (m.group(6) != null) {
      post = m.group(7).isEmpty() ? 0 : Long.parseLong(m.group(7));
    }
    long dev = Long.MAX_VALUE; // no dev segment sorts after any dev release
    if (m.group(8) != null) {
      dev = m.group(9).isEmpty() ? 0 : Long.parseLong(m.group(9));
      if (m.group(3) == null && post < 0) {
        preKind = -1; // 1.0.dev1 sorts before 1.0a1
      }
    }
    return new Parsed(epoch, release, preKind, preNum, post, dev);
  }

  static int compare(Parsed a, Parsed b) {
    int c = Long.compare(a.epoch(), b.epoch());
    if (c != 0) {
      return c;
    }
    c = compareRelease(a.release(), b.release());
    if (c != 0) {
      return c;
    }
    c = Integer.compare(a.preKind(), b.preKind());
    if (c != 0) {
      return c;
    }
    c = Long.compare(a.preNum(), b.preNum());
    if (c != 0) {
      return c;
    }
    c = Long.compare(a.post(), b.post());
    return c != 0 ? c : Long.compare(a.dev(), b.dev());
  }

  static int compareRelease(List<Long> a, List<Long> b) {
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      long x = i < a.size() ? a.get(i) : 0;
      long y = i < b.size() ? b.get(i) : 0;
      if (x != y) {
        return Long.compare(x, y);
      }
    }
    return 0;
  }

  /**
   * Whether {@code candidate op spec} holds (PEP 440 specifier semantics: {@code ==1.2.*} prefix
   * match, {@code ~=} compatible release, {@code ===} string identity).
   *
   * @return null when either side is not a version, so the caller can fall back to strings
   */
  static Boolean satisfies(String candidate, String op, String spec) {
    if (op.equals("===")) {
      return candidate.trim().equals(spec.trim());
    }
    String s = spec.trim();
    boolean wildcard = (op.equals("==") || op.equals("!=")) && s.endsWith(".*");
    Parsed v = parse(candidate);
    Parsed w = parse(wildcard ? s.substring(0, s.length() - 2) : s);
    if (v == null || w == null) {
      return null;
    }
    if (wildcard) {
      boolean prefix = v.epoch() == w.epoch() && w.release().size() <= v.release().size()
          && v.release().subList(0, w.release().size()).equals(w.release());
      return op.equals("==") == prefix;
    }
    int c = compare(v, w);
    if (op.equals("~=")) {
      if (w.release().size() < 2 || c < 0) {
        return w.release().size() < 2 ? null : false;
      }
      List<Long> prefix = w.release().subList(0, w.release().size() - 1);
      return v.release().size() >= prefix.size()
          && compareRelease(v.release().subList(0, prefix.size()), prefix) == 0;
    }
    return holds(c, op);
  }

  /**
   * Whether a comparison result {@code c} (negative, zero, positive) satisfies {@code op}, one of
   * {@code == != < <= > >=}; null for any other operator.
   */
  static Boolean holds(int c, String op) {
    switch (op) {
      case "==": return c == 0;
      case "!=": return c != 0;
      case "<": return c < 0;
      case "<=": return c <= 0;
      case ">": return c > 0;
      case ">=": return c >= 0;
      default: return null;
    }
  }
}
