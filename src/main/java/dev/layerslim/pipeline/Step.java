package dev.layerslim.pipeline;

import java.io.IOException;

/**
 * One step of the pipeline. A step reads what earlier steps left in the {@link BuildContext},
 * does its work, records its result there, and emits events; it never prints.
 */
public interface Step {

  /** The short name used in logs and in report.json {@code steps}: {@code install}, {@code zip}. */
  String name();

  /** A title for people: {@code Installing requirements}. */
  default String title() {
    return name();
  }

  /** Null when the step runs; otherwise why it is skipped (e.g. {@code --no-strip}). */
  default String skipReason(BuildContext ctx) {
    return null;
  }

  /**
   * Does the step's work.
   *
   * @throws LayerslimException with the exit code the failure deserves
   * @throws IOException for unexpected I/O failures (reported as a failed step, exit 3)
   */
  void run(BuildContext ctx) throws IOException;
}
