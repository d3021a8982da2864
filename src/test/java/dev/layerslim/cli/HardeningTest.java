package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13: wrong answers, bad names and bad folders, end to end through the CLI. */
class HardeningTest {
  @TempDir Path tmp;

  /** A small installed tree: one distribution with a dist-info, written by hand (no pip needed). */
  static Path site(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("demo"));
    Files.createDirectories(dir.resolve("demo-1.0.dist-info"));
    Files.writeString(dir.resolve("demo/__init__.py"), "X = 1\n");
    Files.writeString(dir.resolve("demo-1.0.dist-info/METADATA"), "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n");
    Files.writeString(dir.resolve("demo-1.0.dist-info/top_level.txt"), "demo\n");
    Files.writeString(dir.resolve("demo-1.0.dist-info/RECORD"),
        "demo/__init__.py,,\ndemo-1.0.dist-info/METADATA,,\ndemo-1.0.dist-info/top_level.txt,,\n"
            + "demo-1.0.dist-info/RECORD,,\n");
    return dir;
  }

  @Test
  void budgetAboveAwsLimit_awsLimitStillFails() throws Exception {
    Path out = tmp.resolve("out");
    CliRun run = CliRun.of("build", "--site-packages", site(tmp.resolve("site")).toString(), "-o", out.toString(),
        "--no-smoke", "--bytecode", "none", "--extra-bytes", "262144000", "--max-unzipped", "1GiB");
    assertEquals(1, run.exitCode(), run.all());
    assertTrue(run.err().contains("AWS limit"), run.all());
    JsonNode limits = new ObjectMapper().readTree(out.resolve("report.json").toFile()).path("limits");
    assertEquals("unzipped", limits.get(0).path("name").asText());
    assertEquals(262_144_000L, limits.get(0).path("limitBytes").asLong());
    assertTrue(limits.get(0).path("exceeded").asBoolean());
    assertEquals("unzipped-budget", limits.get(1).path("name").asText());
    assertEquals(1024L * 1024 * 1024, limits.get(1).path("limitBytes").asLong());
  }
}
