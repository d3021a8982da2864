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
