package dev.layerslim.cli;

import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.EventSink;
import dev.layerslim.pipeline.LayerslimException;
import dev.layerslim.pipeline.Pipeline;
import dev.layerslim.pipeline.Step;
import dev.layerslim.python.ProcessRunner;
import java.io.IOException;
import java.util.List;

/** Runs a pipeline over an output folder and turns the outcome into an exit code. */
final class BuildRunner {
  private BuildRunner() {}

  /**
   * Runs {@code steps} for {@code options}.
   *
   * @return the finished context; its {@link BuildContext#failures()} decide exit 0 or 1
   * @throws LayerslimException for usage errors (2) and failed steps (3)
   */
  static BuildContext run(BuildOptions options, List<Step> steps, EventSink events, ProcessRunner processes)
      throws IOException {
    OutputDir.check(options.output, options.sitePackages, options.requirements == null ? null
        : options.requirements.getParent() == null ? null : options.requirements);
    OutputDir.Lock lock = OutputDir.begin(options.output);
    try (lock) { // released after the folder is marked complete or failed, never before
      BuildContext ctx = new BuildContext(options, events, processes);
      boolean ok = false;
      try {
        new Pipeline(steps).run(ctx);
        ok = true;
      } finally {
        ctx.close();
        if (ok) {
          OutputDir.complete(options.output);
        } else {
          OutputDir.failed(options.output, ctx.stepTimes().keySet().stream().reduce((a, b) -> b).orElse(null));
        }
      }
      return ctx;
    }
  }

  /** Exit 0 within limits, 1 when the check failed. */
  static int exitCode(BuildContext ctx) {
    return ctx.failures().isEmpty() ? LayerslimException.EXIT_OK : LayerslimException.EXIT_LIMIT;
  }
}
