package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layerslim.testing.Wheels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code layerslim build --baseline FILE --max-growth SIZE}. */
class BuildBaselineTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  int build(StringWriter err, String... extra) {
    String[] base = {"build", "--site-packages", dir.resolve("site").toString(), "--no-smoke", "--no-strip",
        "-o", dir.resolve("out").toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
  }

  @Test
  void baseline_addsTheDiffSection_andGrowthBeyondMaxGrowthExitsOne() throws IOException {
    Wheels.wheel("alpha", "1.0").file("alpha/__init__.py", "X = 1\n".repeat(500)).build(dir.resolve("w"));
    Wheels.pipInstall(dir.resolve("site"), dir.resolve("w"), "alpha");
    assertEquals(0, build(new StringWriter()));
    ObjectNode base = (ObjectNode) JSON.readTree(dir.resolve("out/report.json").toFile());
    ((ObjectNode) base.path("totals")).put("unzippedBytes", base.path("totals").path("unzippedBytes").asLong() - 2000);
    ObjectNode alpha = (ObjectNode) base.path("packages").get(0);
    alpha.put("unzippedBytes", alpha.path("unzippedBytes").asLong() - 2000);
    Path baseFile = dir.resolve("base.json");
    JSON.writeValue(baseFile.toFile(), base);

    StringWriter err = new StringWriter();
    assertEquals(1, build(err, "--baseline", baseFile.toString(), "--max-growth", "1kB"), err.toString());
    assertTrue(err.toString().contains("growth size 2,000 bytes exceeds"), err.toString());
    JsonNode diff = JSON.readTree(dir.resolve("out/report.json").toFile()).path("baseline");
    assertEquals(2000, diff.path("deltaBytes").asLong());
    assertEquals("alpha", diff.path("changed").get(0).path("name").asText());
    assertEquals(2000, diff.path("changed").get(0).path("deltaBytes").asLong());
    assertEquals(0, diff.path("added").size());
    assertEquals(0, build(new StringWriter(), "--baseline", baseFile.toString(), "--max-growth", "5kB"));
  }

  @Test
  void missingOrMalformedBaseline_exitsTwoNamingTheFile() throws IOException {
    Files.createDirectories(dir.resolve("site"));
    StringWriter err = new StringWriter();
    assertEquals(2, build(err, "--baseline", dir.resolve("none.json").toString()));
    assertTrue(err.toString().contains("--baseline " + dir.resolve("none.json") + ": no such file"), err.toString());
    Files.writeString(dir.resolve("bad.json"), "[1, 2]");
    err = new StringWriter();
    assertEquals(2, build(err, "--baseline", dir.resolve("bad.json").toString()));
    assertTrue(err.toString().contains("bad.json: not a layerslim report.json"), err.toString());
  }
}
