package dev.layerslim.reportfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The layer as Mermaid charts share of the limit with headroom, and the change per distribution. */
class LayerChartTest {
  static final long MIB = 1024L * 1024;

  static ObjectNode report(long... sizesMib) {
    ObjectNode r = new ObjectMapper().createObjectNode();
    long total = 0;
    ArrayNode packages = r.putArray("packages");
    for (int i = 0; i < sizesMib.length; i++) {
      packages.addObject().put("name", "dist" + i).put("version", "1." + i).put("unzippedBytes", sizesMib[i] * MIB);
      total += sizesMib[i] * MIB;
    }
    r.putObject("totals").put("unzippedBytes", total);
    r.putArray("limits").addObject().put("name", "unzipped").put("limitBytes", 250 * MIB);
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
    ObjectNode r = report(10);
    ((ObjectNode) r.path("packages").get(0)).put("name", "evil\"name: x\n[y]").put("version", "1;2");
    String pie = LayerChart.pie(r);
    assertTrue(pie.contains("    \"evil name x y 1 2\" : 10\n"), pie);
    assertEquals(3, pie.lines().count(), pie);
  }

  @Test
  void baseline_barsPerChangedDistribution_withTheAxisHoldingZero() {
    ObjectNode r = report(10);
    ObjectNode b = r.putObject("baseline").put("deltaBytes", 300 * 1024);
    b.putArray("added").addObject().put("name", "pillow").put("deltaBytes", 500 * 1024);
    b.putArray("changed").addObject().put("name", "numpy").put("deltaBytes", -200 * 1024);
    b.putArray("removed");
    String bars = LayerChart.changes(r);
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
    ObjectNode r = new ObjectMapper().createObjectNode();
    r.putArray("packages").addObject().put("name", "six").put("version", "1.0").put("unzippedBytes", 50);
    r.putObject("totals").put("unzippedBytes", 50);
    r.putArray("limits").addObject().put("name", "unzipped").put("limitBytes", 1024);
    String pie = LayerChart.pie(r);
    assertTrue(pie.startsWith("pie showData title 50 of 1024 B unzipped (sizes in B)\n"), pie);
    assertTrue(pie.contains("    \"six 1.0\" : 50\n") && pie.contains("    \"headroom\" : 974\n"), pie);

    r.withArray("limits").removeAll();
    r.withArray("limits").addObject().put("name", "unzipped").put("limitBytes", 100 * 1024);
    assertTrue(LayerChart.pie(r).startsWith("pie showData title 0 of 100 KiB unzipped (sizes in KiB)\n"),
        LayerChart.pie(r));
  }
}
