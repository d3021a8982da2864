package dev.layerslim.reportfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * report.json's keys are spelled in one place, reportfile: the rest of the code reads and writes the
 * {@link Report} model. One of its compound keys in quotes anywhere else in the main sources fails
 * this test (its one-word keys are words the code uses for other things too).
 */
class ReportKeysTest {
  /** Objects whose keys are data (rule ids, distribution and module names), not report.json's keys. */
  private static final Set<String> MAPS = Set.of("byRule", "byDistribution", "reached", "units");


  @Test
  void noKeyOfReportJson_isSpelledOutsideReportfile() throws IOException {
    Set<String> keys = new TreeSet<>();
    keys(ReportJson.tree(ReportJsonTest.full()), keys);
    keys(ReportJson.tree(ReportJsonTest.otherShapes()), keys);
    assertTrue(keys.contains("unzippedBytes") && keys.contains("importMillisNoPyc") && keys.contains("failedStep"),
        keys.toString());
    // a one-word key ("name", "smoke", "exclude") is also a step, an option, a word of pip's or GitHub's
    // JSON: the report's own are its compound keys (unzippedBytes, importMillisNoPyc, failedStep, …)
    keys.removeIf(k -> k.equals(k.toLowerCase(java.util.Locale.ROOT)));
    assertTrue(keys.size() > 60, keys.size() + " compound keys: " + keys);
    List<String> found = new ArrayList<>();
    Path main = Path.of("src/main/java");
    try (Stream<Path> files = Files.walk(main)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        if (main.relativize(f).startsWith(Path.of("dev/layerslim/reportfile"))) {
          continue;
        }
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          for (String key : keys) {
            if (lines.get(i).contains("\"" + key + "\"")) {
              found.add(main.relativize(f) + ":" + (i + 1) + " \"" + key + "\"");
            }
          }
        }
      }
    }
    assertEquals(List.of(), found, "report.json keys belong in dev.layerslim.reportfile (Report, ReportJson)");
  }

  private static void keys(JsonNode n, Set<String> out) {
    if (n.isArray()) {
      n.forEach(x -> keys(x, out));
    } else if (n.isObject()) {
      for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
        String k = it.next();
        out.add(k);
        JsonNode v = n.get(k);
        if (MAPS.contains(k) && v.isObject()) {
          v.forEach(x -> keys(x, out)); // the entries' own keys are data; what they hold is the report's
        } else {
          keys(v, out);
        }
      }
    }
  }
}
