package dev.layerslim.smoke;

import dev.layerslim.layer.Plural;
import dev.layerslim.reportfile.Markdown;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.layer.Names;
import dev.layerslim.layer.Trees;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BytecodeMode;
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.pipeline.Removals;
import dev.layerslim.pipeline.SmokePlan;
import dev.layerslim.pipeline.SmokeResult;
import dev.layerslim.pipeline.StagedLayer;
import dev.layerslim.pipeline.Step;
import dev.layerslim.reportfile.Report;
import dev.layerslim.python.ImportProbe;
import java.io.IOException;
import java.util.List;

/**
 * Smoke test of the staged (pruned, stripped) layer. When it passes cleanly, that is all: the
 * input is not tested at all (one import of the whole stack fewer on every build). When it fails,
 * the same test runs on the unpruned input: a failure there is the input's own (exit 3, layerslim
 * changed nothing that matters); a failure only in the layer is damage, and the {@link Healer} finds
 * the change that broke it and undoes it; the layer goes on, and the report says which rule broke
 * which import. Writes the {@code smoke} section of report.json.
 */
public final class SmokeAfterStep implements Step<SmokeResult> {
  private final InstallResult install;
  private final Removals removals;
  private final StagedLayer layer;
  private final SmokePlan plan;
  private final BytecodeMode bytecode;

  /**
   * Tests {@code layer} (staged from {@code install} less {@code removals}, then stripped) as
   * {@code plan} says; the input, {@code install}, is tested only when the layer fails. Unless
   * {@code bytecode} is {@code none}, the pycs the import compiles are kept for the bytecode step.
   */
  public SmokeAfterStep(InstallResult install, Removals removals, StagedLayer layer, SmokePlan plan,
      BytecodeMode bytecode) {
    this.bytecode = bytecode;
    this.install = install;
    this.removals = removals;
    this.layer = layer;
    this.plan = plan;
  }

  @Override
  public String name() {
    return "smoke";
  }

  @Override
  public String title() {
    return "Smoke-testing the layer";
  }

  @Override
  public SmokeResult run(BuildContext ctx) throws IOException {
    ImportProbe.Spec spec = plan.spec().withTree(layer.root(), SmokeSpecs.elfObjects(layer.tree()));
    // the import compiles every module it loads from source (the layer holds no pyc yet): it keeps their
    // pycs, so the bytecode step need not compile the cold path a second time
    ImportProbe.PycCapture capture = bytecode == BytecodeMode.NONE ? null
        : new ImportProbe.PycCapture(Trees.emptyFolder(ctx.workDir().resolve("smoke-pycs")), Names.LAMBDA_LAYER_PYTHON);
    ImportProbe.Result after = ImportProbe.run(ctx.processes(), spec, capture);
    List<Healer.Healed> healed = List.of();
    StagedLayer healedLayer = layer;
    Removals kept = removals;
    ImportProbe.Result before = null;
    if (!after.passed() || !after.dlopenFailed().isEmpty()) {
      before = input(ctx);
    }
    if (before != null && !Healer.ok(before, after)) {
      ctx.warn(name(), "the layer fails where the input passed (" + Healer.failureDetails(before, after)
          + "): looking for the change that broke it");
      Healer.Outcome outcome = new Healer(ctx, install, layer.root(), removals, spec, before).heal(after);
      after = outcome.result();
      healed = outcome.healed();
      for (Healer.Healed h : healed) {
        ctx.warn(name(), h.sentence());
      }
      healedLayer = layer.rescan();
      kept = removals.without(outcome.restored());
    }
    ctx.reportSection(section(before, after, healed));
    ctx.markdownSection(60, markdown(before, after, healed));
    ctx.stepSummary("passed: " + what(spec, after) + ", " + (after.dlopenChecked()
        - after.dlopenFailed().size()) + " of " + Plural.count(after.dlopenChecked(), "ELF object")
        + (after.dlopenChecked() - after.dlopenFailed().size() == 1 ? " loads" : " load")
        + (healed.isEmpty() ? "" : ", " + Plural.count(healed.stream().mapToInt(h -> h.files().size()).sum(), "removed file")
            + " kept to heal it"));
    return new SmokeResult(healedLayer, kept,
        spec.withTree(healedLayer.root(), SmokeSpecs.elfObjects(healedLayer.tree())), before, after, null);
  }

  /**
   * The same test on the unpruned input, run because the layer failed: a failure there is the
   * input's own, and layerslim is not to blame.
   */
  private ImportProbe.Result input(BuildContext ctx) throws IOException {
    ImportProbe.Spec spec = plan.spec();
    ctx.info(name(), "the layer fails a check: testing the unpruned input the same way to tell damage from what "
        + "was broken already");
    ImportProbe.Result before = ImportProbe.run(ctx.processes(), spec);
    for (ImportProbe.Failure f : before.failures()) {
      if (f.check().equals("timeout")) {
        // the failure says which phase hung: an import, the handler's call on the event, the smoke script
        throw LayerslimException.stepFailed("smoke test of the input: " + f.error() + ": raise --smoke-timeout, "
            + "or find why it does not end (run it alone with layerslim smoke)");
      }
    }
    if (!before.passed()) {
      throw LayerslimException.stepFailed("the input fails before any pruning: "
          + Healer.failureDetails(before, before) + " (layerslim's changes are not to blame: fix the requirements, "
          + "the handler or the smoke options)");
    }
    if (!before.dlopenFailed().isEmpty()) {
      ctx.info(name(), before.dlopenFailed().size() + " of " + Plural.count(before.dlopenChecked(), "ELF object")
          + (before.dlopenFailed().size() == 1 ? " fails" : " fail") + " to load even in the unpruned tree; only new failures count after pruning");
    }
    return before;
  }

  static Report.Smoke section(ImportProbe.Result before, ImportProbe.Result after, List<Healer.Healed> healed) {
    List<Report.Healed> h = new java.util.ArrayList<>();
    for (Healer.Healed x : healed) {
      h.add(new Report.Healed(x.rule(), x.path(), x.files().size(), x.check(), x.reason()));
    }
    return new Report.Smoke(true, null, after.passed(), after.imports(), after.importMillis(),
        before != null ? before.importMillis() : null, slowest(after),
        new Report.Dlopen(after.dlopenChecked(), before != null ? (long) before.dlopenFailed().size() : null,
            after.dlopenFailed().keySet().stream().sorted().toList()), h, null);
  }

  /** The slowest modules of an import, for the report. */
  public static List<Report.ModuleTime> slowest(ImportProbe.Result r) {
    return r.slowest().stream().map(t -> new Report.ModuleTime(t.module(), t.selfMicros(), t.cumulativeMicros()))
        .toList();
  }

  /**
   * What the passed smoke test did, in the user's terms: {@code imported app, called app.handler with
   * event.json}.
   */
  static String what(ImportProbe.Spec spec, ImportProbe.Result after) {
    List<String> imports = after.imports();
    String did = imports.isEmpty() ? "no imports" : "imported " + (imports.size() <= 3 ? String.join(", ", imports)
        : String.join(", ", imports.subList(0, 3)) + " and " + (imports.size() - 3) + " more");
    if (spec.handlerFunction() != null && spec.event() != null) {
      did += ", called " + spec.handlerFunction() + " with " + spec.event().getFileName();
    } else if (spec.handlerFunction() != null) {
      did += ", " + spec.handlerFunction() + " resolves (not called: no sample event)";
    }
    return did;
  }

  private static String markdown(ImportProbe.Result before, ImportProbe.Result after, List<Healer.Healed> healed) {
    StringBuilder md = new StringBuilder("## Smoke test\n\n");
    md.append("✅ passed: ").append(after.imports().isEmpty() ? "no imports"
        : String.join(", ", after.imports().stream().map(i -> Markdown.code("import " + i)).toList())).append("; ")
        .append(after.dlopenChecked() - after.dlopenFailed().size()).append(" of ").append(Plural.count(after.dlopenChecked(), "ELF object"))
        .append(after.dlopenChecked() - after.dlopenFailed().size() == 1 ? " loads" : " load").append(before == null ? ".\n"
            : " (" + before.dlopenFailed().size() + " failed before any change).\n");
    if (!healed.isEmpty()) {
      md.append("\nHealed (these changes broke the layer and were undone):\n\n");
      for (Healer.Healed x : healed) {
        md.append("- ").append(Markdown.text(x.sentence()).replace(Markdown.text(x.path()), Markdown.code(x.path())))
            .append('\n');
      }
    }
    return md.toString();
  }
}
