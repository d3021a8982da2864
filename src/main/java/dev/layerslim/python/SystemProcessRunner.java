package dev.layerslim.python;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs real processes; stdout and stderr are merged, copied whole to the log file, and kept in
 * memory only as a bounded tail ({@link #TAIL_BYTES}), so a child printing gigabytes cannot exhaust
 * the heap. Output is drained on its own thread while the child runs, so a child never blocks on a
 * full pipe, and every child has a timeout ({@link #DEFAULT_TIMEOUT} when the request names none).
 *
 * <p>Children never outlive the build: a child and its descendants are killed when it ends, times
 * out or the wait fails; a shutdown hook kills whatever still runs when the JVM exits (SIGTERM,
 * SIGINT, System.exit); and where {@code setpriv} is on the PATH each child is started through
 * {@code setpriv --pdeathsig KILL}, so the kernel kills it even when the JVM itself is killed with
 * SIGKILL and no hook runs.
 */
public final class SystemProcessRunner implements ProcessRunner {
  /** How much of a child's output is kept in memory: the end, where the error usually is. */
  static final int TAIL_BYTES = 64 * 1024;
  /** A line longer than this reaches {@code onLine} cut short. */
  static final int MAX_LINE_BYTES = 16 * 1024;
  /** For a request that names no timeout: nothing layerslim starts should run longer. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofHours(2);

  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
  static final List<String> DEATH_SIGNAL = deathSignalWrapper();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(SystemProcessRunner::killTree),
        "kill-children"));
  }

  /** {@code setpriv --pdeathsig KILL --} when util-linux's setpriv is on the PATH, else nothing. */
  private static List<String> deathSignalWrapper() {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return List.of();
    }
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/bin:/bin" : path).split(":")) {
      Path exe = Path.of(dir.isEmpty() ? "." : dir, "setpriv");
      if (Files.isRegularFile(exe) && Files.isExecutable(exe)) {
        return List.of(exe.toString(), "--pdeathsig", "KILL", "--");
      }
    }
    return List.of();
  }

  /** The command as started: behind the death-signal wrapper when there is one. */
  static List<String> wrapped(List<String> command) {
    List<String> cmd = new ArrayList<>(DEATH_SIGNAL);
    cmd.addAll(command);
    return cmd;
  }

  @Override
  public ProcessResult run(ProcessRequest request) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(wrapped(request.command())).redirectErrorStream(true);
    if (request.workingDir() != null) {
      pb.directory(request.workingDir().toFile());
    }
    pb.environment().putAll(request.env());
    if (!DEATH_SIGNAL.isEmpty()) {
      // the wrapper would start and fail on its own: a missing program stays an IOException here
      checkStartable(request.command().get(0), pb.environment().get("PATH"), request.workingDir());
    }
    Duration timeout = request.timeout() != null ? request.timeout() : DEFAULT_TIMEOUT;
    long start = System.nanoTime();
    Process process = pb.start();
    RUNNING.add(process);
    Tail captured = new Tail(TAIL_BYTES);
    OutputStream log = OutputStream.nullOutputStream();
    boolean timedOut = false;
    try {
      if (request.logFile() != null) {
        log = Files.newOutputStream(request.logFile(), java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      }
      OutputStream logOut = log;
      Thread pump = new Thread(() -> (request.redact() == null ? new Pump(captured, logOut, request.onLine())
          : new RedactingPump(captured, logOut, request.onLine(), request.redact())).drain(process.getInputStream()),
          "process-output");
      pump.setDaemon(true);
      pump.start();
      try {
        // nothing to read: a child that asks (a prompt) sees end of input instead of waiting for its timeout
        process.getOutputStream().close();
      } catch (IOException e) {
        // the child already ended: what it did is in its output and exit code
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        timedOut = true;
        killTree(process);
      } else {
        // whatever the child left running, but not the child: Process.destroy closes our end of its
        // pipe even after it exited, and output the pump had not read yet was lost (1 run in ~60)
        killDescendants(process);
      }
      process.waitFor();
      // once the child is gone its output is in memory (the JDK drains the pipe when it exits), so the
      // pump ends within moments, unless something it left behind still holds the pipe open: then
      // closing our end stops the pump, with what the child printed already read
      pump.join(timedOut ? 10_000 : 2_000);
      if (pump.isAlive()) {
        process.destroyForcibly();
        pump.join(1_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + request.command().get(0), e);
    } finally {
      killTree(process);
      RUNNING.remove(process);
      log.close();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new ProcessResult(timedOut ? -1 : process.exitValue(), captured.text(), timedOut, millis);
  }

  /** Throws what {@link ProcessBuilder#start} would for a program that cannot be run. */
  private static void checkStartable(String program, String path, Path workingDir) throws IOException {
    boolean found;
    if (program.contains("/")) {
      Path p = Path.of(program);
      if (!p.isAbsolute() && workingDir != null) {
        p = workingDir.resolve(p);
      }
      found = Files.isRegularFile(p) && Files.isExecutable(p);
    } else {
      found = false;
      for (String dir : (path == null ? "" : path).split(":")) {
        Path p = Path.of(dir.isEmpty() ? "." : dir, program);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          found = true;
          break;
        }
      }
    }
    if (!found) {
      throw new IOException("Cannot run program \"" + program + "\": error=2, No such file or directory");
    }
  }

  /** Kills {@code p}'s descendants and then {@code p}, forcibly. */
  private static void killTree(Process p) {
    killDescendants(p);
    p.destroyForcibly();
  }

  private static void killDescendants(Process p) {
    try {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
    } catch (RuntimeException e) {
      // the process table may be unreadable; the process itself still goes
    }
  }

  /**
   * The last {@code limit} bytes written, and how many came before them. Thread safe: the pump
   * writes while {@link #text} may be read after a time out.
   */
  static final class Tail {
    private final byte[] ring;
    private long total;

    Tail(int limit) {
      ring = new byte[limit];
    }

    synchronized void write(byte[] b, int off, int len) {
      int skip = Math.max(0, len - ring.length); // only the last ring.length bytes can stay
      total += skip;
      off += skip;
      len -= skip;
      int at = (int) (total % ring.length);
      int first = Math.min(len, ring.length - at);
      System.arraycopy(b, off, ring, at, first);
      System.arraycopy(b, off + first, ring, 0, len - first);
      total += len;
    }

    synchronized long dropped() {
      return Math.max(0, total - ring.length);
    }

    /** The kept bytes as text, led by a line saying how much was dropped when anything was. */
    synchronized String text() {
      int n = (int) Math.min(total, ring.length);
      byte[] out = new byte[n];
      long from = total - n;
      for (int i = 0; i < n; i++) {
        out[i] = ring[(int) ((from + i) % ring.length)];
      }
      String s = new String(out, StandardCharsets.UTF_8);
      return dropped() == 0 ? s : "[" + dropped() + " earlier bytes of output not kept in memory]\n" + s;
    }
  }

  /**
   * Drains a child's output: the tail in memory, the whole into the log file, each line to the
   * listener. A full disk stops the log, never the draining.
   */
  private static class Pump {
    final Tail captured;
    final OutputStream log;
    final java.util.function.Consumer<String> onLine;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean logOk = true;

    Pump(Tail captured, OutputStream log, java.util.function.Consumer<String> onLine) {
      this.captured = captured;
      this.log = log;
      this.onLine = onLine;
    }

    final void drain(InputStream in) {
      byte[] buf = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buf)) > 0) {
          take(buf, n);
        }
      } catch (IOException ignored) {
        // the process ended or was killed; what was read is kept
      }
      end();
    }

    void take(byte[] buf, int n) {
      write(buf, 0, n);
      if (onLine != null) {
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n' || buf[i] == '\r') {
            if (line.size() > 0) {
              onLine.accept(line.toString(StandardCharsets.UTF_8));
              line.reset();
            }
          } else if (line.size() < MAX_LINE_BYTES) {
            line.write(buf[i]);
          }
        }
      }
    }

    void end() {
      if (onLine != null && line.size() > 0) {
        onLine.accept(line.toString(StandardCharsets.UTF_8));
      }
    }

    /** To the tail and the log, as given. */
    final void write(byte[] b, int off, int len) {
      captured.write(b, off, len);
      if (logOk) {
        try {
          log.write(b, off, len);
        } catch (IOException e) {
          logOk = false;
        }
      }
    }
  }

  /**
   * A pump that rewrites every line before the tail, the log or the listener sees it, so a
   * credential the child prints is never written. A line with nothing to redact is written byte for
   * byte; one that is not UTF-8 is read a char a byte (ISO-8859-1), so ASCII secrets still match.
   */
  private static final class RedactingPump extends Pump {
    /** A line longer than this is redacted and written in parts: a child's output is never held whole. */
    static final int MAX_HELD_BYTES = 1 << 20;
    private final java.util.function.UnaryOperator<String> redact;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();

    RedactingPump(Tail captured, OutputStream log, java.util.function.Consumer<String> onLine,
        java.util.function.UnaryOperator<String> redact) {
      super(captured, log, onLine);
      this.redact = redact;
    }

    @Override
    void take(byte[] buf, int n) {
      for (int i = 0; i < n; i++) {
        byte c = buf[i];
        if (c == '\n' || c == '\r') {
          flushLine();
          write(buf, i, 1);
        } else {
          held.write(c);
          if (held.size() >= MAX_HELD_BYTES) {
            flushLine();
          }
        }
      }
    }

    @Override
    void end() {
      flushLine();
    }

    private void flushLine() {
      if (held.size() == 0) {
        return;
      }
      byte[] bytes = held.toByteArray();
      held.reset();
      java.nio.charset.Charset cs = StandardCharsets.UTF_8;
      String raw;
      try {
        raw = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      } catch (java.nio.charset.CharacterCodingException e) {
        cs = StandardCharsets.ISO_8859_1; // not UTF-8: byte for byte, so ASCII secrets still match
        raw = new String(bytes, cs);
      }
      String redacted = redact.apply(raw);
      byte[] safe = redacted.equals(raw) ? bytes : redacted.getBytes(cs);
      write(safe, 0, safe.length);
      if (onLine != null) {
        String text = new String(safe, StandardCharsets.UTF_8);
        onLine.accept(text.length() > MAX_LINE_BYTES ? text.substring(0, MAX_LINE_BYTES) : text);
      }
    }
  }
}
