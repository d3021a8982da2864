package dev.layerslim.pipeline;

import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Runs steps one at a time over one {@link BuildContext}: times each, tells the event sink where
 * the build is, and turns an I/O failure into a failed step (exit 3). The order of a build, and
 * which result feeds which step, is written where the steps are wired (cli's {@code Workflows}).
 */
public final class Pipeline {
  private final BuildContext ctx;
  /** The step that is running, or ran last: a failure is reported against it. */
  private String current = "setup";

  public Pipeline(BuildContext ctx) {
    this.ctx = ctx;
  }

  public BuildContext context() {
    return ctx;
  }

  /** The name of the step running now (or the last one started): where a failure happened. */
  public String currentStep() {
    return current;
  }

  /**
   * Runs {@code step} and returns its result; the first failure ends the build with a
   * {@link LayerslimException} that names the step: an I/O failure is exit 3, anything unexpected
   * (a bug, {@link OutOfMemoryError}, {@link StackOverflowError}) exit 4.
   */
  public <R> R run(Step<R> step) {
    current = step.name();
    ctx.events().emit(new Event.StepStarted(step.name(), step.title()));
    long start = System.nanoTime();
    R result;
    try {
      result = step.run(ctx);
    } catch (LayerslimException e) {
      throw e.inStep(step.name());
    } catch (IOException e) {
      LayerslimException full = DiskFull.describe(e, step.name(), ctx.options());
      throw (full != null ? full : LayerslimException.stepFailed(step.name() + " failed: " + e, e)).inStep(step.name());
    } catch (UncheckedIOException e) {
      LayerslimException full = DiskFull.describe(e, step.name(), ctx.options());
      throw (full != null ? full : LayerslimException.stepFailed(step.name() + " failed: " + e.getCause(), e))
          .inStep(step.name());
    } catch (RuntimeException | Error e) {
      // a bug, or the JVM out of memory or stack: one line naming the step, exit 4
      throw LayerslimException.internal("step " + step.name(), e).inStep(step.name());
    } finally {
      ctx.recordStepTime(step.name(), (System.nanoTime() - start) / 1_000_000);
    }
    ctx.events().emit(new Event.StepFinished(step.name(), ctx.stepTimes().get(step.name()),
        ctx.takeStepSummary()));
    return result;
  }

  /** Records that {@code name} did not run and why; returns {@code unchanged} for the next step. */
  public <R> R skip(String name, String reason, R unchanged) {
    ctx.events().emit(new Event.StepSkipped(name, reason));
    return unchanged;
  }
}
