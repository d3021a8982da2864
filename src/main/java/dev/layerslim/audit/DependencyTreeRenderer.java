package dev.layerslim.audit;

import dev.layerslim.audit.AuditResult.DistributionUse;
import dev.layerslim.audit.AuditResult.ImportUse;
import dev.layerslim.audit.AuditResult.UnresolvedImport;
import dev.layerslim.reportfile.Report;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders an {@link AuditResult} as a pipdeptree-like text tree and as JSON.
 *
 * <p>The tree has the used distributions first, rooted at those the handler imports or keeps, then
 * the unused ones, rooted at those no other unused distribution requires. Children are the
 * requirements present in the layer; a distribution already on the current branch is marked as a
 * cycle instead of being expanded again. The JSON form is report.json's {@code audit} section.
 */
public final class DependencyTreeRenderer {
  private DependencyTreeRenderer() {}

  /**
   * The text tree, one distribution per line: {@code name==version}, indented two spaces per
   * level, and its size right-aligned from {@code bytes} (0 when absent).
   */
  public static String text(AuditResult result, Map<String, Long> bytes) {
    List<String[]> rows = new ArrayList<>();
    Map<String, DistributionUse> byName = result.byName();
    rows.add(new String[] {"used:", null});
    for (String root : roots(result, true)) {
      walk(root, 1, byName, bytes, new HashSet<>(), rows);
    }
    List<String> unusedRoots = roots(result, false);
    if (!unusedRoots.isEmpty()) {
      rows.add(new String[] {"unused:", null});
      for (String root : unusedRoots) {
        walk(root, 1, byName, bytes, new HashSet<>(), rows);
      }
    }
    int width = 0;
    for (String[] r : rows) {
      width = Math.max(width, r[0].length());
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      sb.append(r[1] == null ? r[0] : String.format(Locale.ROOT, "%-" + width + "s  %10s", r[0], r[1]));
      sb.append('\n');
    }
    return sb.toString();
  }

  private static void walk(String name, int depth, Map<String, DistributionUse> byName,
      Map<String, Long> bytes, Set<String> branch, List<String[]> rows) {
    DistributionUse d = byName.get(name);
    String label = "  ".repeat(depth) + d.name() + "==" + d.version()
        + (d.runtimeProvided() ? " [in runtime]" : "");
    if (!branch.add(name)) {
      rows.add(new String[] {label + " (cycle)", ""});
      return;
    }
    rows.add(new String[] {label, dev.layerslim.layer.Sizes.human(bytes.getOrDefault(name, 0L))});
    for (String child : d.requires()) {
      walk(child, depth + 1, byName, bytes, branch, rows);
    }
    branch.remove(name);
  }

  /** Roots of the used part (reached directly) or the unused part (required by no unused one). */
  private static List<String> roots(AuditResult result, boolean used) {
    Set<String> out = new LinkedHashSet<>();
    Set<String> required = new HashSet<>();
    for (DistributionUse d : result.distributions()) {
      if (d.used() == used) {
        required.addAll(d.requires());
      }
    }
    for (DistributionUse d : result.distributions()) {
      if (d.used() != used) {
        continue;
      }
      boolean root = used ? d.why().path().size() == 1 : !required.contains(d.name());
      if (root) {
        out.add(d.name());
      }
    }
    if (!used) {
      // a cycle of unused distributions has no root by that rule: show what is left on its own
      Set<String> shown = reachable(result, out);
      for (DistributionUse d : result.distributions()) {
        if (!d.used() && !shown.contains(d.name())) {
          out.add(d.name());
          shown = reachable(result, out);
        }
      }
    }
    return new ArrayList<>(out);
  }

  private static Set<String> reachable(AuditResult result, Set<String> from) {
    Map<String, DistributionUse> byName = result.byName();
    Set<String> seen = new HashSet<>();
    List<String> todo = new ArrayList<>(from);
    while (!todo.isEmpty()) {
      String n = todo.remove(todo.size() - 1);
      if (seen.add(n)) {
        todo.addAll(byName.get(n).requires());
      }
    }
    return seen;
  }

  /**
   * The whole result as report.json's {@code audit} section: distributions (with size and why),
   * imports, unresolved imports, problems and the computed-name imports.
   */
  public static Report.Audit section(AuditResult result, Map<String, Long> bytes) {
    List<Report.AuditDistribution> dists = new ArrayList<>();
    for (DistributionUse d : result.distributions()) {
      dists.add(new Report.AuditDistribution(d.name(), d.version(), d.used(), d.runtimeProvided(),
          bytes.getOrDefault(d.name(), 0L), d.requires(), d.missing(), d.why() == null ? null
              : new Report.Why(d.why().origin(), d.why().path(), d.why().toString())));
    }
    List<Report.AuditImport> imports = new ArrayList<>();
    for (ImportUse i : result.imports()) {
      imports.add(new Report.AuditImport(i.name(), i.distributions().stream().sorted().toList(), i.runtimeProvider(),
          i.where(), i.optional()));
    }
    List<Report.UnresolvedImport> unresolved = new ArrayList<>();
    for (UnresolvedImport u : result.unresolved()) {
      unresolved.add(new Report.UnresolvedImport(u.name(), u.where(), u.optional()));
    }
    List<Report.ComputedImport> computed = new ArrayList<>();
    for (AuditResult.ComputedUse c : result.computed()) {
      computed.add(new Report.ComputedImport(c.where(), c.call(), c.head(), c.kept(), c.sentence()));
    }
    return new Report.Audit(dists, imports, unresolved, result.problems(), computed);
  }
}
