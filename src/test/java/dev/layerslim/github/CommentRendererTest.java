package dev.layerslim.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class CommentRendererTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static ObjectNode report(int distributions) {
    ObjectNode r = JSON.createObjectNode();
    r.putObject("tool").put("name", "layerslim").put("version", "0.1.0");
    r.putObject("totals").put("unzippedBytes", 231_000_000L).put("zippedBytes", 60_000_000L);
    ArrayNode limits = r.putArray("limits");
    limits.addObject().put("name", "unzipped").put("limitBytes", 262_144_000L).put("actualBytes", 231_000_000L)
        .put("exceeded", false).put("enforced", true);
    limits.addObject().put("name", "zipped").put("limitBytes", 52_428_800L).put("actualBytes", 60_000_000L)
        .put("exceeded", true).put("enforced", false);
    ArrayNode packages = r.putArray("packages");
    for (int i = 0; i < distributions; i++) {
      packages.addObject().put("name", "distribution-number-" + i).put("version", "1.0." + i)
          .put("unzippedBytes", 1_000_000L - i).put("used", true).put("removed", false);
    }
    r.putArray("failures");
    return r;
  }

  @Test
  void fiveThousandDistributions_stayUnderTheCapWithTheMarkerFirstAndATruncationNote() {
    String body = CommentRenderer.render(report(5000), "layers/big");
    assertTrue(body.length() <= CommentRenderer.MAX_CHARS, "length " + body.length());
    assertTrue(body.startsWith("<!-- layerslim:layers/big -->\n"));
    assertTrue(body.contains("| distribution-number-0 | 1.0.0 |"), "largest first");
    assertFalse(body.contains("| distribution-number-4999 |"));
    assertTrue(body.matches("(?s).*_\\d+ more distributions not shown.*"), "a note says rows were left out");
    assertTrue(body.contains("<sub>layerslim 0.1.0"), "the footer survives");
  }

  @Test
  void withBaseline_changedRowsFirst_unchangedFolded_andTheHeadlineNamesTheGrowth() {
    ObjectNode r = report(3);
    ObjectNode b = r.putObject("baseline");
    b.put("unzippedBytes", 192_800_000L).put("deltaBytes", 38_200_000L);
    b.putArray("added").addObject().put("name", "distribution-number-2").put("afterVersion", "1.0.2")
        .put("afterBytes", 999_998L);
    b.putArray("removed").addObject().put("name", "gone").put("beforeVersion", "0.1").put("beforeBytes", 5000L);
    b.putArray("changed").addObject().put("name", "distribution-number-1").put("beforeVersion", "0.9")
        .put("afterVersion", "1.0.1").put("beforeBytes", 500_000L).put("afterBytes", 999_999L)
        .put("deltaBytes", 499_999L);
    String body = CommentRenderer.render(r, "k");
    assertTrue(body.contains("This PR adds 38.2 MB (distribution-number-2, distribution-number-1)"), body);
    assertTrue(body.contains("231.0 MB of 262.1 MB unzipped (within), 60.0 MB of 52.4 MB zipped (over, a warning only)"),
        body);
    int changed = body.indexOf("| distribution-number-1 | 0.9 → 1.0.1 | 500.0 kB → 1000.0 kB | +500.0 kB |");
    int added = body.indexOf("| distribution-number-2 | 1.0.2 | — → 1000.0 kB | +1000.0 kB |");
    int removed = body.indexOf("| gone | 0.1 | 5.0 kB → — | -5.0 kB |");
    int details = body.indexOf("<details><summary>1 unchanged distributions</summary>");
    int unchanged = body.indexOf("| distribution-number-0 | 1.0.0 | 1.0 MB → 1.0 MB |");
    assertTrue(changed > 0 && added > 0 && removed > 0 && details > Math.max(changed, Math.max(added, removed))
        && unchanged > details, body);
  }

  @Test
  void optionalSections_areRenderedWhenPresent_andLeftOutWhenAbsent() {
    ObjectNode r = report(2);
    String plain = CommentRenderer.render(r, "k");
    assertFalse(plain.contains("Pruning saved") || plain.contains("Unused") || plain.contains("Compatibility")
        || plain.contains("Cold-start"), plain);
    ObjectNode prune = r.putObject("prune").put("removedBytes", 41_000_000L);
    prune.putObject("byRule").putObject("tests").put("bytes", 40_000_000L).put("files", 812);
    ((ObjectNode) r.path("packages").get(1)).put("used", false);
    r.putArray("compatibility").addObject().put("file", "numpy.libs/libgfortran.so.5").put("distribution", "numpy")
        .put("severity", "error").put("problem", "needs a newer glibc").put("needed", "GLIBC_2.27")
        .put("available", "2.26");
    r.putObject("smoke").put("passed", true).put("importMillis", 438);
    String body = CommentRenderer.render(r, "k");
    assertTrue(body.contains("#### Pruning saved 41.0 MB") && body.contains("| tests | 812 | 40.0 MB |"), body);
    assertTrue(body.contains("`distribution-number-1` (1000.0 kB)") && body.contains("prune-unused: true"), body);
    assertTrue(body.contains("| error | numpy | `numpy.libs/libgfortran.so.5` | needs a newer glibc | GLIBC_2.27 | 2.26 |"),
        body);
    assertTrue(body.contains("Cold-start import time (smoke test): **438 ms**"), body);
  }

  @Test
  void failures_makeTheHeadlineAFailureAndAreListed() {
    ObjectNode r = report(1);
    ((ArrayNode) r.path("failures")).add("unzipped size 300 bytes exceeds the budget");
    String body = CommentRenderer.render(r, "k");
    assertTrue(body.contains("### ❌ layerslim: `k`"), body);
    assertTrue(body.contains("- ❌ unzipped size 300 bytes exceeds the budget"), body);
    assertEquals(1, body.split("<!-- layerslim:k -->", -1).length - 1, "one marker");
  }

  @Test
  void distributionPrunedByTheBuild_isMarkedSoItsZeroBytesDoNotReadAsShipped() {
    ObjectNode r = report(2);
    ((ObjectNode) r.path("packages").get(1)).put("unzippedBytes", 0L).put("used", false).put("removed", true);
    String body = CommentRenderer.render(r, "k");
    assertTrue(body.contains("| distribution-number-1 | 1.0.1 | 0 B | 0.0 % | pruned, not in the layer |"), body);
    assertTrue(body.contains("| distribution-number-0 | 1.0.0 | 1.0 MB | 0.4 % |  |"), body);
  }
}
