package dev.layerslim.github;

import static dev.layerslim.testing.ReportFixture.audited;
import static dev.layerslim.testing.ReportFixture.compat;
import static dev.layerslim.testing.ReportFixture.pkg;
import static dev.layerslim.testing.ReportFixture.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.reportfile.Report;
import dev.layerslim.testing.ReportFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CommentRendererTest {
  static final long MIB = 1024L * 1024;
  static final CommentContext CLI = CommentContext.cli("k", "layers/gis/requirements.txt");
  static final CommentContext ACTION = new CommentContext("k", "gis", Advice.ACTION,
      "https://github.com/octo-org/lambda-app/actions/runs/123456", "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b");

  /** A layer of 231,000,000 bytes (60,000,000 zipped) in {@code distributions} rows, within AWS's limits. */
  static ReportFixture report(int distributions) {
    ReportFixture r = new ReportFixture();
    r.unzippedBytes = 231_000_000L;
    r.zippedBytes = 60_000_000L;
    r.awsLimits();
    for (int i = 0; i < distributions; i++) {
      r.packages.add(pkg("distribution-number-" + i, "1.0." + i, 1_000_000L - i));
    }
    return r;
  }

  /**
   * The matplotlib PR as report.json has it: geopandas and numpy in the layer; matplotlib (imported
   * by the handler), pillow (matplotlib's requirement) and boto3 (required, not imported, in the
   * runtime) added against a baseline that pruned matplotlib; a growth budget of 20 MiB exceeded.
   */
  static ReportFixture matplotlibPr() {
    ReportFixture r = new ReportFixture();
    r.unzippedBytes = 150 * MIB;
    r.zippedBytes = 55 * MIB;
    r.awsLimits();
    r.limit("growth", 20 * MIB, 45 * MIB + 1, true, "--max-growth");
    r.packages.add(pkg("numpy", "2.4.6", 60 * MIB));
    r.packages.add(pkg("geopandas", "1.2.0", 40 * MIB + 1));
    r.packages.add(ReportFixture.zipped(pkg("matplotlib", "3.11.2", 30 * MIB), 10 * MIB));
    r.packages.add(pkg("pillow", "12.3.0", 10 * MIB));
    r.packages.add(ReportFixture.runtimeProvided(pkg("boto3", "1.40.0", 5 * MIB + 1)));
    r.packages.add(ReportFixture.removed(pkg("scipy", "1.17.1", 140 * MIB)));
    r.audit = ReportFixture.audit(new ArrayList<>(List.of(
        audited("numpy", true, null),
        audited("geopandas", true, new Report.Why("app.py:2 import geopandas", List.of("geopandas"), ""), "numpy",
            "boto3"),
        audited("matplotlib", true, new Report.Why("app.py:6 import matplotlib", List.of("matplotlib"), ""), "numpy",
            "pillow"),
        audited("pillow", true, new Report.Why("app.py:6 import matplotlib", List.of("matplotlib", "pillow"), "")),
        audited("boto3", false, null),
        audited("scipy", false, null, "numpy"))), List.of());
    r.baseline = ReportFixture.baseline(105 * MIB, 40 * MIB, 45 * MIB + 1, 15 * MIB,
        List.of(row("matplotlib", "", "3.11.2", 0, 30 * MIB, 0, 10 * MIB),
            row("pillow", "", "12.3.0", 0, 10 * MIB, 0, 4 * MIB),
            row("boto3", "", "1.40.0", 0, 5 * MIB + 1, 0, MIB)),
        List.of(), List.of(row("geopandas", "1.1.0", "1.2.0", 40 * MIB, 40 * MIB + 1, 0, 0)));
    return r;
  }

  /** {@code r}'s audit with {@code name} unused and reached by nothing. */
  static void unused(ReportFixture r, String name) {
    List<Report.AuditDistribution> ds = new ArrayList<>(r.audit.distributions());
    ds.replaceAll(d -> d.name().equals(name) ? new Report.AuditDistribution(d.name(), d.version(), false,
        d.runtimeProvided(), d.bytes(), d.requires(), d.missing(), null) : d);
    r.audit = ReportFixture.audit(ds, r.audit.computedImports());
  }

  @Test
  void fiveThousandDistributions_stayUnderTheCapWithTheMarkerFirstAndATruncationNote() {
    String body = CommentRenderer.render(report(5000).build(), CommentContext.cli("layers/big", null));
    assertTrue(body.length() <= CommentRenderer.MAX_CHARS, "length " + body.length());
    assertTrue(body.startsWith("<!-- layerslim:layers/big -->\n"));
    assertTrue(body.contains("| distribution-number-0 | 1.0.0 |"), "largest first");
    assertFalse(body.contains("| distribution-number-4999 |"));
    assertTrue(body.matches("(?s).*_\\d+ more distributions not shown.*"), "a note says rows were left out");
    assertTrue(body.contains("<sub>layerslim 0.1.0"), "the footer survives");
  }

  @Test
  void verdict_overTheGrowthBudget_namesTheGrowthAndTheBudgetInTheTitle() {
    String body = CommentRenderer.render(matplotlibPr().build(), ACTION);
    assertEquals("### ❌ `gis` · over the growth budget: +45.0 MiB against a 20 MiB budget", body.lines().skip(1)
        .findFirst().orElseThrow(), body);
  }

  @Test
  void verdict_forEachResult() {
    ReportFixture close = report(1);
    close.unzippedBytes = 256_061_030L;
    close.limits.clear();
    close.awsLimits();
    assertEquals("### ✅ `k` · 244.2 MiB of 250 MiB (97.7 %): close to the limit", title(close));

    ReportFixture within = report(1);
    assertEquals("### ✅ `k` · within limits: 220.3 MiB of 250 MiB (88.1 %)", title(within));

    ReportFixture aws = report(1);
    aws.limits.clear();
    aws.limit("unzipped", 262_144_000L, 270 * MIB, true, null);
    assertEquals("### ❌ `k` · over AWS's unzipped limit: 270 MiB of 250 MiB (function and all layers)", title(aws));

    ReportFixture budgets = report(1);
    budgets.limits.clear();
    budgets.limit("unzipped", 200 * MIB, 210 * MIB, true, "--max-unzipped");
    budgets.limit("zipped", 50 * MIB, 60 * MIB, true, "--max-zipped");
    assertEquals("### ❌ `k` · over the unzipped budget: 210 MiB against a 200 MiB budget; over the zipped budget: "
        + "60 MiB against a 50 MiB budget", title(budgets));

    ReportFixture incompatible = report(1);
    incompatible.failures.add("2 ELF objects cannot load");
    incompatible.compatibility = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      incompatible.compatibility.add(compat("numpy/x" + i + ".so", "numpy", "error", "GLIBC_2.27"));
    }
    incompatible.compatibility.add(new Report.Compat("a.so", "", "warning", "", "", ""));
    assertEquals("### ❌ `k` · 2 binaries cannot load on python3.11 (Amazon Linux 2, glibc 2.26)", title(incompatible));

    String failed = CommentRenderer.renderFailure(CommentContext.cli("k", "req.txt"), "smoke-before",
        "the input fails before any pruning: import app raised ModuleNotFoundError: No module named 'requests'");
    assertEquals("### ❌ `req.txt` · build failed at step smoke-before", failed.lines().skip(1).findFirst().orElseThrow());
    assertTrue(failed.contains("\n\nthe input fails before any pruning: import app raised ModuleNotFoundError"), failed);
  }

  private static String title(ReportFixture report) {
    return CommentRenderer.render(report.build(), CommentContext.cli("k", null)).lines().skip(1).findFirst().orElseThrow();
  }

  @Test
  void addedAndGrownDistributions_sayWhyTheyAreInTheLayer() {
    String body = CommentRenderer.render(matplotlibPr().build(), ACTION);
    assertTrue(body.contains("| matplotlib | 3.11.2 | 30 MiB | +30 MiB, added | +10 MiB | "
        + "`app.py:6 import matplotlib` → matplotlib |"), body);
    assertTrue(body.contains("| pillow | 12.3.0 | 10 MiB | +10 MiB, added | +4 MiB | "
        + "`app.py:6 import matplotlib` → matplotlib → pillow |"), body);
    assertTrue(body.contains("| boto3 | 1.40.0 | 5.0 MiB | +5.0 MiB, added | +1 MiB | required by geopandas, not "
        + "imported by the handler; the Lambda runtime has its own copy |"), body);
    assertTrue(body.contains("| geopandas | 1.1.0 → 1.2.0 | 40.0 MiB | +1 B (+0.0 %) |  | "
        + "`app.py:2 import geopandas` → geopandas |"), body);
    assertTrue(body.contains("| unzipped | 105 MiB | 150 MiB | +45 MiB (+42.9 %) | 250 MiB (AWS) | ✅ 60.0 % |"), body);
    assertTrue(body.contains("| zipped | 40 MiB | 55 MiB | +15 MiB (+37.5 %) | 50 MiB (AWS, direct upload) |"), body);
    assertTrue(body.contains("| growth | | | +45.0 MiB | 20 MiB budget | ❌ **225.0 %** |"), body);
  }

  @Test
  void aLayerOfOneDistribution_isCountedInTheSingular() {
    ReportFixture r = report(1);
    r.prune = prune(MIB, 1, Map.of("tests", new Report.FilesBytes(1, MIB)));
    String body = CommentRenderer.render(r.build(), ACTION);
    assertTrue(body.contains("<summary>1 distribution in the layer</summary>"), body);
    assertTrue(body.contains("(1 file)</summary>"), body);
    assertFalse(Pattern.compile("\\b1 (distributions|files|modules|findings)\\b").matcher(body).find(), body);
  }

  @Test
  void prunedDistributions_haveNoRowAmongTheUnchanged_andAreCountedUnderPruning() {
    ReportFixture r = matplotlibPr();
    r.prune = prune(140 * MIB, 4000, Map.of("unused", new Report.FilesBytes(4000, 140 * MIB)));
    String body = CommentRenderer.render(r.build(), ACTION);
    int unchanged = body.indexOf("<details><summary>1 unchanged distribution</summary>");
    assertTrue(unchanged > 0 && body.indexOf("| numpy | 2.4.6 | 60 MiB |", unchanged) > 0, body);
    assertFalse(body.contains("| scipy |"), body);
    int pruning = body.indexOf("<details><summary>Pruning removed 140 MiB (4,000 files)</summary>");
    assertTrue(pruning > unchanged && body.indexOf("`scipy` (140 MiB)", pruning) > 0, body);
  }

  @Test
  void shippedInTheBaseAndPrunedNow_isARemovedRow_notAnUnchangedOne() {
    ReportFixture r = matplotlibPr();
    r.packages.set(0, ReportFixture.removed(r.packages.get(0)));
    Report.BaselineDiff b = r.baseline;
    r.baseline = ReportFixture.baseline(b.unzippedBytes(), b.zippedBytes(), b.deltaBytes(), b.zippedDeltaBytes(),
        b.added(), List.of(row("numpy", "2.4.6", "", 60 * MIB, 0, 20 * MIB, 0)), b.changed());
    String body = CommentRenderer.render(r.build(), ACTION);
    assertTrue(body.contains("| numpy | 2.4.6 | — | -60 MiB, removed | -20 MiB |  |"), body);
    assertFalse(body.contains("unchanged distributions"), body);
  }

  @Test
  void advice_namesActionInputsInTheAction_andFlagsOnTheCommandLine() {
    ReportFixture r = matplotlibPr();
    unused(r, "boto3");
    String action = CommentRenderer.render(r.build(), ACTION);
    assertTrue(action.contains("- If this growth is wanted, raise `max-growth` to at least 46 MiB: `max-growth: 46MiB`."),
        action);
    assertTrue(action.contains("- `app.py:6 import matplotlib` brings matplotlib (30 MiB), pillow (10 MiB): if the "
        + "handler does not need it, drop the import"), action);
    String cli = CommentRenderer.render(r.build(), CommentContext.cli("k", null));
    assertTrue(cli.contains("raise `--max-growth` to at least 46 MiB: `--max-growth 46MiB`."), cli);
    assertTrue(cli.contains("`--drop-runtime-provided` leaves out boto3 (5.0 MiB): the Lambda runtime has its own copy"),
        cli);
    assertTrue(cli.contains("parts it never loads can go with `--exclude`"), cli);
    if (!ActionInputs.NAMES.contains("drop-runtime-provided")) {
      assertFalse(action.contains("drop-runtime-provided"), action);
      assertTrue(action.contains("The Lambda runtime has its own boto3 (5.0 MiB): leave it out with `exclude` globs"),
          action);
    }
    assertActionAdviceNamesOnlyDeclaredInputs(action);
  }

  @Test
  void advice_forAnUnusedDistributionThatGrew_isPruneUnused() {
    ReportFixture r = matplotlibPr();
    unused(r, "pillow");
    String action = CommentRenderer.render(r.build(), ACTION);
    assertTrue(action.contains("- `prune-unused: true` drops pillow (10 MiB): the handler's imports do not reach it."),
        action);
    assertTrue(action.contains("| pillow | 12.3.0 | 10 MiB | +10 MiB, added | +4 MiB | required by matplotlib, not "
        + "imported by the handler |"), action);
    assertTrue(CommentRenderer.render(r.build(), CLI).contains("- `--prune-unused` drops pillow (10 MiB)"));
  }

  @Test
  void chart_isInTheComment_collapsed_andInTheSummarysReportMd() {
    Report r = report(1).build();
    String body = CommentRenderer.render(r, ACTION);
    int details = body.indexOf("<details><summary>Chart: the layer against the limit</summary>");
    assertTrue(details >= 0, body);
    assertTrue(body.indexOf("```mermaid\npie showData") > details, body);
    assertTrue(body.indexOf("</details>", details) > body.indexOf("```mermaid"), "collapsed: " + body);
    assertTrue(dev.layerslim.report.ReportMarkdown.render(r, java.util.Map.of()).contains("```mermaid\npie showData"));
  }

  @Test
  void advice_forIncompatibleBinaries_offersCompatWarnOnlyWhereItExists() {
    ReportFixture f = report(1);
    f.failures.add("1 ELF object cannot load");
    f.compatibility = List.of(compat("numpy/x.so", "numpy", "error", "GLIBC_2.27"));
    Report r = f.build();
    String cli = CommentRenderer.render(r, CLI);
    assertTrue(cli.contains("`--compat warn` ships the layer anyway"), cli);
    assertTrue(cli.contains("| `numpy/x.so` | numpy | needs GLIBC_2.27 | GLIBC_2.27 | 2.26 |"), cli);
    String action = CommentRenderer.render(r, ACTION);
    assertEquals(ActionInputs.NAMES.contains("compat"), action.contains("`compat: warn`"), action);
    assertTrue(action.contains("`glibc: 2.28`"), action);
    assertFalse(action.contains("`--"), "no CLI flag in the action's comment: " + action);
    // the fix that exists leads; compat: warn comes last, as what it is
    assertTrue(action.contains("- Build for python3.12 (`python-version: 3.12`): AWS runs it on Amazon Linux 2023"),
        action);
    assertTrue(cli.contains("- Build for python3.12 (`--python 3.12`)"), cli);
    assertTrue(action.indexOf("python-version: 3.12") < action.indexOf("compat: warn"), action);
    assertActionAdviceNamesOnlyDeclaredInputs(action);
  }

  /** Every {@code `name: value`} the action's comment advises is an input action.yml declares. */
  static void assertActionAdviceNamesOnlyDeclaredInputs(String body) {
    Matcher m = Pattern.compile("`([a-z-]+): [^`]*`").matcher(body);
    int found = 0;
    while (m.find()) {
      found++;
      assertTrue(ActionInputs.NAMES.contains(m.group(1)), "advises the input " + m.group(1) + ", which the action lacks");
    }
    assertTrue(found > 0, "some advice was checked");
  }

  @Test
  void zippedOverTheDirectUploadLimit_isANoticeAboutDirectUploads_notAFailure() {
    String body = CommentRenderer.render(report(2).build(), CLI);
    assertTrue(body.startsWith("<!-- layerslim:k -->\n### ✅"), body);
    assertTrue(body.contains("ℹ️ layer.zip is 57.2 MiB, over the 50 MiB AWS takes in a direct upload. That only "
        + "matters if you upload the zip directly"), body);
    assertTrue(body.contains("SAM and CDK upload through S3. `--max-zipped 50MiB` makes it a check."), body);
  }

  @Test
  void footer_linksTheRunAndNamesTheHeadCommit() {
    String body = CommentRenderer.render(matplotlibPr().build(), ACTION);
    List<String> lines = body.lines().toList();
    assertEquals("<sub>layerslim 0.1.0 · python3.11 x86_64, Amazon Linux 2 (glibc 2.26) · "
        + "[workflow run](https://github.com/octo-org/lambda-app/actions/runs/123456) · head `1a2b3c4` · the full "
        + "report is in the job summary and report.json</sub>", lines.get(lines.size() - 1));
    String failed = CommentRenderer.renderFailure(ACTION, null, "input prune-unused: 'yes' is not a boolean");
    assertTrue(failed.contains("[workflow run](https://github.com/octo-org/lambda-app/actions/runs/123456) · head "
        + "`1a2b3c4`"), failed);
  }

  @Test
  void lead_isTheCommentsOpeningWithoutTheMarker() {
    Report r = matplotlibPr().build();
    String lead = CommentRenderer.lead(r, ACTION);
    assertTrue(lead.startsWith("### ❌ `gis` · over the growth budget"), lead);
    assertTrue(CommentRenderer.render(r, ACTION).startsWith(CommentRenderer.marker("k") + "\n" + lead));
  }

  @Test
  void optionalSections_areRenderedWhenPresent_andLeftOutWhenAbsent() {
    ReportFixture r = report(2);
    String plain = CommentRenderer.render(r.build(), CLI);
    assertFalse(plain.contains("Pruning") || plain.contains("not reached") || plain.contains("Compatibility")
        || plain.contains("Cold start"), plain);
    r.prune = prune(41 * MIB, 812, Map.of("tests", new Report.FilesBytes(812, 40 * MIB)));
    r.audit = ReportFixture.audit(List.of(audited("distribution-number-0", true, null),
        audited("distribution-number-1", false, null)), List.of());
    r.compatibility = List.of(new Report.Compat("numpy.libs/libgfortran.so.5", "numpy", "warning",
        "an unresolved library", "libquadmath.so.0", ""));
    r.smoke = ReportFixture.smoke(438, 612L);
    String body = CommentRenderer.render(r.build(), CLI);
    assertTrue(body.contains("<details><summary>Pruning removed 41 MiB (812 files)</summary>")
        && body.contains("| tests | 812 | 40 MiB |"), body);
    assertTrue(body.contains("ℹ️ 1 distribution (976.6 KiB) is not reached by any handler import: "
        + "distribution-number-1 (976.6 KiB). `--prune-unused` drops them (`--keep` protects one)."), body);
    assertTrue(body.contains("<details><summary>Compatibility with the Lambda runtime: 1 finding</summary>"), body);
    assertTrue(body.contains("| this build, before pruning | 612 ms |") && body.contains("| this build's layer | **438 ms** |"),
        body);
  }

  @Test
  void computedImportInTheHandler_isAWarningLineInTheOpen_passOrFail() {
    ReportFixture r = report(3);
    r.audit = ReportFixture.audit(List.of(), List.of(new Report.ComputedImport("app.py:7",
        "importlib.import_module(f\"plugins.{…}\")", "plugins.", List.of("plugs"),
        "app.py:7: importlib.import_module(f\"plugins.{…}\") imports a name computed at run time "
            + "starting 'plugins.': kept plugs, whose modules it may name")));
    String lead = CommentRenderer.lead(r.build(), ACTION);
    assertTrue(lead.contains("⚠️ app.py:7: importlib.import_module(f\"plugins.{…}\") imports a name computed at run "
        + "time starting 'plugins.': kept plugs, whose modules it may name."), lead);
    r.limit("unzipped-budget", 100, 231_000_000L, true, "--max-unzipped");
    assertTrue(CommentRenderer.lead(r.build(), ACTION).contains("⚠️ app.py:7"), "a failed check keeps the warning");
  }

  /** A prune section that removed {@code bytes} in {@code files}, by these rules. */
  static Report.Prune prune(long bytes, long files, Map<String, Report.FilesBytes> byRule) {
    return new Report.Prune(false, files, bytes, byRule, Map.of(), List.of(), new Report.FilesBytes(0, 0), List.of(),
        List.of(), null);
  }
}
