package dev.layerslim.smoke;

import dev.layerslim.layer.Target;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.SmokeOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * What the smoke steps read of the options: the smoke test's own group, and the settings it shares
 * with other steps (the target and its python, the handlers and the handler function).
 *
 * @param smoke the smoke test's settings
 * @param target the runtime the layer is for
 * @param pythonExe {@code --python-exe}; null: the first suitable python found
 * @param handlers the handler files or folders
 * @param handlerFunction {@code --handler-function}; null when not given
 */
public record SmokeInputs(SmokeOptions smoke, Target target, String pythonExe, List<Path> handlers,
    String handlerFunction) {
  public SmokeInputs {
    handlers = List.copyOf(handlers);
  }

  /** The smoke inputs of {@code o}. */
  public static SmokeInputs of(BuildOptions o) {
    return new SmokeInputs(o.smokeTest(), o.target(), o.pythonExe(), o.handlers(), o.handlerFunction());
  }
}
