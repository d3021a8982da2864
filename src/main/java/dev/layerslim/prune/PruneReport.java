package dev.layerslim.prune;

import dev.layerslim.layer.Plural;
import dev.layerslim.reportfile.Markdown;
import dev.layerslim.reportfile.Report;
import dev.layerslim.layer.Sizes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Renders a {@link PrunePlan}: report.json's {@code prune} section, report.md's table, the console plan. */
public final class PruneReport {
  private PruneReport() {}

  /**
   * The {@code prune} section of report.json: {@code removedFiles}, {@code removedBytes},
   * {@code byRule} and {@code byDistribution} ({@code {files, bytes}}, distributions also per rule),
   * {@code guardKeeps} ({@code [{path, rule, reason}]}) and {@code protected} ({@code --include}); with
   * {@code modules} (null unless {@code --prune-modules} ran): {@code removed} ({@code [{path, files,
   * bytes, reason}]}, largest first) and {@code dynamic} ({@code [{site, rule, kept, detail}]}: each
   * computed-import site and the rule that decided it).
   */
  public static Report.Prune section(PrunePlan plan, boolean dryRun, List<String> exclude, List<String> include,
      ModuleReach.Result modules) {
    PrunePlan.Totals total = plan.total();
    Map<String, Report.FilesBytes> byRule = new java.util.LinkedHashMap<>();
    plan.byRule().forEach((rule, t) -> byRule.put(rule.id(), totals(t)));
    Map<String, Report.DistributionRemoval> byDist = new java.util.LinkedHashMap<>();
    Map<Rule, Map<String, PrunePlan.Totals>> both = plan.byRuleAndDistribution();
    plan.byDistribution().forEach((dist, t) -> {
      Map<String, Report.FilesBytes> rules = new java.util.LinkedHashMap<>();
      both.forEach((rule, m) -> {
        PrunePlan.Totals rt = m.get(dist);
        if (rt != null) {
          rules.put(rule.id(), totals(rt));
        }
      });
      byDist.put(dist, new Report.DistributionRemoval(t.files(), t.bytes(), rules));
    });
    List<Report.GuardKeep> keeps = new ArrayList<>();
    for (PrunePlan.Keep k : plan.keeps()) {
      keeps.add(new Report.GuardKeep(k.path(), k.rule().id(), k.reason()));
    }
    Report.PruneModules m = null;
    if (modules != null) {
      List<Report.RemovedUnit> removed = new ArrayList<>();
      for (UnitRow u : removedUnits(plan, modules)) {
        removed.add(new Report.RemovedUnit(u.path(), u.files(), u.bytes(), u.reason()));
      }
      List<Report.DynamicSite> dyn = new ArrayList<>();
      Set<String> removedFiles = removedFiles(plan);
      for (ModuleReach.Dynamic d : modules.dynamic()) {
        dyn.add(new Report.DynamicSite(d.site(), d.rule(), d.kept(), d.detail(), d.distribution(),
            d.file() != null && removedFiles.contains(d.file())));
      }
      Map<String, Report.UnitReach> units = new java.util.LinkedHashMap<>();
      modules.units().forEach((k, u) -> units.put(k, new Report.UnitReach(u.module(), u.reach().name(),
          u.evidence() == null ? null : u.evidence().via().name(), u.evidence() == null ? null : u.evidence().detail())));
      m = new Report.PruneModules(removed, modules.reached(), dyn, units);
    }
    return new Report.Prune(dryRun, total.files(), total.bytes(), byRule, byDist, keeps,
        new Report.FilesBytes(plan.protectedFiles(), plan.protectedBytes()), exclude, include, m);
  }

  /** One removed sub-package (or plugin module) with what the plan removed of it. */
  record UnitRow(String path, long files, long bytes, String reason) {}

  /** The units {@code --prune-modules} removed, with the files and bytes the plan removed, largest first. */
  static List<UnitRow> removedUnits(PrunePlan plan, ModuleReach.Result modules) {
    Map<String, long[]> sums = new java.util.TreeMap<>();
    for (PrunePlan.Deletion d : plan.deletions()) {
      if (d.rule() == Rule.UNREACHED_MODULE) {
        String unit = modules.unreachedUnitOf(d.path());
        if (unit != null) {
          long[] s = sums.computeIfAbsent(unit, k -> new long[2]);
          s[0]++;
          s[1] += d.bytes();
        }
      }
    }
    List<UnitRow> rows = new ArrayList<>();
    sums.forEach((u, s) -> rows.add(new UnitRow(u, s[0], s[1], modules.unreached().get(u))));
    rows.sort(java.util.Comparator.comparingLong(UnitRow::bytes).reversed().thenComparing(UnitRow::path));
    return rows;
  }

  private static Report.FilesBytes totals(PrunePlan.Totals t) {
    return new Report.FilesBytes(t.files(), t.bytes());
  }

  /**
   * report.md's short table of savings by rule, with the guard's keeps below it; with {@code modules}
   * (null unless {@code --prune-modules} ran), the removed sub-packages and the dynamic-import sites.
   */
  public static String markdown(PrunePlan plan, boolean dryRun, ModuleReach.Result modules) {
    StringBuilder md = new StringBuilder(dryRun ? "## Prune plan (dry run: nothing removed)\n\n" : "## Pruned\n\n");
    if (plan.deletions().isEmpty()) {
      md.append("No rule matched a file.\n");
    } else {
      md.append("| rule | files | saved |\n| --- | ---: | ---: |\n");
      plan.byRule().forEach((rule, t) -> md.append("| ").append(rule.id()).append(" | ")
          .append(Sizes.grouped(t.files())).append(" | ").append(Sizes.human(t.bytes())).append(" |\n"));
      PrunePlan.Totals total = plan.total();
      md.append("| **total** | **").append(Sizes.grouped(total.files())).append("** | **")
          .append(Sizes.human(total.bytes())).append("** |\n");
    }
    if (!plan.keeps().isEmpty()) {
      md.append("\nKept by the import guard:\n\n");
      for (PrunePlan.Keep k : plan.keeps()) {
        md.append("- kept ").append(Markdown.code(k.path())).append(": ").append(Markdown.text(k.reason())).append('\n');
      }
    }
    if (modules != null) {
      List<UnitRow> rows = removedUnits(plan, modules);
      md.append("\n### Sub-packages nothing reaches (`--prune-modules`)\n\n");
      if (rows.isEmpty()) {
        md.append("Every sub-package is reached (or protected).\n");
      } else {
        md.append("| sub-package | files | size | why |\n| --- | ---: | ---: | --- |\n");
        for (UnitRow u : rows) {
          md.append("| ").append(Markdown.code(u.path())).append(" | ").append(Sizes.grouped(u.files())).append(" | ")
              .append(Sizes.human(u.bytes())).append(" | ").append(Markdown.cell(u.reason())).append(" |\n");
        }
      }
      md.append(dynamicMarkdown(plan, modules));
    }
    return md.toString();
  }

  /** What each rule decides about a computed-import site, said once for all its sites. */
  private static final Map<String, String> RULE_TEXT = Map.of(
      "lazy-getattr", "in a package's module-level `__getattr__`, which runs only for attributes code reads; "
          + "the attribute chains and from-imports that reach them are followed instead",
      "computed-import", "every sub-package under the name's literal start (its own package when nothing is "
          + "literal) is kept",
      "outside-layer", "the name's literal start names no package of the layer: nothing to keep",
      "handler-computed-import", "nothing in the name is literal: every sub-package is kept");

  private static Set<String> removedFiles(PrunePlan plan) {
    Set<String> out = new java.util.HashSet<>();
    plan.deletions().forEach(d -> out.add(d.path()));
    return out;
  }

  /**
   * The computed-import sites, grouped per kept distribution (the handler's first) and per rule, each
   * rule's sentence said once; sites in code the plan removes are left out.
   */
  static String dynamicMarkdown(PrunePlan plan, ModuleReach.Result modules) {
    Set<String> removed = removedFiles(plan);
    // distribution → rule → sites; sorted so two runs read the same
    Map<String, Map<String, List<ModuleReach.Dynamic>>> groups = new TreeMap<>();
    for (ModuleReach.Dynamic d : modules.dynamic()) {
      if (d.file() != null && removed.contains(d.file())) {
        continue;
      }
      String dist = d.distribution() == null ? "" : d.distribution();
      groups.computeIfAbsent(dist, k -> new TreeMap<>()).computeIfAbsent(d.rule(), k -> new ArrayList<>()).add(d);
    }
    if (groups.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("\nImports of computed names in the kept code, by distribution, and what "
        + "each rule decided:\n\n");
    groups.forEach((dist, byRule) -> {
      int n = byRule.values().stream().mapToInt(List::size).sum();
      md.append("- **").append(dist.isEmpty() ? "the handler" : dist).append("** (").append(n)
          .append(n == 1 ? " site" : " sites").append(")\n");
      byRule.forEach((rule, sites) -> {
        String text = RULE_TEXT.get(rule);
        if (text == null) {
          // a rule whose decision is its own sentence: each distinct one once, with its sites
          Map<String, List<String>> byDetail = new TreeMap<>();
          sites.forEach(x -> byDetail.computeIfAbsent(x.detail(), k -> new ArrayList<>()).add(x.site()));
          byDetail.forEach((detail, where) -> md.append("  - ").append(rule).append(": ")
              .append(Markdown.text(detail)).append(": ").append(codes(where)).append('\n'));
          return;
        }
        md.append("  - ").append(rule).append(": ").append(text).append(": ");
        Map<String, List<String>> byKept = new TreeMap<>();
        sites.forEach(x -> byKept.computeIfAbsent(x.kept() == null || x.kept().equals("*") ? "" : x.kept(),
            k -> new ArrayList<>()).add(x.site()));
        List<String> parts = new ArrayList<>();
        byKept.forEach((kept, where) -> parts.add(kept.isEmpty() ? codes(where)
            : Markdown.code(kept) + " (" + codes(where) + ")"));
        md.append(String.join("; ", parts)).append('\n');
      });
    });
    return md.toString();
  }

  private static String codes(List<String> sites) {
    List<String> shown = sites.stream().sorted().limit(12).map(Markdown::code).toList();
    return String.join(", ", shown) + (sites.size() > shown.size() ? " and " + (sites.size() - shown.size())
        + " more (report.json)" : "");
  }

  /** The plan for the console: per rule, its distributions with bytes; then the guard's keeps. */
  public static List<String> lines(PrunePlan plan) {
    List<String> out = new ArrayList<>();
    PrunePlan.Totals total = plan.total();
    out.add(String.format(Locale.ROOT, "plan: remove %s, %s", Plural.grouped(total.files(), "file"),
        Sizes.human(total.bytes())));
    Map<Rule, PrunePlan.Totals> byRule = plan.byRule();
    plan.byRuleAndDistribution().forEach((rule, byDist) -> {
      PrunePlan.Totals t = byRule.get(rule);
      out.add(String.format(Locale.ROOT, "  %-13s %8s %-5s %10s", rule.id(), Sizes.grouped(t.files()),
          Plural.noun(t.files(), "file"),
          Sizes.human(t.bytes())));
      byDist.forEach((dist, dt) -> out.add(String.format(Locale.ROOT, "    %-24s %6s %-5s %10s", dist,
          Sizes.grouped(dt.files()), Plural.noun(dt.files(), "file"), Sizes.human(dt.bytes()))));
    });
    for (PrunePlan.Keep k : plan.keeps()) {
      out.add("  kept " + k.path() + ": " + k.reason() + " (" + k.rule().id() + ")");
    }
    if (plan.protectedFiles() > 0) {
      out.add(String.format(Locale.ROOT, "  protected by --include: %s, %s", Plural.grouped(plan.protectedFiles(), "file"),
          Sizes.human(plan.protectedBytes())));
    }
    return out;
  }
}
