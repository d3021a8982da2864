package dev.layerslim.pipeline;

/**
 * The one exception type of layerslim: it carries the exit code the CLI ends with.
 *
 * <p>{@link #usage} is for bad options and input (exit 2), {@link #stepFailed} for a step that could
 * not do its work (exit 3). The message is meant for a person: what was wrong, with which file or
 * option, and what to do.
 */
public final class LayerslimException extends RuntimeException {
  public static final int EXIT_OK = 0;
  public static final int EXIT_LIMIT = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_STEP_FAILED = 3;

  private final int exitCode;

  public LayerslimException(int exitCode, String message) {
    this(exitCode, message, null);
  }

  public LayerslimException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public static LayerslimException usage(String message) {
    return new LayerslimException(EXIT_USAGE, message);
  }

  public static LayerslimException stepFailed(String message) {
    return new LayerslimException(EXIT_STEP_FAILED, message);
  }

  public static LayerslimException stepFailed(String message, Throwable cause) {
    return new LayerslimException(EXIT_STEP_FAILED, message, cause);
  }

  public int exitCode() {
    return exitCode;
  }
}
