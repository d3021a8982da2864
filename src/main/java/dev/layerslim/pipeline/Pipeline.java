package dev.layerslim.pipeline;

import java.io.IOException;
import java.util.List;

/** Runs steps in order, timing each and telling the event sink where it is. */
public final class Pipeline {
  private final List<Step> steps;

  public Pipeline(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  public List<Step> steps() {
    return steps;
  }

  /** Runs every step; the first failure ends the run with its exception. */
  public void run(BuildContext ctx) {
    for (Step step : steps) {
      String skip = step.skipReason(ctx);
      if (skip != null) {
        ctx.events().emit(new Event.StepSkipped(step.name(), skip));
        continue;
      }
      ctx.events().emit(new Event.StepStarted(step.name(), step.title()));
      long start = System.nanoTime();
      try {
        step.run(ctx);
      } catch (IOException e) {
        throw LayerslimException.stepFailed(step.name() + " failed: " + e, e);
      } catch (java.io.UncheckedIOException e) {
        throw LayerslimException.stepFailed(step.name() + " failed: " + e.getCause(), e);
      } finally {
        long millis = (System.nanoTime() - start) / 1_000_000;
        ctx.recordStepTime(step.name(), millis);
      }
      ctx.events().emit(new Event.StepFinished(step.name(), ctx.stepTimes().get(step.name()),
          ctx.takeStepSummary()));
    }
  }
}
