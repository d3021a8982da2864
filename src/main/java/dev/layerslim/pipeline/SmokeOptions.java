package dev.layerslim.pipeline;

import java.nio.file.Path;
import java.util.List;

/**
 * What the smoke test runs and how long it may take.
 *
 * @param smoke Smoke-test the input and the layer.
 * @param required The user asked for the smoke test ({@code --handler-function}, the action's
 *     {@code smoke-test}): when it cannot run, the build fails instead of warning.
 * @param imports Modules the smoke test imports beside the handler's.
 * @param script The user's own check, run by the smoke test, or null.
 * @param event A sample event (JSON) the smoke test calls the handler function with, so call-time
 *     imports load, or null.
 * @param timeoutSeconds Seconds before a smoke test run is killed.
 */
public record SmokeOptions(boolean smoke, boolean required, List<String> imports, Path script, Path event,
    int timeoutSeconds) {
  public SmokeOptions {
    imports = List.copyOf(imports);
  }
}
