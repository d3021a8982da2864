package dev.layerslim.cli;

import dev.layerslim.archive.ZipStep;
import dev.layerslim.bytecode.BytecodeStep;
import dev.layerslim.install.InstallStep;
import dev.layerslim.pipeline.Step;
import dev.layerslim.report.ReportStep;
import dev.layerslim.smoke.SmokeAfterStep;
import dev.layerslim.smoke.SmokeBeforeStep;
import dev.layerslim.stage.StageStep;
import java.util.List;

/** The one place that lists the pipeline's steps, in order. */
final class Workflows {
  private Workflows() {}

  /**
   * Tests only: rewrites the step list (the prune rules live on another branch, so tests insert a
   * step that plans removals). Identity in production.
   */
  static java.util.function.UnaryOperator<List<Step>> testSteps = java.util.function.UnaryOperator.identity();

  /** {@code layerslim build}: install → smoke-before → stage → smoke-after (heal) → bytecode → zip → report. */
  static List<Step> build() {
    return testSteps.apply(List.of(
        new InstallStep(),
        new SmokeBeforeStep(),
        new StageStep(),
        new SmokeAfterStep(),
        new BytecodeStep(),
        new ZipStep(),
        new ReportStep()));
  }
}
