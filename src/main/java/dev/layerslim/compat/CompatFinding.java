package dev.layerslim.compat;

/**
 * One reason an ELF object of the layer may not load on the target Lambda runtime.
 *
 * @param file '/'-separated path relative to the layer root
 * @param distribution the owning distribution's name, or {@code (unattributed)}
 * @param severity ERROR when it certainly fails to load, WARNING when it may
 * @param problem a sentence for the user, with what to do
 * @param needed what the object needs: {@code GLIBC_2.28}, {@code libfoo.so.1}, {@code AArch64}
 * @param available what the target has: {@code glibc 2.26 (Amazon Linux 2, python3.11)}
 */
public record CompatFinding(String file, String distribution, Severity severity, String problem, String needed,
    String available) {

  /** How sure the failure is. */
  public enum Severity {
    /** The object cannot load on the target. */
    ERROR,
    /** The object may fail to load: a library it needs was not found in the layer or the runtime. */
    WARNING
  }
}
