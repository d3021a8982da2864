package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build stopped right after its report step must not leave layer.zip, a report.json saying
 * {@code "complete"} and INCOMPLETE together. INCOMPLETE wins (present: nothing there is a finished
 * result); its removal is the build's last act; SIGTERM and SIGINT before it leave the folder saying
 * "failed" throughout, and SIGKILL, which nothing can catch, leaves the marker.
 */
class OutputFolderEndingTest {
  @TempDir Path tmp;

  /** Starts {@link StoppedAfterReport} and returns once its report is written and it waits. */
  private Process startAndWaitForReport(Path out) throws Exception {
    Path site = HardeningTest.site(tmp.resolve("site"));
    Path ready = tmp.resolve("ready");
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), StoppedAfterReport.class.getName(), site.toString(), out.toString(),
        ready.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile())
        .start();
    // until the report is written, or the build ended without it (then the assertion below says why)
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2))
        .pollInterval(java.time.Duration.ofMillis(100)).until(() -> Files.exists(ready) || !p.isAlive());
    assertTrue(Files.exists(ready), "the build never reached its report: " + Files.readString(tmp.resolve("log.txt")));
    assertTrue(Files.exists(out.resolve("layer.zip")) && Files.exists(out.resolve("report.json")));
    return p;
  }

  private static JsonNode report(Path out) throws Exception {
    return new ObjectMapper().readTree(out.resolve("report.json").toFile());
  }

  @Test
  void sigtermRightAfterTheReportStep_leavesNoZipAndAReportThatSaysFailed_besideTheMarker() throws Exception {
    Path out = tmp.resolve("out");
    Process p = startAndWaitForReport(out);

    p.destroy(); // SIGTERM, as a cancelled CI job sends first
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));

    assertTrue(Files.exists(out.resolve(OutputDir.INCOMPLETE)), "the marker stays");
    assertFalse(Files.exists(out.resolve("layer.zip")), "no zip that looks good beside an unfinished build");
    JsonNode r = report(out);
    assertEquals("failed", r.path("status").asText(), r.toString());
    assertTrue(r.path("failedStep").asText().contains("interrupted"), r.toString());
  }

  @Test
  void sigkillRightAfterTheReportStep_leavesTheMarker_whichWinsOverTheReport() throws Exception {
    Path out = tmp.resolve("out");
    Process p = startAndWaitForReport(out);

    p.destroyForcibly(); // SIGKILL: no hook runs
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));

    // the one state nothing can tidy: the marker is what says the folder is not a finished result
    assertTrue(Files.exists(out.resolve(OutputDir.INCOMPLETE)));
  }

  @Test
  void aFinishedBuild_removesTheMarkerLast_andLeavesTheResults() throws Exception {
    Path out = tmp.resolve("out");
    CliRun run = CliRun.of("build", "--site-packages", HardeningTest.site(tmp.resolve("site")).toString(), "-o",
        out.toString(), "--no-smoke", "--bytecode", "none", "--no-strip");

    assertEquals(0, run.exitCode(), run.all());
    assertFalse(Files.exists(out.resolve(OutputDir.INCOMPLETE)));
    assertFalse(Files.exists(out.resolve(".work")), "scratch goes before the marker does");
    assertEquals("complete", report(out).path("status").asText());
    assertTrue(Files.size(out.resolve("layer.zip")) > 0);
  }
}
