package dev.layerslim.smoke;

import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.pipeline.Removals;
import dev.layerslim.pipeline.SmokeBaseline;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.pipeline.Step;
import dev.layerslim.python.ImportProbe;
import dev.layerslim.python.TargetPython;
import java.io.IOException;

/**
 * Smoke test of the unpruned tree, before anything is changed: what works here is what the layer
 * must keep working. When it fails here, the input itself is broken and pruning is not to blame.
 * The tree (a user's site-packages, maybe) is only read: the interpreter runs with {@code -I -B}.
 */
public final class SmokeBeforeStep implements Step<SmokeBaseline> {
  private final InstallResult install;
  private final Removals removals;

  public SmokeBeforeStep(InstallResult install, Removals removals) {
    this.install = install;
    this.removals = removals;
  }


  @Override
  public String name() {
    return "smoke-before";
  }

  @Override
  public String title() {
    return "Smoke-testing the input before any change";
  }

  @Override
  public SmokeBaseline run(BuildContext ctx) throws IOException {
    TargetPython tp = TargetPython.find(ctx.processes(), ctx.options().target(), ctx.options().pythonExe());
    if (tp.problem() != null) {
      BuildOptions o = ctx.options();
      if (o.smokeRequired()) {
        String how = o.target().arch() != dev.layerslim.layer.Arch.host()
            ? "; for a real smoke test of an " + o.target().arch().lambdaName() + " layer, run layerslim on an "
                + o.target().arch().lambdaName() + " machine (GitHub has " + o.target().arch().lambdaName()
                + " runners)"
            : "";
        String msg = "the smoke test was asked for (" + (o.handlerFunction() != null ? "--handler-function "
            + o.handlerFunction() : "smoke-test") + ") but cannot run: " + tp.problem() + how
            + ". Pass --no-smoke (action input smoke-test: false) to build without it on purpose";
        // a --python-exe that is no usable interpreter is the user's input; anything else is the host's
        throw o.pythonExe() != null ? LayerslimException.usage(msg) : LayerslimException.stepFailed(msg);
      }
      ctx.warn(name(), "smoke test skipped: " + tp.problem());
      ctx.stepSummary("skipped: " + tp.problem());
      return SmokeBaseline.skipped(tp.problem());
    }
    ImportProbe.Spec spec = SmokeSpecs.forSource(ctx.options(), ctx.workDir(), install.sourceRoot(), install.tree(),
        removals, tp.interpreter().exe());
    if (spec.imports().isEmpty() && spec.handlerFunction() == null && spec.script() == null) {
      ctx.warn(name(), "nothing to import (no --handler, --handler-function, --smoke-import or --smoke-script): "
          + "the smoke test only loads the ELF objects, and --bytecode cold-path has no modules to compile");
    }
    ImportProbe.Result before = ImportProbe.run(ctx.processes(), spec);
    if (before.failures().stream().anyMatch(f -> f.check().equals("timeout"))) {
      throw LayerslimException.stepFailed("the smoke test of the input was killed after "
          + spec.timeout().toSeconds() + " s (--smoke-timeout): raise the timeout or make the smoke script faster");
    }
    if (!before.passed()) {
      throw LayerslimException.stepFailed("the input fails before any pruning: "
          + Healer.failureDetails(before, before) + " (layerslim has changed nothing yet: fix the requirements, "
          + "the handler or the smoke options)");
    }
    if (!before.dlopenFailed().isEmpty()) {
      ctx.info(name(), before.dlopenFailed().size() + " of " + before.dlopenChecked()
          + " ELF objects fail to load even in the unpruned tree; only new failures count after pruning");
    }
    ctx.stepSummary(before.imports().size() + " imports in " + before.importMillis() + " ms, "
        + (before.dlopenChecked() - before.dlopenFailed().size()) + " of " + before.dlopenChecked()
        + " ELF objects load");
    return new SmokeBaseline(spec, before, null);
  }
}
