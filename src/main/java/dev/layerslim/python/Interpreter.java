package dev.layerslim.python;

import dev.layerslim.layer.Target;
import dev.layerslim.error.LayerslimException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Python interpreter on this machine and what it is: version, glibc, architecture.
 *
 * @param exe the command to run it ({@code python3.11} or a path)
 * @param version {@code 3.11}
 * @param glibc {@code 2.36}, or {@code ""} when not linked against glibc
 * @param machine {@code x86_64} or {@code aarch64}
 * @param command what to run: the interpreter's own file ({@code sys.executable}) when it has one, so a
 *     pyenv shim (a shell script that costs ~0.4 s per start) is resolved once, not at every run
 */
public record Interpreter(String exe, String version, String glibc, String machine, String command) {

  private static final String PROBE = "import sys, platform; "
      + "print('%d.%d' % sys.version_info[:2]); print(platform.libc_ver()[1] if platform.libc_ver()[0] == 'glibc' else ''); "
      + "print(platform.machine()); print(sys.executable or '')";

  /**
   * The interpreters to try for {@code target}, best first: only the one the user named; else
   * {@code python3.X} when it is on PATH, then {@code python3} (a pyenv shim for python3.X can be on
   * PATH while that version is not installed).
   */
  public static List<String> candidates(Target target, String userExe) {
    if (userChose(userExe)) {
      return List.of(userExe);
    }
    String versioned = "python" + target.python();
    return onPath(versioned) ? List.of(versioned, "python3") : List.of("python3");
  }

  /** True when {@code --python-exe} named an interpreter. */
  public static boolean userChose(String userExe) {
    return userExe != null && !userExe.isBlank();
  }

  static boolean onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@code exe} once to learn its version, glibc and machine. */
  public static Interpreter probe(ProcessRunner runner, String exe) {
    ProcessRunner.ProcessResult r;
    try {
      r = runner.run(ProcessRunner.ProcessRequest.of(List.of(exe, "-I", "-c", PROBE))
          .withTimeout(java.time.Duration.ofSeconds(60)));
    } catch (IOException e) {
      throw LayerslimException.usage("cannot run the Python interpreter '" + exe + "': " + e.getMessage()
          + "; install it or name another with --python-exe");
    }
    if (!r.ok()) {
      throw LayerslimException.usage("the Python interpreter '" + exe + "' failed to start: " + r.tail(5));
    }
    String[] lines = r.output().strip().split("\\R");
    if (lines.length < 3) {
      throw LayerslimException.usage("the Python interpreter '" + exe + "' gave an unexpected answer: " + r.output());
    }
    return new Interpreter(exe, lines[0].trim(), lines[1].trim(), lines[2].trim(),
        lines.length > 3 ? resolved(exe, lines[3].trim()) : exe);
  }

  /**
   * The file {@code sys.executable} names when it is an executable file, else {@code exe} itself (an
   * embedded or odd build may leave it empty).
   */
  static String resolved(String exe, String executable) {
    if (executable.isEmpty()) {
      return exe;
    }
    try {
      Path p = Path.of(executable);
      return p.isAbsolute() && Files.isRegularFile(p) && Files.isExecutable(p) ? executable : exe;
    } catch (java.nio.file.InvalidPathException e) {
      return exe;
    }
  }

  /**
   * Probes {@code candidates} in order and returns the first that starts: a pyenv shim for
   * {@code python3.12} is on PATH even where 3.12 is not installed, and {@code python3} can still run pip
   * (targeted). When none starts, the first one's error.
   */
  public static Interpreter probeFirst(ProcessRunner runner, List<String> candidates) {
    LayerslimException first = null;
    for (String exe : candidates) {
      try {
        return probe(runner, exe);
      } catch (LayerslimException e) {
        first = first == null ? e : first;
      }
    }
    if (first == null) {
      throw new IllegalArgumentException("no interpreter candidates");
    }
    throw first;
  }

  /** The glibc minor version, or -1 when unknown. */
  public int glibcMinor() {
    if (!glibc.startsWith("2.")) {
      return -1;
    }
    try {
      return Integer.parseInt(glibc.substring(2).replaceAll("[^0-9].*", ""));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
