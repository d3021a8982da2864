package dev.layerslim.layer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Many globs matched as one: {@link #first(String)} answers what testing each glob in order would
 * (the first that matches the path or one of its folders), but looks only at the globs that can
 * match it, found by what is literal in them. A glob without wildcards is one hash lookup per folder
 * of the path; one with literal leading folders ({@code botocore/data/*}{@code /2016*}) is filed under
 * them; one that starts with a wildcard under its last segment when that is literal
 * ({@code **}{@code /conftest.py}) or a literal extension ({@code *.pyi}). Only what is left
 * ({@code **}{@code /test_*}) is tried for every path. 50,000 user excludes then cost about what a
 * handful do.
 */
public final class GlobSet {
  private final List<Glob> globs;
  /** A glob without wildcards, normalised, to its first index. */
  private final Map<String, Integer> literal = new HashMap<>();
  /** Globs whose last segment is literal, by that segment. */
  private final Map<String, List<Integer>> byLastSegment = new HashMap<>();
  /** Globs whose last segment is {@code *} and a literal with a dot, by what follows its last dot. */
  private final Map<String, List<Integer>> byExtension = new HashMap<>();
  /** The other globs, by their literal leading folders ("" when the first segment has a wildcard). */
  private final Map<String, List<Integer>> byPrefix = new HashMap<>();

  private GlobSet(List<Glob> globs) {
    this.globs = List.copyOf(globs);
    for (int i = 0; i < this.globs.size(); i++) {
      String g = this.globs.get(i).normalized();
      String[] segs = g.split("/", -1);
      String last = segs[segs.length - 1];
      StringBuilder prefix = new StringBuilder();
      for (String seg : segs) {
        if (wild(seg)) {
          break;
        }
        prefix.append(prefix.length() == 0 ? "" : "/").append(seg);
      }
      // the most selective literal part decides where the glob is filed
      if (!wild(g)) {
        literal.putIfAbsent(g, i);
      } else if (prefix.length() > 0) {
        byPrefix.computeIfAbsent(prefix.toString(), k -> new ArrayList<>()).add(i);
      } else if (!wild(last)) {
        byLastSegment.computeIfAbsent(last, k -> new ArrayList<>()).add(i);
      } else if (last.startsWith("*") && !last.startsWith("**") && !wild(last.substring(1))
          && last.lastIndexOf('.') > 0) {
        byExtension.computeIfAbsent(last.substring(last.lastIndexOf('.') + 1), k -> new ArrayList<>()).add(i);
      } else {
        byPrefix.computeIfAbsent("", k -> new ArrayList<>()).add(i);
      }
    }
  }

  /** {@code globs}, in their order: the first that matches is the one {@link #first} names. */
  public static GlobSet of(List<Glob> globs) {
    return new GlobSet(globs);
  }

  /** The first glob, in the given order, that matches {@code path} or one of its folders; null when none does. */
  public Glob first(String path) {
    if (globs.isEmpty()) {
      return null;
    }
    int best = Integer.MAX_VALUE;
    best = Math.min(best, literal.getOrDefault(path, Integer.MAX_VALUE));
    best = candidates(byPrefix.get(""), path, best);
    int start = 0;
    while (true) {
      int slash = path.indexOf('/', start);
      String segment = slash < 0 ? path.substring(start) : path.substring(start, slash);
      best = candidates(byLastSegment.get(segment), path, best);
      int dot = segment.lastIndexOf('.');
      if (dot > 0) {
        best = candidates(byExtension.get(segment.substring(dot + 1)), path, best);
      }
      if (slash < 0) {
        break;
      }
      String folder = path.substring(0, slash);
      best = Math.min(best, literal.getOrDefault(folder, Integer.MAX_VALUE));
      best = candidates(byPrefix.get(folder), path, best);
      start = slash + 1;
    }
    return best == Integer.MAX_VALUE ? null : globs.get(best);
  }

  /** The lowest of {@code best} and the indices in {@code indices} whose glob matches. */
  private int candidates(List<Integer> indices, String path, int best) {
    if (indices == null) {
      return best;
    }
    for (int i : indices) {
      if (i >= best) {
        break; // ascending: nothing later can be earlier
      }
      if (globs.get(i).matches(path)) {
        return i;
      }
    }
    return best;
  }

  private static boolean wild(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
  }
}
