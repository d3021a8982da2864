package dev.layerslim.python;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The Python programs layerslim runs (the smoke driver, the bytecode compiler) are {@code .py}
 * resources on the class path, not Java strings: they can be read, linted and run on their own. Each
 * must also be listed in the native image's resource-config.json, or the native binary cannot find
 * it (NativeImageMetadataTest guards that).
 */
public final class DriverScript {
  private DriverScript() {}

  /** The smoke driver, run by {@link ImportProbe}. */
  public static final String SMOKE_DRIVER = "dev/layerslim/python/smoke_driver.py";
  /** The bytecode compiler, run by the bytecode step. */
  public static final String COMPILER = "dev/layerslim/bytecode/compile_pycs.py";

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

  /**
   * Writes the resource {@code resource} (a class-path name such as {@link #SMOKE_DRIVER}) into
   * {@code dir} under its own file name, replacing an older copy, and returns the file.
   */
  public static Path write(String resource, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
    try (InputStream in = DriverScript.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + resource + " is missing from layerslim's build");
      }
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }
}
