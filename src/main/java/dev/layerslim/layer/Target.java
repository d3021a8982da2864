package dev.layerslim.layer;

import dev.layerslim.error.LayerslimException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Lambda runtime a layer is built for: Python version, architecture and the glibc of the
 * runtime's operating system.
 *
 * <p>{@link #RUNTIMES} is the one table of supported runtimes. python3.9–3.11 run on Amazon Linux 2
 * (glibc 2.26), python3.12 and later on Amazon Linux 2023 (glibc 2.34). {@code --glibc} overrides
 * the glibc for custom images.
 */
public record Target(String python, Arch arch, String glibc, String os, boolean glibcOverridden) {

  /** A row of the runtime table. */
  public record Runtime(String python, String os, String glibc) {}

  /** Supported runtimes, in order. */
  public static final Map<String, Runtime> RUNTIMES = table(
      new Runtime("3.9", "Amazon Linux 2", "2.26"),
      new Runtime("3.10", "Amazon Linux 2", "2.26"),
      new Runtime("3.11", "Amazon Linux 2", "2.26"),
      new Runtime("3.12", "Amazon Linux 2023", "2.34"),
      new Runtime("3.13", "Amazon Linux 2023", "2.34"),
      new Runtime("3.14", "Amazon Linux 2023", "2.34"));

  public static final String DEFAULT_PYTHON = "3.11";

  private static Map<String, Runtime> table(Runtime... rows) {
    Map<String, Runtime> m = new LinkedHashMap<>();
    for (Runtime r : rows) {
      m.put(r.python(), r);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * Resolves the target from the user's options.
   *
   * @param python like {@code 3.11}
   * @param arch like {@code x86_64} or {@code arm64}
   * @param glibcOverride like {@code 2.36}, or null for the runtime's own
   * @throws LayerslimException (exit 2) naming the bad option
   */
  public static Target of(String python, String arch, String glibcOverride) {
    Runtime rt = RUNTIMES.get(python);
    if (rt == null) {
      throw LayerslimException.usage("--python " + python + " is not a Lambda Python runtime; use one of "
          + String.join(", ", RUNTIMES.keySet()));
    }
    Arch a = Arch.parse(arch);
    if (a == null) {
      throw LayerslimException.usage("--arch " + arch + " is not a Lambda architecture; use x86_64 or arm64");
    }
    String glibc = rt.glibc();
    if (glibcOverride != null && !glibcOverride.isBlank()) {
      if (!glibcOverride.trim().matches("2\\.\\d{1,3}")) {
        throw LayerslimException.usage("--glibc " + glibcOverride + " is not a glibc version like 2.26");
      }
      glibc = glibcOverride.trim();
    }
    return new Target(python, a, glibc, rt.os(), glibcOverride != null && !glibcOverride.isBlank());
  }

  public static Target defaults() {
    return of(DEFAULT_PYTHON, "x86_64", null);
  }

  /**
   * The runtime's system for people: {@code Amazon Linux 2, glibc 2.26}, or, with {@code --glibc},
   * {@code a custom image with glibc 2.36} (the Lambda OS would not have that glibc).
   */
  public String system() {
    return glibcOverridden ? "a custom image with glibc " + glibc : os + ", glibc " + glibc;
  }

  /** The AWS runtime of this Python version (its own OS and glibc, whatever {@code --glibc} says). */
  public Runtime runtime() {
    return RUNTIMES.get(python);
  }

  /**
   * Whether {@code --glibc} names a glibc newer than AWS's runtime of this Python has: the layer is
   * then for a custom image and will not load on AWS's runtime.
   */
  public boolean aboveRuntime() {
    return glibcOverridden && glibcMinor() > minor(runtime().glibc());
  }

  /**
   * What a user must know when {@link #aboveRuntime()}: {@code glibc 2.28 is newer than python3.11's
   * own (Amazon Linux 2, glibc 2.26): this layer is for a custom image and will not load on AWS's
   * python3.11 runtime}; null otherwise.
   */
  public String customImageWarning() {
    if (!aboveRuntime()) {
      return null;
    }
    Runtime rt = runtime();
    return "glibc " + glibc + " is newer than python" + python + "'s own (" + rt.os() + ", glibc " + rt.glibc()
        + "): this layer is for a custom image and will not load on AWS's python" + python + " runtime";
  }

  /**
   * The oldest AWS runtime whose glibc is at least {@code glibcMinor} (2.{@code glibcMinor}), no older
   * than {@code fromPython}; null when none has it.
   */
  public static Runtime oldestRuntimeWithGlibc(int glibcMinor, String fromPython) {
    boolean reached = fromPython == null;
    for (Runtime r : RUNTIMES.values()) {
      reached |= r.python().equals(fromPython);
      if (reached && minor(r.glibc()) >= glibcMinor) {
        return r;
      }
    }
    return null;
  }

  /** The minor of a {@code 2.N} glibc version. */
  public static int minor(String glibcVersion) {
    return Integer.parseInt(glibcVersion.substring(glibcVersion.indexOf('.') + 1));
  }

  /** {@code 311} for 3.11. */
  public String pythonNoDot() {
    return python.replace(".", "");
  }

  /** The CPython ABI tag, {@code cp311}. */
  public String abiTag() {
    return "cp" + pythonNoDot();
  }

  /** The minor version: 11 for 3.11. */
  public int pythonMinor() {
    return Integer.parseInt(python.substring(python.indexOf('.') + 1));
  }

  /** The glibc minor version: 26 for 2.26. */
  public int glibcMinor() {
    return Integer.parseInt(glibc.substring(glibc.indexOf('.') + 1));
  }

  /** The site-packages folder Lambda also puts on sys.path: {@code lib/python3.11/site-packages}. */
  public String layerSitePackages() {
    return "lib/python" + python + "/site-packages";
  }
}
