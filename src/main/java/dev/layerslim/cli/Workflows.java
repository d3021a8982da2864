package dev.layerslim.cli;

import dev.layerslim.archive.ZipPrefetch;
import dev.layerslim.archive.ZipStep;
import dev.layerslim.audit.AuditStep;
import dev.layerslim.bytecode.BytecodeStep;
import dev.layerslim.compat.CompatStep;
import dev.layerslim.install.InstallStep;
import dev.layerslim.pipeline.Step;
import dev.layerslim.prune.PruneStep;
import dev.layerslim.report.ReportStep;
import dev.layerslim.smoke.SmokeAfterStep;
import dev.layerslim.smoke.SmokeBeforeStep;
import dev.layerslim.stage.StageStep;
import dev.layerslim.strip.StripStep;
import java.util.List;

/** The one place that lists the pipeline's steps, in order. */
final class Workflows {
  private Workflows() {}

  /**
   * Tests only: rewrites the step list (to insert a step that plans removals, say). Identity in
   * production.
   */
  static java.util.function.UnaryOperator<List<Step>> testSteps = java.util.function.UnaryOperator.identity();

  /**
   * {@code layerslim build}: install → audit → prune → smoke-before → stage → strip → (zip-prefetch) → smoke-after (heal) →
   * bytecode → compat → zip → report.
   */
  static List<Step> build() {
    return testSteps.apply(List.of(
        new InstallStep(),
        new AuditStep(),
        new PruneStep(),
        new SmokeBeforeStep(),
        new StageStep(),
        new StripStep(),
        new ZipPrefetch(),
        new SmokeAfterStep(),
        new BytecodeStep(),
        new CompatStep(),
        new ZipStep(),
        new ReportStep()));
  }

  /** {@code --dry-run} ({@code build} and {@code prune}): install → audit → prune → report; no layer, no zip. */
  static List<Step> plan() {
    return List.of(
        new InstallStep(),
        new AuditStep(),
        new PruneStep(),
        new ReportStep());
  }
}
