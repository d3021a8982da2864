package dev.layerslim.prune;

import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.Event;
import dev.layerslim.pipeline.Step;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prune: plans which files of the installed tree stay out of the layer, and records the plan in
 * {@link BuildContext#removals} for the stage step, which copies only the rest. The input tree is
 * only read (the {@code .py} sources, for the import guard); nothing is deleted, so a symlink is
 * never followed for deletion and nothing outside the tree can be touched.
 *
 * <p>With {@code --dry-run} the plan is shown in full; otherwise it is a summary, and the per-rule
 * and per-file detail is debug output ({@code --verbose}).
 */
public final class PruneStep implements Step {

  @Override
  public String name() {
    return "prune";
  }

  @Override
  public String title() {
    return "Planning what to prune";
  }

  @Override
  public void run(BuildContext ctx) throws IOException {
    BuildOptions o = ctx.options();
    if (o.pruneUnused && ctx.usedDistributions == null) {
      ctx.warn(name(), "--prune-unused needs a --handler to audit: no distribution is removed as unused");
    }
    List<Glob> exclude = o.exclude.stream().map(g -> Glob.compile(g, "--exclude")).toList();
    List<Glob> include = o.include.stream().map(g -> Glob.compile(g, "--include")).toList();
    if (o.configFile != null) {
      // read from the current folder without being named: say so, or its rules look like magic
      ctx.info(name(), "prune rules from " + o.configFile);
    }
    ModuleReach.Result modules = o.pruneModules ? modules(ctx) : null;
    PrunePlan plan = PrunePlanner.plan(new PrunePlanner.Input(ctx.sourceTree, ctx.ownership, ctx.usedDistributions,
        o.pruneUnused, exclude, include, modules));
    for (PrunePlan.Deletion d : plan.deletions()) {
      ctx.removals.put(d.path(), new BuildContext.Removal(d.rule().id(), d.reason()));
    }
    Event.Level planLevel = o.dryRun ? Event.Level.INFO : Event.Level.DEBUG;
    for (String line : PruneReport.lines(plan)) {
      ctx.events().emit(new Event.Log(planLevel, name(), line, null));
    }
    for (PrunePlan.Deletion d : plan.deletions()) {
      ctx.events().emit(new Event.Log(Event.Level.DEBUG, name(), "  - " + d.path() + " (" + d.rule().id() + ", "
          + Sizes.human(d.bytes()) + ")", d.path()));
    }
    ctx.reportSection("prune", PruneReport.json(plan, o.dryRun, o.exclude, o.include, modules));
    ctx.markdownSection(110, PruneReport.markdown(plan, o.dryRun, modules));
    PrunePlan.Totals total = plan.total();
    String perRule = plan.byRule().entrySet().stream()
        .map(e -> e.getKey().id() + " " + Sizes.human(e.getValue().bytes())).collect(Collectors.joining(", "));
    ctx.stepSummary((o.dryRun ? "would remove " : "removing ") + Sizes.grouped(total.files()) + " files, "
        + Sizes.human(total.bytes()) + (perRule.isEmpty() ? "" : " (" + perRule + ")")
        + (plan.keeps().isEmpty() ? "" : "; " + plan.keeps().size() + " kept despite a rule (see report.md)"));
  }

  /** {@code --prune-modules}: the sub-packages nothing reaches, from the handler, the smoke run and the rules. */
  private ModuleReach.Result modules(BuildContext ctx) throws IOException {
    if (ctx.options().handlers.isEmpty()) {
      ctx.warn(name(), "--prune-modules needs a --handler: no sub-package is removed");
      return null;
    }
    java.util.Set<String> loaded = ModuleEvidence.smokeLoaded(ctx, name());
    return ModuleReach.analyse(new ModuleReach.Input(ctx.sourceTree, ctx.ownership,
        ModuleEvidence.handlerSources(ctx.options().handlers), loaded, System.getenv("MPLBACKEND")));
  }
}
