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
   * <p>Which file wins: {@code INCOMPLETE} present means the folder holds no finished result, whatever
   * report.json says. Removing it is the build's last act in the folder ({@link OutputDir#complete}),
   * after every result is on disk; a build stopped by SIGTERM or SIGINT before that marks its report
   * failed and removes layer.zip from a shutdown hook; one stopped by SIGKILL (or a power cut) can
   * leave a report.json that says {@code "complete"} beside {@code INCOMPLETE}, and the marker wins.
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
    OutputDir.check(options.output(), options.install().sitePackages(), options.install().requirements() == null ? null
        : options.install().requirements().getParent() == null ? null : options.install().requirements());
    OutputDir.Lock lock = OutputDir.begin(options.output());
    try (lock) { // released after the folder is marked complete or failed, never before
      BuildContext ctx = new BuildContext(options, events, processes);
      Pipeline pipeline = new Pipeline(ctx);
      Ending ending = new Ending(options.output(), pipeline);
      ending.watch();
      try {
        T result;
        try {
          result = workflow.apply(pipeline);
        } catch (RuntimeException | Error e) {
          redact(options, ctx, e);
          ending.failed(e);
          throw e;
        }
        OutputDir.redact(options.output(), ctx.redactor());
        ending.complete();
        return new Outcome<>(ctx, result);
      } finally {
        ending.unwatch();
      }
    }
  }

  /** The output folder's text files redacted after a failed step; a failure to do so is added to the step's. */
  private static void redact(BuildOptions options, BuildContext ctx, Throwable e) {
    try {
      OutputDir.redact(options.output(), ctx.redactor());
    } catch (IOException | RuntimeException r) {
      e.addSuppressed(r);
    }
  }

  /**
   * How the build leaves its folder, decided once: complete, failed, or interrupted (SIGTERM, SIGINT:
   * the JVM's shutdown hooks run while the build's thread goes on, so the two never both write).
   */
  private static final class Ending {
    private final java.nio.file.Path output;
    private final Pipeline pipeline;
    private final Thread hook;
    private boolean settled;

    Ending(java.nio.file.Path output, Pipeline pipeline) {
      this.output = output;
      this.pipeline = pipeline;
      this.hook = new Thread(this::interrupted, "mark-output-interrupted");
    }

    void watch() {
      Runtime.getRuntime().addShutdownHook(hook);
    }

    void unwatch() {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook has run or runs now
      }
    }

    private synchronized void interrupted() {
      if (settled) {
        return;
      }
      settled = true;
      try {
        OutputDir.failed(output, pipeline.currentStep() + " (interrupted)");
      } catch (IOException | RuntimeException e) {
        // INCOMPLETE stays: the folder still reads as not finished
      }
    }

    synchronized void failed(Throwable e) {
      if (settled) {
        return;
      }
      settled = true;
      try {
        OutputDir.failed(output, pipeline.currentStep());
      } catch (IOException | RuntimeException cleanup) {
        // the step's own failure is what the user needs to hear about
        e.addSuppressed(cleanup);
      }
    }

    synchronized void complete() throws IOException {
      if (settled) { // interrupted meanwhile: the folder is marked failed, and the JVM is ending
        throw LayerslimException.stepFailed("the build was interrupted before it finished");
      }
      settled = true;
      OutputDir.complete(output);
    }
  }
}
