package dev.layerslim.reportfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.error.LayerslimException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading a baseline report.json: what makes one unusable, and the memory it may take. */
class BaselineTest {
  /** The heap of the child JVM that reads the large files: a sixth of what bin/layerslim gives the whole build. */
  static final String CHILD_HEAP = "-Xmx64m";

  @TempDir Path dir;

  Path write(String json) throws IOException {
    Path f = dir.resolve("report.json");
    Files.writeString(f, json);
    return f;
  }

  static String report(String packages) {
    return "{\"schemaVersion\":1,\"tool\":{\"name\":\"layerslim\",\"version\":\"0.9.0\"},"
        + "\"target\":{\"python\":\"3.11\",\"arch\":\"x86_64\"},"
        + "\"totals\":{\"installedBytes\":9000,\"unzippedBytes\":3000,\"zippedBytes\":1000,\"files\":12},"
        + "\"packages\":" + packages + ",\"smoke\":{\"passed\":true,\"importMillis\":40}}";
  }

  @Test
  void aLayerslimReport_isReadWithItsTargetAndRows() throws Exception {
    Baseline b = Baseline.read(write(report("[{\"name\":\"numpy\",\"version\":\"2.4.6\",\"unzippedBytes\":2000,"
        + "\"zippedBytes\":700,\"removed\":false,\"why\":{\"origin\":\"app\",\"path\":[\"numpy\"]}},"
        + "{\"name\":\"scipy\",\"version\":\"1.17.1\",\"unzippedBytes\":0,\"removed\":true}]")));
    assertEquals(3000, b.unzippedBytes());
    assertEquals(1000, b.zippedBytes());
    assertEquals(40, b.importMillis());
    assertEquals("3.11", b.python());
    assertEquals("x86_64", b.arch());
    assertEquals(new Baseline.Entry("numpy", "2.4.6", 2000, 700, true), b.packages().get("numpy"));
    assertEquals(false, b.packages().get("scipy").inLayer());
  }

  /** Every way a file is not a report this layerslim can diff against; each names what is wrong. */
  @ParameterizedTest
  @CsvSource(delimiter = '§', value = {
      "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":5},\"packages\":[1,2,3]}"
          + " § packages[0] is 1, not an object",
      "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":5},\"packages\":{\"a\":1}} § its packages is an object",
      "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":5},\"packages\":[{\"name\":7,\"unzippedBytes\":1}]}"
          + " § packages[0].name is 7, not a string",
      "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":5},\"packages\":[{\"name\":\"a\"}]}"
          + " § packages[0] lacks unzippedBytes",
      "{\"schemaVersion\":1,\"tool\":{\"name\":\"pipdeptree\"},\"totals\":{\"unzippedBytes\":5},\"packages\":[]}"
          + " § pipdeptree",
      "{\"totals\":{\"unzippedBytes\":5},\"packages\":[]} § it has no schemaVersion",
      "{\"schemaVersion\":\"1\",\"totals\":{\"unzippedBytes\":5},\"packages\":[]} § its schemaVersion is a string",
      "{\"schemaVersion\":2,\"totals\":{\"unzippedBytes\":5},\"packages\":[]}"
          + " § written by a newer layerslim (schemaVersion 2; this one reads 1)",
      "{\"schemaVersion\":1,\"packages\":[]} § it needs totals.unzippedBytes",
      "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":5}} § it needs a packages array",
      "[1, 2] § it is not a JSON object",
      "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":-5},\"packages\":[]} § totals.unzippedBytes is negative (-5)",
      "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":5,\"zippedBytes\":-1},\"packages\":[]}"
          + " § totals.zippedBytes is negative",
      "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":5},\"packages\":[{\"name\":\"a\",\"unzippedBytes\":-1}]}"
          + " § packages[0].unzippedBytes is negative",
      "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":5},\"packages\":[{\"name\":\"a\",\"unzippedBytes\":1,"
          + "\"zippedBytes\":99999999999999999999}]} § packages[0].zippedBytes overflows a 64-bit count",
      "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":9223372036854775808},\"packages\":[]}"
          + " § totals.unzippedBytes overflows",
      "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":1.5e3},\"packages\":[]} § is 1.5e3, not a whole number",
      "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":NaN},\"packages\":[]} § not valid JSON",
      "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":\"NaN\"},\"packages\":[]} § is a string, not a number",
      "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":5,\"installedBytes\":-3},\"packages\":[]}"
          + " § totals.installedBytes is negative",
      "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":5},\"smoke\":{\"importMillis\":-2},\"packages\":[]}"
          + " § smoke.importMillis is negative",
      "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":5},\"packages\":[]} {} § trailing data",
      "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":5},\"packages\":[ § not valid JSON",
  })
  void unusable_withAReasonNamingWhatIsWrong(String json, String reason) throws IOException {
    Path f = write(json);
    Baseline.Unusable e = assertThrows(Baseline.Unusable.class, () -> Baseline.read(f));
    assertTrue(e.getMessage().contains(reason.strip()), e.getMessage());
    // the user's own --baseline FILE: bad input, exit 2, naming the file
    LayerslimException usage = assertThrows(LayerslimException.class, () -> Baseline.load(f, "--baseline"));
    assertEquals(LayerslimException.EXIT_USAGE, usage.exitCode());
    assertTrue(usage.getMessage().startsWith("--baseline " + f + ": "), usage.getMessage());
  }

  @Test
  void anotherTarget_isReadAndSaysSo() throws Exception {
    Baseline b = Baseline.read(write(report("[]").replace("\"3.11\"", "\"3.12\"").replace("x86_64", "arm64")));
    assertNull(b.targetMismatch("3.12", "arm64"));
    String w = b.targetMismatch("3.11", "x86_64");
    assertTrue(w.contains("built for python3.12 arm64, this build for python3.11 x86_64"), w);
    assertTrue(b.targetMismatch("3.12", "x86_64").contains("python3.12 arm64, this build for python3.12 x86_64"));
  }

  /**
   * A 31 MB report (its sections other than packages large) and a 16 MB one with 400,000 package
   * rows, read by a JVM with a 64 MiB heap: the first is read, the second refused by the row cap,
   * neither runs out of memory (a tree model of either needs several times the file).
   */
  @Test
  void largeReports_areReadInBoundedMemory() throws Exception {
    Path big = dir.resolve("big.json");
    try (BufferedWriter w = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
      w.write("{\"schemaVersion\":1,\"tool\":{\"name\":\"layerslim\"},\"prune\":{\"removals\":[");
      for (int i = 0; i < 450_000; i++) {
        w.write((i == 0 ? "" : ",") + "{\"path\":\"pkg/sub" + (i % 97) + "/tests/test_" + i + ".py\",\"rule\":\"tests\","
            + "\"bytes\":" + i + "}");
      }
      w.write("]},\"totals\":{\"unzippedBytes\":3000},\"packages\":[{\"name\":\"a\",\"unzippedBytes\":3000}]}");
    }
    assertTrue(Files.size(big) > 30_000_000 && Files.size(big) < 64L << 20, "size " + Files.size(big));
    assertEquals("ok 1 3000", child(big));

    Path rows = dir.resolve("rows.json");
    try (BufferedWriter w = Files.newBufferedWriter(rows, StandardCharsets.UTF_8)) {
      w.write("{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":3000},\"packages\":[");
      for (int i = 0; i < 400_000; i++) {
        w.write((i == 0 ? "" : ",") + "{\"name\":\"p" + i + "\",\"unzippedBytes\":" + i + "}");
      }
      w.write("]}");
    }
    assertTrue(Files.size(rows) > 15_000_000, "size " + Files.size(rows));
    String out = child(rows);
    assertTrue(out.startsWith("unusable: it lists more than " + Baseline.MAX_PACKAGES + " distributions"), out);
  }

  /** A packages key given twice adds to the rows held, so the row cap bounds them all, not each array. */
  @Test
  void packagesGivenTwice_countTowardsOneRowCap() throws Exception {
    StringBuilder half = new StringBuilder("[");
    for (int i = 0; i <= Baseline.MAX_PACKAGES / 2; i++) {
      half.append(i == 0 ? "" : ",").append("{\"name\":\"p").append(i).append("\",\"unzippedBytes\":1}");
    }
    half.append("]");
    Path f = write("{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":5},\"packages\":" + half
        + ",\"packages\":" + half + "}");
    Baseline.Unusable e = assertThrows(Baseline.Unusable.class, () -> Baseline.read(f));
    assertTrue(e.getMessage().startsWith("it lists more than " + Baseline.MAX_PACKAGES + " distributions"),
        e.getMessage());
  }

  /** Runs {@link BaselineReadProbe} on {@code file} in a JVM with {@link #CHILD_HEAP}; its one line of output. */
  static String child(Path file) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        CHILD_HEAP, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        BaselineReadProbe.class.getName(), file.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the child did not end");
    assertEquals(0, p.exitValue(), out);
    return out.strip();
  }
}
