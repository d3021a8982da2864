package dev.layerslim.prune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What pruning will do, decided before any file is touched: every deletion with its rule,
 * distribution and bytes, and every path a rule matched but a safety check kept.
 *
 * @param deletions sorted by path
 * @param keeps what the import guard (and the bytecode-only check) kept, sorted by path
 * @param protectedFiles files a rule matched that an {@code --include} glob protected
 * @param protectedBytes their bytes
 */
public record PrunePlan(List<Deletion> deletions, List<Keep> keeps, long protectedFiles, long protectedBytes) {

  public PrunePlan {
    deletions = List.copyOf(deletions);
    keeps = List.copyOf(keeps);
  }

  /**
   * One file the plan removes.
   *
   * @param path relative to the site-packages root
   * @param rule the rule that removes it
   * @param distribution the owning distribution's normalised name, or {@code (unattributed)}
   * @param bytes its size
   * @param reason why, for people: {@code in botocore/tests/}, {@code matches exclude glob '…'}
   */
  public record Deletion(String path, Rule rule, String distribution, long bytes, String reason) {}

  /**
   * A path a rule matched that stays.
   *
   * @param path a folder (import guard) or a file (bytecode shipped without its source)
   * @param rule the rule that would have removed it
   * @param reason why it stays: {@code imported by botocore/client.py}
   */
  public record Keep(String path, Rule rule, String reason) {}

  /** Files and bytes of a group of deletions. */
  public record Totals(long files, long bytes) {
    Totals plus(long size) {
      return new Totals(files + 1, bytes + size);
    }
  }

  /** Totals of the whole plan. */
  public Totals total() {
    Totals t = new Totals(0, 0);
    for (Deletion d : deletions) {
      t = t.plus(d.bytes());
    }
    return t;
  }

  /** Totals per rule, in the rules' declared order; rules that removed nothing are left out. */
  public Map<Rule, Totals> byRule() {
    Map<Rule, Totals> m = new EnumMap<>(Rule.class);
    for (Deletion d : deletions) {
      m.merge(d.rule(), new Totals(1, d.bytes()), (a, b) -> a.plus(b.bytes()));
    }
    return m;
  }

  /** Totals per distribution, most bytes first. */
  public Map<String, Totals> byDistribution() {
    Map<String, Totals> m = new TreeMap<>();
    for (Deletion d : deletions) {
      m.merge(d.distribution(), new Totals(1, d.bytes()), (a, b) -> a.plus(b.bytes()));
    }
    return largestFirst(m);
  }

  /** Per rule, the totals per distribution (most bytes first). */
  public Map<Rule, Map<String, Totals>> byRuleAndDistribution() {
    Map<Rule, Map<String, Totals>> m = new EnumMap<>(Rule.class);
    for (Deletion d : deletions) {
      m.computeIfAbsent(d.rule(), r -> new TreeMap<>())
          .merge(d.distribution(), new Totals(1, d.bytes()), (a, b) -> a.plus(b.bytes()));
    }
    Map<Rule, Map<String, Totals>> sorted = new EnumMap<>(Rule.class);
    m.forEach((r, byDist) -> sorted.put(r, largestFirst(byDist)));
    return sorted;
  }

  private static Map<String, Totals> largestFirst(Map<String, Totals> m) {
    List<Map.Entry<String, Totals>> entries = new ArrayList<>(m.entrySet());
    entries.sort(Comparator.comparingLong((Map.Entry<String, Totals> e) -> e.getValue().bytes()).reversed()
        .thenComparing(Map.Entry::getKey));
    Map<String, Totals> out = new LinkedHashMap<>();
    entries.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }
}
