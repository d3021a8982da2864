package dev.layerslim.pipeline;

import dev.layerslim.error.LayerslimException;
import java.io.IOException;

/**
 * One step of the pipeline. A step is constructed with the results of the earlier steps it reads
 * and the group of options it acts on ({@link InstallOptions}, {@link PruneOptions},
 * {@link CompatOptions}, a thread count…): its constructor is its input list. It does its work and
 * returns what it produced as a value of type {@code R}. The seams it may use (events, processes,
 * scratch folder, report sections, the settings every step shares such as the target and the
 * vocabulary) come from the {@link BuildContext}; a step never prints.
 *
 * @param <R> what the step produces, a record of its results
 */
public interface Step<R> {

  /** The short name used in logs and in report.json {@code steps}: {@code install}, {@code zip}. */
  String name();

  /** A title for people: {@code Installing requirements}. */
  default String title() {
    return name();
  }

  /**
   * Does the step's work.
   *
   * @throws LayerslimException with the exit code the failure deserves
   * @throws IOException for unexpected I/O failures (reported as a failed step, exit 3)
   */
  R run(BuildContext ctx) throws IOException;
}
