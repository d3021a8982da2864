package dev.layerslim.python;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/** Runs real processes; stdout and stderr are merged, captured, and copied to the log file. */
public final class SystemProcessRunner implements ProcessRunner {

  @Override
  public ProcessResult run(ProcessRequest request) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(request.command()).redirectErrorStream(true);
    if (request.workingDir() != null) {
      pb.directory(request.workingDir().toFile());
    }
    pb.environment().putAll(request.env());
    long start = System.nanoTime();
    Process process = pb.start();
    if (request.stdin() != null) {
      try (OutputStream in = process.getOutputStream()) {
        in.write(request.stdin().getBytes(StandardCharsets.UTF_8));
      }
    } else {
      process.getOutputStream().close();
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    OutputStream log = request.logFile() == null ? OutputStream.nullOutputStream()
        : Files.newOutputStream(request.logFile(),
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    Thread pump = new Thread(() -> pump(process.getInputStream(), captured, log, request.onLine()), "process-output");
    pump.setDaemon(true);
    pump.start();
    boolean timedOut = false;
    try {
      if (request.timeout() == null) {
        process.waitFor();
      } else if (!process.waitFor(request.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        timedOut = true;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor();
      }
      pump.join(10_000);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + request.command().get(0), e);
    } finally {
      log.close();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    String out;
    synchronized (captured) {
      out = captured.toString(StandardCharsets.UTF_8);
    }
    return new ProcessResult(timedOut ? -1 : process.exitValue(), out, timedOut, millis);
  }

  private static void pump(InputStream in, ByteArrayOutputStream captured, OutputStream log,
      java.util.function.Consumer<String> onLine) {
    byte[] buf = new byte[8192];
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        synchronized (captured) {
          captured.write(buf, 0, n);
        }
        log.write(buf, 0, n);
        if (onLine != null) {
          for (int i = 0; i < n; i++) {
            if (buf[i] == '\n' || buf[i] == '\r') {
              if (line.size() > 0) {
                onLine.accept(line.toString(StandardCharsets.UTF_8));
                line.reset();
              }
            } else {
              line.write(buf[i]);
            }
          }
        }
      }
      if (onLine != null && line.size() > 0) {
        onLine.accept(line.toString(StandardCharsets.UTF_8));
      }
    } catch (IOException ignored) {
      // the process ended or was killed; what was read is kept
    }
  }
}
