package dev.layerslim.testing;

import dev.layerslim.github.ActionInputs;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The environment a runner gives the action: the workspace, and each input as its INPUT_ variable. */
public final class ActionEnv {
  private ActionEnv() {}

  /** {@code GITHUB_WORKSPACE=ws} and the inputs given as name, value, name, value… */
  public static Map<String, String> of(Path ws, String... inputsAndValues) {
    Map<String, String> m = new HashMap<>();
    m.put("GITHUB_WORKSPACE", ws.toString());
    for (int i = 0; i < inputsAndValues.length; i += 2) {
      m.put(ActionInputs.envName(inputsAndValues[i]), inputsAndValues[i + 1]);
    }
    return m;
  }
}
