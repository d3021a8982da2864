package dev.layerslim.cli;

import dev.layerslim.archive.ZipStep;
import dev.layerslim.audit.AuditStep;
import dev.layerslim.compat.CompatStep;
import dev.layerslim.install.InstallStep;
import dev.layerslim.pipeline.Step;
import dev.layerslim.report.ReportStep;
import dev.layerslim.stage.StageStep;
import dev.layerslim.strip.StripStep;
import java.util.List;

/** The one place that lists the pipeline's steps, in order. */
final class Workflows {
  private Workflows() {}

  /** {@code layerslim build}: install → audit → stage → strip → compat → zip → report. */
  static List<Step> build() {
    return List.of(
        new InstallStep(),
        new AuditStep(),
        new StageStep(),
        new StripStep(),
        new CompatStep(),
        new ZipStep(),
        new ReportStep());
  }
}
