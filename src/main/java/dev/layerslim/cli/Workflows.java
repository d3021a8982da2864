package dev.layerslim.cli;

import dev.layerslim.archive.ZipStep;
import dev.layerslim.install.InstallStep;
import dev.layerslim.pipeline.Step;
import dev.layerslim.prune.PruneStep;
import dev.layerslim.report.ReportStep;
import dev.layerslim.stage.StageStep;
import java.util.List;

/** The one place that lists the pipeline's steps, in order. */
final class Workflows {
  private Workflows() {}

  /** {@code layerslim build}: install → prune → stage → zip → report. */
  static List<Step> build() {
    return List.of(
        new InstallStep(),
        new PruneStep(),
        new StageStep(),
        new ZipStep(),
        new ReportStep());
  }

  /** {@code --dry-run} ({@code build} and {@code prune}): install → prune → report; no layer, no zip. */
  static List<Step> plan() {
    return List.of(
        new InstallStep(),
        new PruneStep(),
        new ReportStep());
  }
}
