package dev.layerslim.python;

import java.io.IOException;

/**
 * How the Python drivers ({@link DriverScript}) report that their own write found the file system full,
 * instead of a traceback, and how that becomes the exception a Java write would have thrown.
 */
public final class DriverNoSpace {
  private DriverNoSpace() {}

  /**
   * Printed (to stderr, one line) by a driver whose own write found the file system full (ENOSPC,
   * EDQUOT), followed by the file as a JSON string; the driver then exits {@value #NO_SPACE_EXIT}
   * instead of printing a traceback.
   */
  public static final String NO_SPACE_MARK = "LAYERSLIM-NO-SPACE ";
  /** The exit code that goes with {@link #NO_SPACE_MARK} (EX_TEMPFAIL). */
  public static final int NO_SPACE_EXIT = 75;

  /**
   * When a driver run said its disk was full, the exception a Java write would have thrown: a
   * {@link java.nio.file.FileSystemException} naming the file, reason "No space left on device".
   */
  public static void checkNoSpace(ProcessRunner.ProcessResult r) throws java.nio.file.FileSystemException {
    if (r.exitCode() != NO_SPACE_EXIT) {
      return;
    }
    for (String line : r.output().split("\\R")) {
      if (line.startsWith(NO_SPACE_MARK)) {
        String file = line.substring(NO_SPACE_MARK.length()).strip();
        try {
          file = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file).asText();
        } catch (IOException e) {
          // cut short: the raw text still names it
        }
        throw new java.nio.file.FileSystemException(file.isEmpty() ? null : file, null, "No space left on device");
      }
    }
  }
}
