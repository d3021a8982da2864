package dev.layerslim.pipeline;

/**
 * What steps tell the outside world. Steps never print: they emit events, and the CLI decides how
 * an event looks on a terminal, in a CI log or as a GitHub Actions annotation.
 */
public sealed interface Event {

  /** How much a log line matters. */
  enum Level { DEBUG, INFO, WARN, ERROR }

  /** The step {@code step} begins. */
  record StepStarted(String step, String title) implements Event {}

  /** The step ended after {@code millis}; {@code summary} is one line for people, may be empty. */
  record StepFinished(String step, long millis, String summary) implements Event {}

  /** The step was not run; {@code reason} says why. */
  record StepSkipped(String step, String reason) implements Event {}

  /** A line of log. {@code file} is set when the line is about one file (for annotations). */
  record Log(Level level, String step, String message, String file) implements Event {}

  /** {@code done} of {@code total} units (files, bytes) of a long step. */
  record Progress(String step, long done, long total, String unit) implements Event {}
}
