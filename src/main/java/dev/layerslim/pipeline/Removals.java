package dev.layerslim.pipeline;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The prune plan as the later steps read it: which files of the installed tree stay out of the
 * layer, and why. Paths are relative to the install's source root. Immutable: healing gives a new
 * one ({@link #without}).
 */
public final class Removals {
  /**
   * One deletion the prune plan decided: which rule, and why.
   *
   * @param unit what the rule judged as a whole, when that is more than this file: the distribution
   *     it found unused ({@code fiona}), the sub-package it found unreached ({@code scipy/stats/});
   *     null when the file was judged on its own
   */
  public record Removal(String rule, String reason, String unit) {
    /** A removal judged file by file. */
    public Removal(String rule, String reason) {
      this(rule, reason, null);
    }
  }

  private static final Removals NONE = new Removals(new TreeMap<>());

  private final SortedMap<String, Removal> byPath;

  private Removals(SortedMap<String, Removal> byPath) {
    this.byPath = Collections.unmodifiableSortedMap(byPath);
  }

  /** Nothing removed: the layer is the whole installed tree. */
  public static Removals none() {
    return NONE;
  }

  /** The plan {@code byPath} (copied). */
  public static Removals of(Map<String, Removal> byPath) {
    return new Removals(new TreeMap<>(byPath));
  }

  public boolean contains(String path) {
    return byPath.containsKey(path);
  }

  /** Why {@code path} goes, or null when it stays. */
  public Removal get(String path) {
    return byPath.get(path);
  }

  /** Every removed path, sorted. */
  public Set<String> paths() {
    return byPath.keySet();
  }

  public int size() {
    return byPath.size();
  }

  /** The same plan less {@code restored} (files healing put back). */
  public Removals without(Set<String> restored) {
    if (restored.isEmpty()) {
      return this;
    }
    TreeMap<String, Removal> m = new TreeMap<>(byPath);
    m.keySet().removeAll(restored);
    return new Removals(m);
  }
}
