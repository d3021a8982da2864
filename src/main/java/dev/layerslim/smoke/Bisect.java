package dev.layerslim.smoke;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds a small set of changes to undo: given that restoring every candidate makes the layer pass,
 * the smallest subset (one-minimal: dropping any member makes it fail) whose restoration still does.
 *
 * <p>Binary splitting: if one half alone suffices, recurse into it; otherwise both halves hold a
 * culprit, and each is searched with the other half restored. Each tested set is run at most once.
 */
final class Bisect<T> {
  private final Predicate<Set<T>> passes;
  private final Map<Set<T>, Boolean> seen = new HashMap<>();

  /** {@code passes} tells whether the layer works with exactly this set restored. */
  Bisect(Predicate<Set<T>> passes) {
    this.passes = passes;
  }

  /** The needed subset of {@code candidates}; the caller knows restoring all of them passes. */
  List<T> minimize(List<T> candidates) {
    return new ArrayList<>(minimize(candidates, new LinkedHashSet<>()));
  }

  int runs() {
    return seen.size();
  }

  private Set<T> minimize(List<T> candidates, Set<T> base) {
    if (test(base)) {
      return Set.of();
    }
    if (candidates.size() == 1) {
      return new LinkedHashSet<>(candidates);
    }
    List<T> first = candidates.subList(0, candidates.size() / 2);
    List<T> second = candidates.subList(candidates.size() / 2, candidates.size());
    if (test(union(base, first))) {
      return minimize(first, base);
    }
    if (test(union(base, second))) {
      return minimize(second, base);
    }
    Set<T> needFirst = minimize(first, union(base, second));
    Set<T> needSecond = minimize(second, union(base, needFirst));
    Set<T> all = new LinkedHashSet<>(needFirst);
    all.addAll(needSecond);
    return all;
  }

  private boolean test(Set<T> set) {
    return seen.computeIfAbsent(Set.copyOf(set), passes::test);
  }

  private static <T> Set<T> union(Set<T> a, java.util.Collection<T> b) {
    Set<T> u = new LinkedHashSet<>(a);
    u.addAll(b);
    return u;
  }
}
