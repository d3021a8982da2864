package dev.layerslim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.reportfile.Baseline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Added and removed are about the layer: a distribution pruned by one build is not in its layer. */
class BaselineDiffTest {
  @TempDir Path tmp;

  /** A baseline read from report.json as a build writes it: matplotlib listed with 0 bytes, removed. */
  private Baseline baseline() throws Exception {
    Path file = tmp.resolve("report.json");
    Files.writeString(file, """
        {"schemaVersion": 1, "totals": {"unzippedBytes": 1100000, "zippedBytes": 400000},
         "packages": [
           {"name": "numpy", "version": "2.4.6", "unzippedBytes": 1000000, "zippedBytes": 380000, "removed": false},
           {"name": "six", "version": "1.17.0", "unzippedBytes": 100000, "zippedBytes": 20000, "removed": false},
           {"name": "matplotlib", "version": "3.11.2", "unzippedBytes": 0, "zippedBytes": 0, "removed": true},
           {"name": "scipy", "version": "1.17.1", "unzippedBytes": 0, "zippedBytes": 0, "removed": true}
         ]}
        """);
    return Baseline.load(file, "--baseline");
  }

  private static PackageRow row(String name, String version, long bytes, long zipped, boolean removed) {
    return new PackageRow(name, version, bytes, bytes, zipped, removed ? 0 : 1, true, removed);
  }

  @Test
  void prunedInTheBaselineAndShippedNow_isAdded_notAChangeFromZero() throws Exception {
    BaselineDiff d = BaselineDiff.compare(baseline(), List.of(
        row("numpy", "2.4.6", 1_000_000, 380_000, false),
        row("matplotlib", "3.11.2", 36_000_000, 12_000_000, false),
        row("six", "1.17.0", 0, 0, true),
        row("scipy", "1.17.1", 0, 0, true)), 37_000_000, 12_380_000, null, null);
    assertEquals(List.of("matplotlib"), d.added().stream().map(BaselineDiff.Row::name).toList());
    assertEquals(List.of("six"), d.removed().stream().map(BaselineDiff.Row::name).toList(),
        "shipped before, pruned now: removed from the layer");
    assertEquals(List.of(), d.changed(), "scipy, pruned by both, is no change; numpy is the same");
    BaselineDiff.Row m = d.added().get(0);
    assertEquals("", m.beforeVersion());
    assertEquals(36_000_000, m.deltaBytes());
    assertEquals(12_000_000, m.zippedDeltaBytes());
    dev.layerslim.reportfile.Report.BaselineDiff section = d.section();
    assertEquals(11_980_000, section.zippedDeltaBytes());
    assertEquals(12_000_000, section.added().get(0).zippedDeltaBytes());
    String md = d.markdown();
    assertTrue(md.contains("1 added, 1 removed, 0 changed"), md);
    assertTrue(md.contains("| matplotlib | — | 34.3 MiB | +34.3 MiB | +11.4 MiB | added 3.11.2 |"), md);
    assertTrue(md.contains("(+34.2 MiB, +3263.6 %)"), md);
  }

  @Test
  void aGrownDistribution_isChangedWithItsShareOfGrowth() throws Exception {
    BaselineDiff d = BaselineDiff.compare(baseline(), List.of(
        row("numpy", "2.4.7", 1_250_000, 450_000, false), row("six", "1.17.0", 100_000, 20_000, false)),
        1_350_000, 470_000, null, null);
    assertEquals(1, d.changed().size());
    assertEquals(250_000, d.changed().get(0).deltaBytes());
    assertTrue(d.markdown().contains("| numpy | 976.6 KiB | 1.2 MiB | +244.1 KiB, +25.0 % | +68.4 KiB | 2.4.6 → 2.4.7 |"),
        d.markdown());
  }
}
