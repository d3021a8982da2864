package dev.layerslim.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerslim.audit.AuditResult.DistributionUse;
import dev.layerslim.audit.AuditResult.ImportUse;
import dev.layerslim.audit.AuditResult.UnresolvedImport;
import dev.layerslim.audit.AuditResult.Why;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DependencyTreeRendererTest {
  private static final String ORIGIN = "app.py:3 import geopandas";

  private static AuditResult sample() {
    return new AuditResult(List.of(
        new DistributionUse("a-cycle", "1", false, false, List.of("b-cycle"), List.of(), null),
        new DistributionUse("b-cycle", "1", false, false, List.of("a-cycle"), List.of(), null),
        new DistributionUse("geopandas", "1.2.0", true, false, List.of("pandas"), List.of(),
            new Why(ORIGIN, List.of("geopandas"))),
        new DistributionUse("numpy", "2.4.6", true, false, List.of(), List.of(),
            new Why(ORIGIN, List.of("geopandas", "pandas", "numpy"))),
        new DistributionUse("pandas", "3.0.6", true, false, List.of("numpy", "six"), List.of(),
            new Why(ORIGIN, List.of("geopandas", "pandas"))),
        new DistributionUse("scipy", "1.17.1", false, false, List.of("numpy"), List.of(), null),
        new DistributionUse("six", "1.17.0", true, true, List.of(), List.of(),
            new Why(ORIGIN, List.of("geopandas", "pandas", "six")))),
        List.of(new ImportUse("geopandas", Set.of("geopandas"), null, List.of("app.py:3"), false)),
        List.of(new UnresolvedImport("ujson", List.of("app.py:5"), true)),
        List.of("pandas requires tzdata, which is not in the layer"), List.of());
  }

  @Test
  void text_listsUsedRootsFirstWithChildrenIndentedAndSizes() {
    String text = DependencyTreeRenderer.text(sample(),
        Map.of("geopandas", 1_500_000L, "pandas", 78_643_200L, "numpy", 47_185_920L, "six", 900L));
    List<String> lines = text.lines().map(String::stripTrailing).toList();
    assertEquals("used:", lines.get(0));
    assertTrue(lines.get(1).matches("  geopandas==1\\.2\\.0 +1\\.4 MiB"), lines.get(1));
    assertTrue(lines.get(2).matches("    pandas==3\\.0\\.6 +75 MiB"), lines.get(2));
    assertTrue(lines.get(3).matches("      numpy==2\\.4\\.6 +45 MiB"), lines.get(3));
    assertTrue(lines.get(4).matches("      six==1\\.17\\.0 \\[in runtime\\] +900 B"), lines.get(4));
    assertEquals("unused:", lines.get(5));
    // scipy is an unused root; numpy shows under it as what it would keep; the cycle still shows
    assertTrue(text.contains("  scipy==1.17.1"), text);
    assertTrue(text.contains("    numpy==2.4.6"), text);
    assertTrue(text.contains("  a-cycle==1"), text);
    assertTrue(text.contains("      a-cycle==1 (cycle)"), text);
    // every size column ends at the same place
    assertEquals(1, lines.stream().filter(l -> l.endsWith("B")).map(String::length).distinct().count());
  }

  @Test
  void json_carriesVerdictsWhyChainsImportsAndProblems() throws Exception {
    JsonNode json = new ObjectMapper().readTree(
        dev.layerslim.reportfile.ReportJson.auditText(DependencyTreeRenderer.section(sample(), Map.of("numpy", 42L))));
    JsonNode numpy = json.get("distributions").get(3);
    assertEquals("numpy", numpy.get("name").asText());
    assertEquals(42, numpy.get("bytes").asLong());
    assertTrue(numpy.get("used").asBoolean());
    assertEquals("app.py:3 import geopandas → geopandas → pandas → numpy",
        numpy.get("why").get("text").asText());
    assertTrue(json.get("distributions").get(5).get("why").isNull());
    assertTrue(json.get("distributions").get(6).get("runtimeProvided").asBoolean());
    assertEquals("app.py:3", json.get("imports").get(0).get("where").get(0).asText());
    assertTrue(json.get("unresolvedImports").get(0).get("optional").asBoolean());
    assertEquals(1, json.get("problems").size());
    // serialises and reads back to the same text: plain tree nodes, nothing bound by reflection
    assertEquals(json.toString(),
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toString()).toString());
  }
}
