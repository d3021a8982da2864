package dev.layerslim.error;

/**
 * The one exception type of layerslim: it carries the exit code the CLI ends with.
 *
 * <p>{@link #usage} is for bad options and input (exit 2), {@link #stepFailed} for a step that could
 * not do its work for an outside reason (exit 3), {@link #internal} for a bug in layerslim (exit 4).
 * The message is meant for a person: what was wrong, with which file or option, and what to do.
 * The pipeline records the step a failure happened in ({@link #step}).
 */
public final class LayerslimException extends RuntimeException {
  public static final int EXIT_OK = 0;
  public static final int EXIT_LIMIT = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_STEP_FAILED = 3;
  public static final int EXIT_INTERNAL = 4;

  private final int exitCode;
  private volatile String step;

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

  /**
   * A bug in layerslim (or the JVM running out of memory or stack) in {@code where}: one line for
   * people, the cause for {@code --stacktrace}.
   */
  public static LayerslimException internal(String where, Throwable cause) {
    String what = cause instanceof OutOfMemoryError ? "ran out of memory (raise the heap: -Xmx for the jar, "
        + "-XX:MaxHeapSize for the native binary)"
        : cause instanceof StackOverflowError ? "overflowed the stack"
        : "failed with " + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": "
            + firstLine(cause.getMessage()));
    LayerslimException e = new LayerslimException(EXIT_INTERNAL, "internal error: " + where + " " + what
        + " (a bug in layerslim; run with --stacktrace and report it)", cause);
    return e;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl) + " …";
  }

  public int exitCode() {
    return exitCode;
  }

  /** The pipeline step that failed, or null when the failure came before or after the steps. */
  public String step() {
    return step;
  }

  /** Records {@code name} as the failing step unless one is recorded already; returns this. */
  public LayerslimException inStep(String name) {
    if (step == null) {
      step = name;
    }
    return this;
  }
}
