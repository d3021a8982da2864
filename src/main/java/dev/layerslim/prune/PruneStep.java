package dev.layerslim.prune;

import dev.layerslim.layer.Plural;
import dev.layerslim.layer.Glob;
import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.PruneOptions;
import dev.layerslim.pipeline.Event;
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.pipeline.Removals;
import dev.layerslim.pipeline.SmokeLoaded;
import dev.layerslim.pipeline.Usage;
import dev.layerslim.pipeline.Step;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Prune: plans which files of the installed tree stay out of the layer. Reads the install and the
 * audit's usage; returns the {@link Removals} that the stage step leaves out (it copies only the
 * rest). The input tree is
 * only read (the {@code .py} sources, for the import guard); nothing is deleted, so a symlink is
 * never followed for deletion and nothing outside the tree can be touched.
 *
 * <p>With {@code --dry-run} the plan is shown in full; otherwise it is a summary, and the per-rule
 * and per-file detail is debug output ({@code --verbose}).
 */
public final class PruneStep implements Step<Removals> {
  /** The rule name of files left out because the runtime provides their distribution. */
  static final String RUNTIME_PROVIDED = "runtime-provided";

  private final InstallResult install;
  private final Usage usage;
  private final SmokeLoaded loaded;
  private final PruneOptions rules;
  private final List<java.nio.file.Path> handlers;
  private final boolean coldStorage;
  private final boolean dryRun;

  /**
   * Plans over {@code install} by {@code rules} with the audit's {@code usage}; {@code loaded}, the smoke
   * run's loaded modules, is evidence for --prune-modules ({@link SmokeLoaded#none()} when no smoke run
   * came first). {@code handlers} are read for --prune-modules; with {@code coldStorage} no sub-package is
   * deleted (cold storage keeps them); {@code dryRun} logs the plan at info level.
   */
  public PruneStep(InstallResult install, Usage usage, SmokeLoaded loaded, PruneOptions rules,
      List<java.nio.file.Path> handlers, boolean coldStorage, boolean dryRun) {
    this.install = install;
    this.usage = usage;
    this.loaded = loaded;
    this.rules = rules;
    this.handlers = List.copyOf(handlers);
    this.coldStorage = coldStorage;
    this.dryRun = dryRun;
  }


  @Override
  public String name() {
    return "prune";
  }

  @Override
  public String title() {
    return "Planning what to prune";
  }

  @Override
  public Removals run(BuildContext ctx) throws IOException {
    Map<String, Removals.Removal> removals = new TreeMap<>();
    if (rules.dropRuntimeProvided()) {
      dropRuntimeProvided(ctx, removals);
    }
    if (rules.pruneUnused() && !usage.audited()) {
      ctx.warn(name(), ctx.vocabulary().option("prune-unused") + " needs a " + ctx.vocabulary().option("handler")
          + " to audit: no distribution is removed as unused");
    }
    List<Glob> exclude = rules.exclude().stream().map(g -> Glob.compile(g, ctx.vocabulary().option("exclude"))).toList();
    List<Glob> include = rules.include().stream().map(g -> Glob.compile(g, ctx.vocabulary().option("include"))).toList();
    if (rules.configFile() != null) {
      // read from the current folder without being named: say so, or its rules look like magic
      ctx.info(name(), "prune rules from " + rules.configFile());
    }
    ModuleReach.Result modules = rules.pruneModules() ? modules(ctx) : null;
    if (modules != null && coldStorage && !modules.unreached().isEmpty()) {
      ctx.info(name(), ctx.vocabulary().on("cold-storage") + ": " + (modules.unreached().size() == 1 ? "the sub-package nothing reaches is not"
          : "the " + modules.unreached().size() + " sub-packages nothing reaches are not") + " deleted; those the smoke test does not load go cold instead");
    }
    // with --cold-storage nothing is deleted on doubt: what no import reaches is kept compressed instead
    PrunePlan plan = PrunePlanner.plan(new PrunePlanner.Input(install.tree(), install.ownership(), usage.used(),
        rules.pruneUnused(), exclude, include, coldStorage ? null : modules));
    for (PrunePlan.Deletion d : plan.deletions()) {
      removals.put(d.path(), new Removals.Removal(d.rule().id(), d.reason(), unit(d, modules)));
    }
    Event.Level planLevel = dryRun ? Event.Level.INFO : Event.Level.DEBUG;
    for (String line : PruneReport.lines(plan)) {
      ctx.events().emit(new Event.Log(planLevel, name(), line, null));
    }
    for (PrunePlan.Deletion d : plan.deletions()) {
      ctx.events().emit(new Event.Log(Event.Level.DEBUG, name(), "  - " + d.path() + " (" + d.rule().id() + ", "
          + Sizes.human(d.bytes()) + ")", d.path()));
    }
    ctx.reportSection(PruneReport.section(plan, dryRun, rules.exclude(), rules.include(), modules));
    ctx.markdownSection(110, PruneReport.markdown(plan, dryRun, modules));
    PrunePlan.Totals total = plan.total();
    String perRule = plan.byRule().entrySet().stream()
        .map(e -> e.getKey().id() + " " + Sizes.human(e.getValue().bytes())).collect(Collectors.joining(", "));
    ctx.stepSummary((dryRun ? "would remove " : "removing ") + Plural.grouped(total.files(), "file") + ", "
        + Sizes.human(total.bytes()) + (perRule.isEmpty() ? "" : " (" + perRule + ")")
        + (plan.keeps().isEmpty() ? "" : "; " + Plural.count(plan.keeps().size(), "file") + " kept despite a rule (see report.md)"));
    return Removals.of(removals);
  }

  /** What the rule judged as a whole: the unused distribution, the unreached sub-package; else null. */
  private static String unit(PrunePlan.Deletion d, ModuleReach.Result modules) {
    if (d.rule() == Rule.UNUSED) {
      return d.distribution();
    }
    if (d.rule() == Rule.UNREACHED_MODULE && modules != null) {
      String unit = modules.unreachedUnitOf(d.path());
      return unit == null || unit.equals(d.path()) ? unit : unit + "/";
    }
    return null;
  }

  /** {@code --prune-modules}: the sub-packages nothing reaches, from the handler, the smoke run and the rules. */
  private ModuleReach.Result modules(BuildContext ctx) throws IOException {
    if (handlers.isEmpty()) {
      var words = ctx.vocabulary();
      ctx.warn(name(), words.option("prune-modules") + " needs a " + words.option("handler")
          + ": no sub-package is removed");
      return null;
    }
    return ModuleReach.analyse(new ModuleReach.Input(install.tree(), install.ownership(),
        ModuleEvidence.handlerSources(handlers), loaded.files(), System.getenv("MPLBACKEND")));
  }

  /** With --drop-runtime-provided: the runtime's own boto3 &amp; co. replace the layer's copies. */
  private void dropRuntimeProvided(BuildContext ctx, Map<String, Removals.Removal> removals) {
    Set<String> runtime = usage.runtimeProvided();
    long n = 0;
    for (FileEntry f : install.tree().files()) {
      String owner = install.ownership().ownerOf(f.path());
      if (runtime.contains(owner) && !rules.keep().contains(owner)) {
        removals.put(f.path(), new Removals.Removal(RUNTIME_PROVIDED,
            owner + " is provided by the Lambda runtime (" + ctx.vocabulary().option("drop-runtime-provided")
                + ")"));
        n++;
      }
    }
    ctx.info(name(), ctx.vocabulary().option("drop-runtime-provided") + ": " + Plural.count(n, "file") + " of " + new java.util.TreeSet<>(runtime)
        + " left out; the runtime's copies are used");
  }
}
