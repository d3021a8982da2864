package dev.layerslim.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.layerslim.testing.Wheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DryRunTest {
  @TempDir Path tmp;

  private Path site() throws Exception {
    Path wheels = tmp.resolve("wheels");
    Wheels.wheel("svc", "1.0")
        .file("svc/__init__.py", "")
        .file("svc/tests/test_a.py", "A = 1\n")
        .file("svc/native.c", "int x;\n")
        .build(wheels);
    Path site = tmp.resolve("site");
    Wheels.pipInstall(site, wheels, "svc");
    return site;
  }

  @Test
  void buildDryRun_printsThePlanAndWritesOnlyTheReport() throws Exception {
    Path site = site();
    Map<String, String> before = Cli.snapshot(site);
    Path out = tmp.resolve("out");

    Cli.Result r = Cli.run("build", "--dry-run", "--site-packages", site.toString(), "-o", out.toString());

    assertEquals(0, r.code(), r.toString());
    assertFalse(Files.exists(out.resolve("layer")), "no layer");
    assertFalse(Files.exists(out.resolve("layer.zip")), "no zip");
    assertTrue(r.out().contains("plan: remove"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith("tests ") && l.contains("1 file ")), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith("svc ")), "grouped by distribution: " + r.out());
    assertFalse(r.out().contains("svc/tests/test_a.py"), "files only with --verbose");
    JsonNode report = Cli.report(out);
    assertTrue(report.path("dryRun").asBoolean() && report.path("prune").path("dryRun").asBoolean());
    assertEquals(Cli.size(site, "svc/tests/test_a.py", "svc/native.c") + sizeOfDropped(report),
        report.path("prune").path("removedBytes").asLong());
    assertTrue(Files.readString(out.resolve("report.md")).contains("dry run"));
    assertEquals(before, Cli.snapshot(site));
  }

  @Test
  void pruneDryRun_listsEveryFileWithVerboseAndRefusesToRunWithoutDryRun() throws Exception {
    Path site = site();
    Path out = tmp.resolve("out");

    Cli.Result r = Cli.run("prune", "--dry-run", "--verbose", "--site-packages", site.toString(), "-o",
        out.toString());
    Cli.Result withoutDryRun = Cli.run("prune", "--site-packages", site.toString(), "-o", out.toString());

    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("- svc/tests/test_a.py (tests,"), r.out());
    assertTrue(r.out().contains("- svc/native.c (build-files,"), r.out());
    assertFalse(Files.exists(out.resolve("layer")));
    assertFalse(Files.exists(out.resolve("layer.zip")));
    assertTrue(Files.isRegularFile(out.resolve("report.json")));
    assertEquals(2, withoutDryRun.code(), withoutDryRun.toString());
    assertTrue(withoutDryRun.err().contains("--dry-run"), withoutDryRun.err());
  }

  /** The dist-info files pip wrote that the plan drops, by report: everything but tests and build files. */
  private static long sizeOfDropped(JsonNode report) {
    return report.path("prune").path("byRule").path("dist-info").path("bytes").asLong();
  }
}
