package dev.layerslim.smoke;

import dev.layerslim.layer.Plural;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.pipeline.Removals;
import dev.layerslim.pipeline.SmokeLoaded;
import dev.layerslim.pipeline.Step;
import dev.layerslim.python.ImportProbe;
import dev.layerslim.python.TargetPython;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * For {@code --prune-modules}: runs the smoke test's imports (and the handler's call on
 * {@code --smoke-event}) over the unpruned input, without loading ELF objects, and returns the
 * {@code .py} files it loaded: evidence that their sub-packages are reached, for the prune step.
 * When it cannot run here or fails, there is no evidence (a warning), and only the static analysis
 * and the rules decide; the smoke test of the layer still checks the result.
 */
public final class SmokeEvidenceStep implements Step<SmokeLoaded> {
  private final InstallResult install;
  private final SmokeInputs inputs;

  /** Imports from the unpruned {@code install} as {@code inputs} say. */
  public SmokeEvidenceStep(InstallResult install, SmokeInputs inputs) {
    this.install = install;
    this.inputs = inputs;
  }

  @Override
  public String name() {
    return "smoke-evidence";
  }

  @Override
  public String title() {
    return "Importing the input to see which modules load";
  }

  @Override
  public SmokeLoaded run(BuildContext ctx) throws IOException {
    if (!inputs.smoke().smoke()) {
      ctx.warn(name(), ctx.vocabulary().option("prune-modules") + " without the smoke test: only the static import closure and the rules "
          + "decide which sub-packages stay, and nothing checks the layer afterwards");
      return SmokeLoaded.none();
    }
    TargetPython tp = TargetPython.find(ctx.processes(), inputs.target(), inputs.pythonExe());
    if (tp.problem() != null) {
      ctx.warn(name(), ctx.vocabulary().option("prune-modules") + ": no smoke run on this host (" + tp.problem()
          + "): only the static import closure and the rules decide which sub-packages stay");
      return SmokeLoaded.none();
    }
    ImportProbe.Spec spec = SmokeSpecs.forSource(inputs, ctx.workDir(), install.sourceRoot(), install.tree(),
        Removals.none(), tp.interpreter().command()).withTree(install.sourceRoot(), List.of());
    ImportProbe.Result r = ImportProbe.run(ctx.processes(), spec);
    if (!r.passed()) {
      ctx.warn(name(), ctx.vocabulary().option("prune-modules") + ": the smoke run of the unpruned tree failed ("
          + String.join("; ", r.failures().stream().map(Object::toString).toList())
          + "): its loaded modules are not used as evidence");
      return SmokeLoaded.none();
    }
    ctx.stepSummary(Plural.count(r.loaded().size(), "module") + " loaded");
    return new SmokeLoaded(new LinkedHashSet<>(r.loaded()));
  }
}
