package dev.layerslim.reportfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An earlier report.json to compare against: the totals and each distribution's final size.
 *
 * @param packages by PEP 503 name, in the baseline's order
 * @param importMillis its smoke test's cold-start import time, or -1 when it has none
 */
public record Baseline(Path file, long unzippedBytes, long zippedBytes, Map<String, Entry> packages,
    long importMillis) {

  /**
   * One distribution as the baseline measured it.
   *
   * @param zippedBytes its compressed bytes in the baseline's layer.zip (0 when the report lacks them)
   * @param inLayer false when the baseline's build pruned all of it: listed, but not in its layer
   */
  public record Entry(String name, String version, long unzippedBytes, long zippedBytes, boolean inLayer) {}

  public Baseline {
    packages = Collections.unmodifiableMap(new LinkedHashMap<>(packages));
  }

  /**
   * Reads {@code file}.
   *
   * @param option how the user named it ({@code --baseline}, or the action input {@code baseline}),
   *     for the error message
   * @throws LayerslimException exit 2, naming the file, when it is missing or not a layerslim report
   */
  public static Baseline load(Path file, String option) {
    if (!Files.isRegularFile(file)) {
      throw LayerslimException.usage(option + " " + file + ": no such file (give an earlier report.json)");
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw LayerslimException.usage(option + " " + file + ": not valid JSON (" + firstLine(e.getMessage()) + ")");
    }
    if (root == null || !root.isObject() || !root.path("packages").isArray()
        || !root.path("totals").path("unzippedBytes").isNumber()) {
      throw LayerslimException.usage(option + " " + file
          + ": not a layerslim report.json (it needs totals.unzippedBytes and a packages array)");
    }
    Map<String, Entry> packages = new LinkedHashMap<>();
    for (JsonNode p : root.path("packages")) {
      if (!p.path("name").isTextual() || !p.path("unzippedBytes").isNumber()) {
        throw LayerslimException.usage(option + " " + file
            + ": not a layerslim report.json (a packages entry lacks name or unzippedBytes)");
      }
      String name = p.path("name").asText();
      packages.put(name, new Entry(name, p.path("version").asText(""), p.path("unzippedBytes").asLong(),
          p.path("zippedBytes").asLong(0), !p.path("removed").asBoolean(false)));
    }
    return new Baseline(file, root.path("totals").path("unzippedBytes").asLong(),
        root.path("totals").path("zippedBytes").asLong(0), packages,
        root.path("smoke").path("importMillis").asLong(-1));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
