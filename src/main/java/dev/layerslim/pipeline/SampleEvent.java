package dev.layerslim.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A sample event for the smoke test ({@code --smoke-event}, action input {@code smoke-event}). */
public final class SampleEvent {
  private SampleEvent() {}

  /**
   * {@code file} made absolute when it is a readable JSON file and there is a handler function to
   * pass it to; otherwise bad input (exit 2) that starts with {@code label}.
   */
  public static Path check(Path file, String handlerFunction, String label) {
    Path a = file.toAbsolutePath().normalize();
    if (handlerFunction == null) {
      throw LayerslimException.usage(label + " " + file
          + " needs a handler function (--handler-function, input handler-function) to pass it to");
    }
    if (!Files.isRegularFile(a)) {
      throw LayerslimException.usage(label + " " + file + ": no such file");
    }
    try {
      new ObjectMapper().readTree(a.toFile());
    } catch (IOException e) {
      throw LayerslimException.usage(label + " " + file + ": not a JSON file ("
          + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
    }
    return a;
  }
}
