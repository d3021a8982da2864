package dev.layerslim.prune;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layerslim.layer.Sizes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link PrunePlan}: report.json's {@code prune} section, report.md's table, the console plan. */
public final class PruneReport {
  private PruneReport() {}

  /**
   * The {@code prune} section of report.json: {@code removedFiles}, {@code removedBytes},
   * {@code byRule} and {@code byDistribution} ({@code {files, bytes}}, distributions also per rule),
   * {@code guardKeeps} ({@code [{path, rule, reason}]}) and {@code protected} ({@code --include}).
   */
  public static ObjectNode json(PrunePlan plan, boolean dryRun, List<String> exclude, List<String> include) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("dryRun", dryRun);
    PrunePlan.Totals total = plan.total();
    root.put("removedFiles", total.files());
    root.put("removedBytes", total.bytes());
    ObjectNode byRule = root.putObject("byRule");
    plan.byRule().forEach((rule, t) -> totals(byRule.putObject(rule.id()), t));
    ObjectNode byDist = root.putObject("byDistribution");
    Map<Rule, Map<String, PrunePlan.Totals>> both = plan.byRuleAndDistribution();
    plan.byDistribution().forEach((dist, t) -> {
      ObjectNode d = totals(byDist.putObject(dist), t);
      ObjectNode rules = d.putObject("byRule");
      both.forEach((rule, m) -> {
        PrunePlan.Totals rt = m.get(dist);
        if (rt != null) {
          totals(rules.putObject(rule.id()), rt);
        }
      });
    });
    ArrayNode keeps = root.putArray("guardKeeps");
    for (PrunePlan.Keep k : plan.keeps()) {
      keeps.addObject().put("path", k.path()).put("rule", k.rule().id()).put("reason", k.reason());
    }
    root.putObject("protected").put("files", plan.protectedFiles()).put("bytes", plan.protectedBytes());
    ArrayNode ex = root.putArray("exclude");
    exclude.forEach(ex::add);
    ArrayNode in = root.putArray("include");
    include.forEach(in::add);
    return root;
  }

  private static ObjectNode totals(ObjectNode node, PrunePlan.Totals t) {
    return node.put("files", t.files()).put("bytes", t.bytes());
  }

  /** report.md's short table of savings by rule, with the guard's keeps below it. */
  public static String markdown(PrunePlan plan, boolean dryRun) {
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
        md.append("- kept `").append(k.path()).append("`: ").append(k.reason()).append('\n');
      }
    }
    return md.toString();
  }

  /** The plan for the console: per rule, its distributions with bytes; then the guard's keeps. */
  public static List<String> lines(PrunePlan plan) {
    List<String> out = new ArrayList<>();
    PrunePlan.Totals total = plan.total();
    out.add(String.format(Locale.ROOT, "plan: remove %s files, %s", Sizes.grouped(total.files()),
        Sizes.human(total.bytes())));
    Map<Rule, PrunePlan.Totals> byRule = plan.byRule();
    plan.byRuleAndDistribution().forEach((rule, byDist) -> {
      PrunePlan.Totals t = byRule.get(rule);
      out.add(String.format(Locale.ROOT, "  %-13s %8s files %10s", rule.id(), Sizes.grouped(t.files()),
          Sizes.human(t.bytes())));
      byDist.forEach((dist, dt) -> out.add(String.format(Locale.ROOT, "    %-24s %6s files %10s", dist,
          Sizes.grouped(dt.files()), Sizes.human(dt.bytes()))));
    });
    for (PrunePlan.Keep k : plan.keeps()) {
      out.add("  kept " + k.path() + ": " + k.reason() + " (" + k.rule().id() + ")");
    }
    if (plan.protectedFiles() > 0) {
      out.add(String.format(Locale.ROOT, "  protected by --include: %s files, %s", Sizes.grouped(plan.protectedFiles()),
          Sizes.human(plan.protectedBytes())));
    }
    return out;
  }
}
