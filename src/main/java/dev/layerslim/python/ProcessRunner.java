package dev.layerslim.python;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The one seam through which layerslim starts processes (pip, python3, strip).
 *
 * <p>Production uses {@link SystemProcessRunner}; tests may swap in a recording fake where the real
 * process cannot run here (an aarch64 pip install, say).
 */
@FunctionalInterface
public interface ProcessRunner {

  /**
   * Runs {@code request} to completion (or its timeout) and returns what it did.
   *
   * @throws IOException when the process cannot be started at all (missing executable)
   */
  ProcessResult run(ProcessRequest request) throws IOException;

  /**
   * What to run. {@code env} entries are added to (not replacing) the inherited environment;
   * {@code onLine}, when set, sees each line of output as it comes (for progress on long runs);
   * {@code redact}, when set, rewrites each line of output before anything sees it (the log file, the
   * result's output, {@code onLine}): a credential the child prints never reaches a file.
   */
  record ProcessRequest(
      List<String> command, Path workingDir, Map<String, String> env, Path logFile, Duration timeout,
      java.util.function.Consumer<String> onLine, java.util.function.UnaryOperator<String> redact) {

    public ProcessRequest {
      command = List.copyOf(command);
      env = env == null ? Map.of() : Map.copyOf(env);
    }

    public static ProcessRequest of(List<String> command) {
      return new ProcessRequest(command, null, Map.of(), null, null, null, null);
    }

    public ProcessRequest withEnv(Map<String, String> newEnv) {
      return new ProcessRequest(command, workingDir, newEnv, logFile, timeout, onLine, redact);
    }

    public ProcessRequest withLogFile(Path newLogFile) {
      return new ProcessRequest(command, workingDir, env, newLogFile, timeout, onLine, redact);
    }

    public ProcessRequest withTimeout(Duration newTimeout) {
      return new ProcessRequest(command, workingDir, env, logFile, newTimeout, onLine, redact);
    }

    public ProcessRequest withWorkingDir(Path dir) {
      return new ProcessRequest(command, dir, env, logFile, timeout, onLine, redact);
    }

    public ProcessRequest withOnLine(java.util.function.Consumer<String> listener) {
      return new ProcessRequest(command, workingDir, env, logFile, timeout, listener, redact);
    }

    public ProcessRequest withRedaction(java.util.function.UnaryOperator<String> newRedact) {
      return new ProcessRequest(command, workingDir, env, logFile, timeout, onLine, newRedact);
    }
  }

  /**
   * What a process did. {@code output} holds stdout and stderr merged (also written to the log
   * file when one was asked for); {@code timedOut} means it was killed at its timeout.
   */
  record ProcessResult(int exitCode, String output, boolean timedOut, long millis) {
    public boolean ok() {
      return exitCode == 0 && !timedOut;
    }

    /** The last {@code n} lines of the output, for error messages. */
    public String tail(int n) {
      String[] lines = output.split("\\R");
      int from = Math.max(0, lines.length - n);
      return String.join(System.lineSeparator(), java.util.Arrays.copyOfRange(lines, from, lines.length));
    }
  }
}
