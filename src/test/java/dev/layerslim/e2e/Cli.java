package dev.layerslim.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The layerslim command line as users run it, in a child process: the native binary named by the
 * system property {@code layerslim.bin} when it is set, else {@code java -jar} on the jar the package
 * phase built ({@code layerslim.jar}, default {@code target/layerslim.jar}) with the flags bin/layerslim
 * uses. The child's environment is this one without the runner's own variables (GITHUB_*, INPUT_*,
 * RUNNER_*), so a test run inside GitHub Actions does not write into the real job's files.
 */
final class Cli {
  /** One run: exit code, standard output, standard error. */
  record Result(int code, String out, String err) {
    String both() {
      return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private final List<String> command;
  private final String label;

  private Cli(List<String> command, String label) {
    this.command = command;
    this.label = label;
  }

  /** What this suite tests: the binary when {@code layerslim.bin} is set, else the jar. */
  static Cli underTest() {
    String bin = System.getProperty("layerslim.bin", "");
    return bin.isBlank() ? jar() : binary(Path.of(bin));
  }

  /** Whether the suite runs against a native binary. */
  static boolean nativeBinary() {
    return !System.getProperty("layerslim.bin", "").isBlank();
  }

  static Cli binary(Path bin) {
    Path b = bin.toAbsolutePath();
    if (!Files.isExecutable(b)) {
      throw new IllegalStateException("layerslim.bin=" + bin + " is not an executable file");
    }
    return new Cli(List.of(b.toString()), "native " + b);
  }

  /** The shaded jar on this JVM, with bin/layerslim's flags (the same 384 MiB heap bound as the binary). */
  static Cli jar() {
    Path jar = Path.of(System.getProperty("layerslim.jar", "target/layerslim.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " not found: the end-to-end suite runs after the package phase "
          + "(mvn -B verify), or set -Dlayerslim.jar");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new Cli(List.of(java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()),
        "jar " + jar);
  }

  @Override
  public String toString() {
    return label;
  }

  Result run(Path workDir, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(command);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    Map<String, String> e = pb.environment();
    e.keySet().removeIf(k -> k.startsWith("GITHUB_") || k.startsWith("INPUT_") || k.startsWith("RUNNER_")
        || k.startsWith("LAYERSLIM_") || k.startsWith("PIP_") || k.equals("CI"));
    e.put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
    e.put("PIP_NO_INPUT", "1");
    e.putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<String> out = read(p.getInputStream());
    CompletableFuture<String> err = read(p.getErrorStream());
    try {
      if (!p.waitFor(600, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out after 600 s: " + cmd);
      }
      return new Result(p.exitValue(), out.get(), err.get());
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IOException(ex);
    } catch (ExecutionException ex) {
      throw new IOException(ex.getCause());
    }
  }

  /**
   * Reads the stream to its end on a thread of its own: on the common pool (one thread on two cores) the
   * second stream would wait for the first, and a child that fills its stderr pipe meanwhile would hang.
   */
  private static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException ex) {
        throw new java.io.UncheckedIOException(ex);
      }
    }, task -> {
      Thread t = new Thread(task, "e2e-cli-output");
      t.setDaemon(true);
      t.start();
    });
  }
}
