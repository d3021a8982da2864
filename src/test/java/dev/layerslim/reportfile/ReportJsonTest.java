package dev.layerslim.reportfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.testing.ReportFixture;
import dev.layerslim.testing.ReportSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.json's one reader and writer: what it writes reads back as the same report, matches the
 * published schema, and is byte for byte what the builds of the golden files wrote before the model.
 */
class ReportJsonTest {
  /** report.json files builds wrote before the model existed (the tests' builds, paths normalised). */
  static final List<String> GOLDEN = List.of("build-smoke-prune-modules.json", "dry-run.json", "baseline-growth.json",
      "baseline-other-target.json", "fit-plan.json", "cold-storage-sourceless.json", "levers-proofs.json",
      "failed-after-report.json", "no-smoke.json", "custom-glibc.json");

  @TempDir Path tmp;

  /** A report with every section and every optional key set. */
  static Report full() {
    ReportFixture r = new ReportFixture();
    r.target = new Report.Target("3.12", "arm64", "2.34", "Amazon Linux 2023", true, "2.34",
        "a custom image with glibc 2.36");
    r.dryRun = true;
    r.packages.add(ReportFixture.zipped(ReportFixture.pkg("numpy", "2.2.6", 40_000_000), 12_000_000));
    r.packages.add(ReportFixture.runtimeProvided(ReportFixture.removed(ReportFixture.pkg("boto3", "1.40.0", 9_000))));
    r.totalsFromPackages();
    r.extraBytes = 5;
    r.awsLimits();
    r.limit("unzipped-budget", 300_000_000, 40_000_000, true, "--max-unzipped");
    r.limit("growth", 1_000, 2_000, true, "--max-growth");
    r.audit = new Report.Audit(
        List.of(new Report.AuditDistribution("numpy", "2.2.6", true, false, 40_000_000, List.of("six"), List.of("x"),
            new Report.Why("app.py:1 import numpy", List.of("numpy"), "app.py:1 import numpy → numpy")),
            new Report.AuditDistribution("boto3", "1.40.0", false, true, 9_000, List.of(), List.of(), null)),
        List.of(new Report.AuditImport("numpy", List.of("numpy"), null, List.of("app.py:1"), false),
            new Report.AuditImport("boto3", List.of(), "boto3", List.of("app.py:2"), true)),
        List.of(new Report.UnresolvedImport("nope", List.of("app.py:3"), true)), List.of("a problem"),
        List.of(new Report.ComputedImport("app.py:7", "importlib.import_module(x)", "plugins.", List.of("plugs"),
            "app.py:7 imports a computed name")));
    Map<String, Report.FilesBytes> byRule = new LinkedHashMap<>();
    byRule.put("tests", new Report.FilesBytes(3, 300));
    byRule.put("unused", new Report.FilesBytes(1, 100));
    Map<String, Report.UnitReach> units = new LinkedHashMap<>();
    units.put("numpy/f2py", new Report.UnitReach("numpy.f2py", "UNREACHED", null, null));
    units.put("numpy/linalg", new Report.UnitReach("numpy.linalg", "IMPORT_TIME", "IMPORT", "app.py:1"));
    r.prune = new Report.Prune(true, 4, 400, byRule,
        Map.of("numpy", new Report.DistributionRemoval(3, 300, Map.of("tests", new Report.FilesBytes(3, 300)))),
        List.of(new Report.GuardKeep("numpy/tests/x.py", "tests", "imported at run time")),
        new Report.FilesBytes(1, 10), List.of("numpy/doc/**"), List.of("numpy/tests/keep.py"),
        new Report.PruneModules(List.of(new Report.RemovedUnit("numpy/f2py", 1, 100, "nothing imports it")),
            Map.of("numpy/linalg", "app.py:1"),
            List.of(new Report.DynamicSite("numpy/__init__.py:5", "computed-import", null, "any", null, false),
                new Report.DynamicSite("numpy/x.py:1", "computed-import", "numpy.y", "numpy.", "numpy", true)),
            units));
    r.strip = new Report.Strip(true, "no strip on PATH", 2, 100, 80, 20, 1, 0, 1, 0, 1,
        List.of(new Report.StrippedInPlace("a.so", 10, "layout")),
        List.of(new Report.OriginalKept("b.so", "REJECTED", "misaligned")));
    r.smoke = new Report.Smoke(true, null, true, List.of("app"), 400L, 600L,
        List.of(new Report.ModuleTime("numpy", 1_000, 5_000)), new Report.Dlopen(3, 1L, List.of("c.so")),
        List.of(new Report.Healed("tests", "numpy/tests", 2, "numpy", "import failed")),
        new Report.Bytecode("cold-path", 10, 1_000, 8, new Report.Sourceless(2, 300, 200, 0, "no source lines"), null,
            700L, null));
    r.compatibility = List.of(ReportFixture.compat("c.so", "numpy", "error", "GLIBC_2.38"));
    r.coldStorage = new Report.ColdStorage(true, false, null, "zip", 1_000L, 400L, 600L, 50L,
        List.of(new Report.ColdUnit("numpy/f2py", "numpy.f2py", 3, 1_000, 400, "call-time only", 12L, 3L)),
        List.of(new Report.KeptHot("numpy/core", "numpy.core", "imported at start")),
        new Report.ColdProof(1, 1, 0, "fresh processes"));
    r.proofs = new Report.Proofs(
        new Report.HandlerResult(true, null, true, "{\"ok\":true}", 30L,
            List.of(new Report.ProofHealed("tests", "numpy/tests", 1))),
        new Report.ImportEquivalence(10, 8, 1, 0, 1, 50, 100, 90, List.of("numpy.x"), List.of()));
    r.baseline = new Report.BaselineDiff("/base/report.json", 30_000_000, 10_000_000, 10_000_000, 2_000_000, 500L,
        new Report.BaselineTarget("3.11", "x86_64"), "another platform",
        List.of(ReportFixture.row("six", "", "1.17.0", 0, 100, 0, 50)),
        List.of(ReportFixture.row("old", "1.0", "", 200, 0, 80, 0)),
        List.of(ReportFixture.row("numpy", "2.2.5", "2.2.6", 30_000_000, 40_000_000, 9_000_000, 12_000_000)));
    r.fitPlan = new Report.FitPlan("unzipped", 262_144_000, 300_000_000,
        List.of(new Report.FitLever("bytecode", "sourceless", "--bytecode sourceless", 1_000, "no source lines"),
            new Report.FitLever("cold-storage", null, "--cold-storage", 2_000, "unpacks on first use")),
        3_000, false, "a container image (up to 10 GB) holds it");
    r.steps.add(new Report.StepTime("install", 1_200));
    r.failures.add("growth 2 KiB exceeds --max-growth 1000B");
    r.status = Report.Status.FAILED;
    r.failedStep = "release";
    return r.build();
  }

  /** A report with no optional section: what a build with every step off would write. */
  static Report bare() {
    ReportFixture r = new ReportFixture();
    r.awsLimits();
    return r.build();
  }

  /** A report whose optional sections are each in their other shape (not run, skipped, no smoke). */
  static Report otherShapes() {
    ReportFixture r = new ReportFixture();
    r.awsLimits();
    r.smoke = Report.Smoke.notRun("--no-smoke");
    r.bytecode = new Report.Bytecode("all", 3, 300, 0, null, 120L, 200L,
        List.of(new Report.ModuleTime("six", 10, 20)));
    r.strip = new Report.Strip(false, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of());
    r.coldStorage = new Report.ColdStorage(false, true, "the layer fits", null, null, null, null, null, null, null,
        null);
    r.proofs = new Report.Proofs(new Report.HandlerResult(false, "the handler fails on the input", null, null, null,
        null), null);
    r.fitPlan = new Report.FitPlan("unzipped", 1, 2, List.of(), 0, true, null);
    return r.build();
  }

  @Test
  void whatTheWriterWrites_readsBackAsTheSameReport_andMatchesTheSchema() throws Exception {
    for (Report r : List.of(full(), bare(), otherShapes())) {
      String text = ReportJson.text(r);
      assertEquals(r, ReportJson.read(text), text);
      assertEquals(text, ReportJson.text(ReportJson.read(text)), "written again, byte for byte");
      assertEquals(List.of(), ReportSchema.problems(text), text);
    }
  }

  @Test
  void goldenReports_fromBuildsBeforeTheModel_readAndWriteByteForByte() throws Exception {
    for (String name : GOLDEN) {
      String text = golden(name);
      assertEquals(text, ReportJson.text(ReportJson.read(text)), name);
      assertEquals(List.of(), ReportSchema.problems(text), name);
    }
  }

  @Test
  void aRenamedOrMissingKey_failsTheSchemaAndTheReader() throws Exception {
    ObjectNode tree = ReportJson.tree(full());
    ObjectNode totals = (ObjectNode) tree.get("totals");
    totals.set("unzipped_bytes", totals.remove("unzippedBytes"));
    List<String> problems = ReportSchema.problems(tree.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("unzippedBytes")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("unzipped_bytes")), problems.toString());
    ReportJson.Unreadable e = assertThrows(ReportJson.Unreadable.class, () -> ReportJson.read(tree));
    assertEquals("not a layerslim report.json of schemaVersion 1 (totals.unzippedBytes is missing)", e.getMessage());

    ObjectNode wrongType = ReportJson.tree(full());
    ((ObjectNode) wrongType.get("packages").get(1)).put("removed", "yes");
    e = assertThrows(ReportJson.Unreadable.class, () -> ReportJson.read(wrongType));
    assertTrue(e.getMessage().contains("packages[1].removed is a string, not true or false"), e.getMessage());
    assertFalse(ReportSchema.problems(wrongType.toString()).isEmpty());
  }

  @Test
  void schemaVersion_aNewerReportNamesBothVersions_andOneWithoutIsNotALayerslimReport() throws Exception {
    ObjectNode newer = ReportJson.tree(bare());
    newer.put("schemaVersion", 2);
    ReportJson.Unreadable e = assertThrows(ReportJson.Unreadable.class, () -> ReportJson.read(newer));
    assertEquals("written by a newer layerslim (schemaVersion 2; this one reads 1): update layerslim to read it",
        e.getMessage());

    ObjectNode none = ReportJson.tree(bare());
    none.remove("schemaVersion");
    e = assertThrows(ReportJson.Unreadable.class, () -> ReportJson.read(none));
    assertTrue(e.getMessage().startsWith("not a layerslim report.json (it has no schemaVersion"), e.getMessage());

    // a baseline is read by the same rules, and the message names the file
    Path file = tmp.resolve("base.json");
    Files.writeString(file, newer.toString());
    LayerslimException x = assertThrows(LayerslimException.class, () -> Baseline.load(file, "--baseline"));
    assertEquals("--baseline " + file + ": written by a newer layerslim (schemaVersion 2; this one reads 1): update "
        + "layerslim to read it", x.getMessage());
    assertEquals(LayerslimException.EXIT_USAGE, x.exitCode());
  }

  @Test
  void aKeyALaterLayerslimAdds_isIgnored_notAnError() throws Exception {
    ObjectNode tree = ReportJson.tree(full());
    tree.put("somethingNew", 1);
    ((ObjectNode) tree.get("totals")).put("alsoNew", true);
    assertEquals(full(), ReportJson.read(tree));
  }

  @Test
  void redacted_replacesASecretInEveryStringAndKey_andLeavesNumbersAlone() throws Exception {
    Report r = full();
    String secret = "numpy";
    Report safe = ReportJson.redacted(r, s -> s.replace(secret, "***"));
    String text = ReportJson.text(safe);
    assertFalse(text.contains(secret), text);
    assertTrue(text.contains("\"***/f2py\""), "a map key is redacted too: " + text);
    assertEquals(r.totals(), safe.totals());
  }

  @Test
  void theWriter_replacesTheFileAtomically_andLeavesNoTemporaryFile() throws Exception {
    Path file = tmp.resolve("report.json");
    Files.writeString(file, "old");
    ReportJson.write(bare(), file);
    assertEquals(ReportJson.text(bare()), Files.readString(file));
    try (var s = Files.list(tmp)) {
      assertEquals(List.of(file), s.toList());
    }
  }

  @Test
  void limitKind_comesFromTheNameAndTheSetting_notTheDescription() {
    assertEquals(Report.LimitKind.AWS_UNZIPPED, Report.Limit.kindOf("unzipped", null));
    assertEquals(Report.LimitKind.AWS_UNZIPPED, Report.Limit.kindOf("unzipped-aws", null));
    assertEquals(Report.LimitKind.AWS_ZIPPED_DIRECT, Report.Limit.kindOf("zipped", null));
    assertEquals(Report.LimitKind.BUDGET, Report.Limit.kindOf("unzipped", "--max-unzipped"));
    assertEquals(Report.LimitKind.BUDGET, Report.Limit.kindOf("zipped", "max-zipped"));
    assertEquals(Report.LimitKind.GROWTH, Report.Limit.kindOf("growth", "max-growth"));
    List<Report.LimitKind> read = new ArrayList<>();
    full().limits().forEach(l -> read.add(l.kind()));
    assertEquals(List.of(Report.LimitKind.AWS_UNZIPPED, Report.LimitKind.AWS_ZIPPED_DIRECT, Report.LimitKind.BUDGET,
        Report.LimitKind.GROWTH), read);
  }

  @Test
  void theAuditSection_printsAsAuditJsonDoes() throws Exception {
    String text = ReportJson.auditText(full().audit());
    assertEquals(new ObjectMapper().readTree(text).toString(), ReportJson.tree(full()).get("audit").toString());
    assertTrue(text.endsWith("}\n"), text);
  }

  static String golden(String name) throws IOException {
    try (InputStream in = ReportJsonTest.class.getResourceAsStream("golden/" + name)) {
      if (in == null) {
        throw new IOException("no golden file " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
