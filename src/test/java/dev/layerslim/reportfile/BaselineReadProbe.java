package dev.layerslim.reportfile;

import java.nio.file.Path;

/**
 * Reads one baseline in a child JVM with a small heap (see {@link BaselineTest}): prints
 * {@code ok <distributions> <unzippedBytes>} or {@code unusable: <reason>}; running out of memory
 * ends it with a non-zero exit.
 */
public final class BaselineReadProbe {
  private BaselineReadProbe() {}

  public static void main(String[] args) {
    try {
      Baseline b = Baseline.read(Path.of(args[0]));
      System.out.println("ok " + b.packages().size() + " " + b.unzippedBytes());
    } catch (Baseline.Unusable e) {
      System.out.println("unusable: " + e.getMessage());
    }
  }
}
