package dev.layerslim.smoke;

import dev.layerslim.layer.Plural;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.pipeline.Removals;
import dev.layerslim.pipeline.SmokePlan;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.pipeline.Step;
import dev.layerslim.python.ImportProbe;
import dev.layerslim.python.TargetPython;
import java.io.IOException;

/**
 * Sets the smoke test up before anything is staged: finds the target's interpreter and plans what
 * it imports and which ELF objects of the input (those the prune plan keeps) it loads. It runs
 * nothing: the input itself is tested only when the layer fails ({@link SmokeAfterStep}), to tell
 * damage from what was broken already. A smoke test that was asked for and cannot run here fails
 * the build.
 */
public final class SmokeSetupStep implements Step<SmokePlan> {
  private final InstallResult install;
  private final Removals removals;
  private final SmokeInputs o;

  /** Plans the smoke test of what {@code removals} leaves of {@code install}, as {@code inputs} say. */
  public SmokeSetupStep(InstallResult install, Removals removals, SmokeInputs inputs) {
    this.install = install;
    this.removals = removals;
    this.o = inputs;
  }

  @Override
  public String name() {
    return "smoke-setup";
  }

  @Override
  public String title() {
    return "Setting up the smoke test";
  }

  @Override
  public SmokePlan run(BuildContext ctx) throws IOException {
    TargetPython tp = TargetPython.find(ctx.processes(), o.target(), o.pythonExe());
    if (tp.problem() != null) {
      if (o.smoke().required()) {
        String how = o.target().arch() != dev.layerslim.layer.Arch.host()
            ? "; for a real smoke test of an " + o.target().arch().lambdaName() + " layer, run layerslim on an "
                + o.target().arch().lambdaName() + " machine (GitHub has " + o.target().arch().lambdaName()
                + " runners)"
            : "";
        var words = ctx.vocabulary();
        String msg = "the smoke test was asked for (" + (o.handlerFunction() != null
            ? words.set("handler-function", o.handlerFunction()) : "smoke-test") + ") but cannot run: " + tp.problem()
            + how + ". Pass " + words.off("no-smoke") + " to build without it on purpose";
        // a --python-exe that is no usable interpreter is the user's input; anything else is the host's
        throw o.pythonExe() != null ? LayerslimException.usage(msg) : LayerslimException.stepFailed(msg);
      }
      ctx.warn(name(), "smoke test skipped: " + tp.problem());
      ctx.stepSummary("skipped: " + tp.problem());
      return SmokePlan.skipped(tp.problem());
    }
    ImportProbe.Spec spec = SmokeSpecs.forSource(o, ctx.workDir(), install.sourceRoot(), install.tree(),
        removals, tp.interpreter().command());
    if (spec.imports().isEmpty() && spec.handlerFunction() == null && spec.script() == null) {
      var words = ctx.vocabulary();
      ctx.warn(name(), "nothing to import (no " + words.option("handler") + ", " + words.option("handler-function")
          + ", " + words.option("smoke-import") + " or " + words.option("smoke-script") + "): "
          + "the smoke test only loads the ELF objects, and " + words.set("bytecode", "cold-path")
          + " has no modules to compile");
    }
    ctx.stepSummary("python" + o.target().python() + " at " + spec.python() + ": "
        + Plural.count(spec.imports().size(), "import") + ", " + Plural.count(spec.elf().size(), "ELF object") + " to load");
    return new SmokePlan(spec, null);
  }
}
