package dev.layerslim.reportfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.testing.ReportFixture;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The layer as Mermaid charts share of the limit with headroom, and the change per distribution. */
class LayerChartTest {
  static final long MIB = 1024L * 1024;

  static Report report(long... sizesMib) {
    return fixture(sizesMib).build();
  }

  static ReportFixture fixture(long... sizesMib) {
    ReportFixture r = new ReportFixture();
    for (int i = 0; i < sizesMib.length; i++) {
      r.packages.add(ReportFixture.pkg("dist" + i, "1." + i, sizesMib[i] * MIB));
    }
    r.totalsFromPackages();
    r.limit("unzipped", 250 * MIB, r.unzippedBytes, true, "--max-unzipped");
    return r;
  }

  @Test
  void pie_showsEachDistributionAndTheHeadroomLeft() {
    String pie = LayerChart.pie(report(100, 50));
    assertTrue(pie.startsWith("pie showData title 150 of 250 MiB unzipped (sizes in MiB)\n"), pie);
    assertTrue(pie.contains("    \"dist0 1.0\" : 100\n"), pie);
    assertTrue(pie.contains("    \"dist1 1.1\" : 50\n"), pie);
    assertTrue(pie.contains("    \"headroom\" : 100\n"), pie);
  }

  @Test
  void overTheLimit_noHeadroomSlice_andTheTitleSaysByHowMuch() {
    String pie = LayerChart.pie(report(200, 80));
    assertFalse(pie.contains("headroom"), pie);
    assertTrue(pie.contains("280 MiB unzipped, 30 MiB over the 250 MiB limit"), pie);
  }

  @Test
  void manyDistributions_theSmallOnesShareOneSlice() {
    String pie = LayerChart.pie(report(30, 20, 10, 9, 8, 7, 6, 5, 4, 3, 2));
    assertTrue(pie.contains("\"3 more\" : 9\n"), pie);
    assertEquals(LayerChart.MAX_SLICES + 2, pie.lines().filter(l -> l.startsWith("    \"")).count(), pie);
  }

  @Test
  void labels_cannotBreakTheChart() {
    ReportFixture r = fixture(10);
    r.packages.set(0, ReportFixture.pkg("evil\"name: x\n[y]", "1;2", 10 * MIB));
    String pie = LayerChart.pie(r.build());
    assertTrue(pie.contains("    \"evil name x y 1 2\" : 10\n"), pie);
    assertEquals(3, pie.lines().count(), pie);
  }

  @Test
  void baseline_barsPerChangedDistribution_withTheAxisHoldingZero() {
    ReportFixture r = fixture(10);
    r.baseline = ReportFixture.baseline(0, 0, 300 * 1024, 0,
        List.of(ReportFixture.row("pillow", "", "1.0", 0, 500 * 1024, 0, 0)), List.of(),
        List.of(ReportFixture.row("numpy", "1.0", "1.0", 400 * 1024, 200 * 1024, 0, 0)));
    String bars = LayerChart.changes(r.build());
    assertTrue(bars.contains("\nxychart-beta horizontal\n"), bars);
    assertTrue(bars.contains("x-axis [\"pillow (added) +500.0\", \"numpy -200.0\"]"), bars);
    // Mermaid draws bars up from the axis minimum: magnitudes from 0, growth and shrinkage apart
    assertTrue(bars.contains("y-axis \"KiB\" 0 --> 500.0"), bars);
    assertTrue(bars.contains("bar [500.0, 0.0]\n    bar [0.0, 200.0]"), bars);
    assertTrue(bars.contains("+300.0 in all"), bars);
    assertEquals("", LayerChart.changes(report(10)), "no baseline, no change chart");
  }

  @Test
  void markdown_fencesBothAsMermaid() {
    String md = LayerChart.markdown(report(10));
    assertTrue(md.startsWith("```mermaid\npie showData"), md);
    assertTrue(md.strip().endsWith("```"), md);
  }

  @Test
  void pie_ofASmallLayerAgainstASmallBudget_isInTheUnitOfItsScale_notZeroMiB() {
    ReportFixture r = new ReportFixture();
    r.packages.add(ReportFixture.pkg("six", "1.0", 50));
    r.totalsFromPackages();
    r.limit("unzipped", 1024, 50, true, "--max-unzipped");
    String pie = LayerChart.pie(r.build());
    assertTrue(pie.startsWith("pie showData title 50 of 1024 B unzipped (sizes in B)\n"), pie);
    assertTrue(pie.contains("    \"six 1.0\" : 50\n") && pie.contains("    \"headroom\" : 974\n"), pie);

    r.limits.clear();
    r.limit("unzipped", 100 * 1024, 50, true, "--max-unzipped");
    assertTrue(LayerChart.pie(r.build()).startsWith("pie showData title 0 of 100 KiB unzipped (sizes in KiB)\n"),
        LayerChart.pie(r.build()));
  }
}
