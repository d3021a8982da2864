package dev.layerslim.layer;

import java.util.Locale;

/** A Lambda instruction set architecture, with the names each tool spells it by. */
public enum Arch {
  X86_64("x86_64", "x86_64", 62),
  ARM64("arm64", "aarch64", 183);

  private final String lambdaName;
  private final String machine;
  private final int elfMachine;

  Arch(String lambdaName, String machine, int elfMachine) {
    this.lambdaName = lambdaName;
    this.machine = machine;
    this.elfMachine = elfMachine;
  }

  /** The name Lambda uses: {@code x86_64} or {@code arm64}. */
  public String lambdaName() {
    return lambdaName;
  }

  /** {@code platform_machine} and the manylinux tag suffix: {@code x86_64} or {@code aarch64}. */
  public String machine() {
    return machine;
  }

  /** The ELF {@code e_machine} value (EM_X86_64 = 62, EM_AARCH64 = 183). */
  public int elfMachine() {
    return elfMachine;
  }

  /** Parses {@code x86_64}, {@code amd64}, {@code arm64} or {@code aarch64}; null when unknown. */
  public static Arch parse(String s) {
    switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "x86_64":
      case "amd64":
      case "x86-64":
        return X86_64;
      case "arm64":
      case "aarch64":
        return ARM64;
      default:
        return null;
    }
  }

  /** The architecture of the JVM's host, or null when it is neither. */
  public static Arch host() {
    return parse(System.getProperty("os.arch", ""));
  }

  @Override
  public String toString() {
    return lambdaName;
  }
}
