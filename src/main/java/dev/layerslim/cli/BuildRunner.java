package dev.layerslim.cli;

import dev.layerslim.error.LayerslimException;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.EventSink;
import dev.layerslim.pipeline.Pipeline;
import dev.layerslim.python.ProcessRunner;
import java.io.IOException;
import java.util.function.Function;

/** Runs a workflow over an output folder and turns the outcome into an exit code. */
final class BuildRunner {
  private BuildRunner() {}

  /** A finished run: the context (failed checks, step times) and what the workflow returned. */
  record Outcome<T>(BuildContext ctx, T result) {
    /** Exit 0 within limits, 1 when a check failed. */
    int exitCode() {
      return ctx.failures().isEmpty() ? LayerslimException.EXIT_OK : LayerslimException.EXIT_LIMIT;
    }
  }

  /**
   * Runs {@code workflow} for {@code options} in its output folder: marked incomplete while it runs,
   * complete only when every step succeeded.
   *
   * @throws LayerslimException for usage errors (2) and failed steps (3)
   */
  static <T> Outcome<T> run(BuildOptions options, Function<Pipeline, T> workflow, EventSink events,
      ProcessRunner processes) throws IOException {
    // before anything is installed: a handler string no handler file gives fails now, not after the smoke test
    String handler = dev.layerslim.layer.HandlerModules.problem(options.handlers(), options.handlerFunction());
    if (handler != null) {
      throw LayerslimException.usage(options.vocabulary().set("handler-function", options.handlerFunction()) + ": "
          + handler);
    }
    OutputDir.check(options.output(), options.sitePackages(), options.requirements() == null ? null
        : options.requirements().getParent() == null ? null : options.requirements());
    OutputDir.Lock lock = OutputDir.begin(options.output());
    try (lock) { // released after the folder is marked complete or failed, never before
      BuildContext ctx = new BuildContext(options, events, processes);
      Pipeline pipeline = new Pipeline(ctx);
      T result;
      try {
        result = workflow.apply(pipeline);
      } catch (RuntimeException | Error e) {
        try {
          OutputDir.failed(options.output(), pipeline.currentStep());
        } catch (IOException | RuntimeException cleanup) {
          // the step's own failure is what the user needs to hear about
          e.addSuppressed(cleanup);
        }
        throw e;
      }
      OutputDir.complete(options.output());
      return new Outcome<>(ctx, result);
    }
  }
}
