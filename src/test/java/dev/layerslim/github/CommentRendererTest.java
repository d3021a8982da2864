package dev.layerslim.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CommentRendererTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long MIB = 1024L * 1024;
  static final CommentContext CLI = CommentContext.cli("k", "layers/gis/requirements.txt");
  static final CommentContext ACTION = new CommentContext("k", "gis", Advice.ACTION,
      "https://github.com/octo-org/lambda-app/actions/runs/123456", "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b");

  static ObjectNode report(int distributions) {
    ObjectNode r = JSON.createObjectNode();
    r.putObject("tool").put("name", "layerslim").put("version", "0.1.0");
    r.putObject("target").put("python", "3.11").put("arch", "x86_64").put("glibc", "2.26").put("os", "Amazon Linux 2")
        .put("glibcOverridden", false);
    r.putObject("totals").put("unzippedBytes", 231_000_000L).put("zippedBytes", 60_000_000L);
    r.putArray("failures");
    r.putArray("limits");
    limit(r, "unzipped", 262_144_000L, 231_000_000L, true, "AWS limit for function + all layers, unzipped");
    limit(r, "zipped", 52_428_800L, 60_000_000L, false, "AWS limit for a direct zip upload (larger zips go through S3)");
    ArrayNode packages = r.putArray("packages");
    for (int i = 0; i < distributions; i++) {
      packages.addObject().put("name", "distribution-number-" + i).put("version", "1.0." + i)
          .put("unzippedBytes", 1_000_000L - i).put("used", true).put("removed", false);
    }
    return r;
  }

  static void limit(ObjectNode r, String name, long limit, long actual, boolean enforced, String description) {
    ((ArrayNode) r.path("limits")).addObject().put("name", name).put("limitBytes", limit).put("actualBytes", actual)
        .put("exceeded", actual > limit).put("enforced", enforced).put("description", description);
    if (actual > limit && enforced) {
      ((ArrayNode) r.path("failures")).add(name + " size " + actual + " bytes exceeds the limit");
    }
  }

  /**
   * The matplotlib PR as report.json has it: geopandas and numpy in the layer; matplotlib (imported
   * by the handler), pillow (matplotlib's requirement) and boto3 (required, not imported, in the
   * runtime) added against a baseline that pruned matplotlib; a growth budget of 20 MiB exceeded.
   */
  static ObjectNode matplotlibPr() {
    ObjectNode r = JSON.createObjectNode();
    r.putObject("tool").put("version", "0.1.0");
    r.putObject("target").put("python", "3.11").put("arch", "x86_64").put("glibc", "2.26").put("os", "Amazon Linux 2")
        .put("glibcOverridden", false);
    r.putObject("totals").put("unzippedBytes", 150 * MIB).put("zippedBytes", 55 * MIB);
    r.putArray("limits");
    r.putArray("failures");
    limit(r, "unzipped", 262_144_000L, 150 * MIB, true, "AWS limit for function + all layers, unzipped");
    limit(r, "zipped", 52_428_800L, 55 * MIB, false, "AWS limit for a direct zip upload (larger zips go through S3)");
    limit(r, "growth", 20 * MIB, 45 * MIB + 1, true, "growth budget against the baseline (--max-growth)");
    ArrayNode p = r.putArray("packages");
    p.addObject().put("name", "numpy").put("version", "2.4.6").put("unzippedBytes", 60 * MIB).put("removed", false);
    p.addObject().put("name", "geopandas").put("version", "1.2.0").put("unzippedBytes", 40 * MIB + 1)
        .put("removed", false);
    p.addObject().put("name", "matplotlib").put("version", "3.11.2").put("unzippedBytes", 30 * MIB)
        .put("zippedBytes", 10 * MIB).put("removed", false);
    p.addObject().put("name", "pillow").put("version", "12.3.0").put("unzippedBytes", 10 * MIB).put("removed", false);
    p.addObject().put("name", "boto3").put("version", "1.40.0").put("unzippedBytes", 5 * MIB + 1).put("removed", false)
        .put("runtimeProvided", true);
    p.addObject().put("name", "scipy").put("version", "1.17.1").put("unzippedBytes", 0).put("installedBytes", 140 * MIB)
        .put("removed", true);
    ArrayNode audit = r.putObject("audit").putArray("distributions");
    audit.addObject().put("name", "numpy").put("used", true).putArray("requires");
    ObjectNode geo = audit.addObject().put("name", "geopandas").put("used", true);
    geo.putArray("requires").add("numpy");
    geo.putObject("why").put("origin", "app.py:2 import geopandas").putArray("path").add("geopandas");
    ObjectNode m = audit.addObject().put("name", "matplotlib").put("used", true);
    m.putArray("requires").add("numpy").add("pillow");
    m.putObject("why").put("origin", "app.py:6 import matplotlib").putArray("path").add("matplotlib");
    ObjectNode pil = audit.addObject().put("name", "pillow").put("used", true);
    pil.putArray("requires");
    pil.putObject("why").put("origin", "app.py:6 import matplotlib").putArray("path").add("matplotlib").add("pillow");
    audit.addObject().put("name", "boto3").put("used", false).putArray("requires");
    audit.addObject().put("name", "scipy").put("used", false).putArray("requires").add("numpy");
    ((ArrayNode) audit.get(1).path("requires")).add("boto3");
    ObjectNode b = r.putObject("baseline").put("unzippedBytes", 105 * MIB).put("zippedBytes", 40 * MIB)
        .put("deltaBytes", 45 * MIB + 1).put("zippedDeltaBytes", 15 * MIB);
    ArrayNode added = b.putArray("added");
    added.addObject().put("name", "matplotlib").put("afterVersion", "3.11.2").put("afterBytes", 30 * MIB)
        .put("zippedDeltaBytes", 10 * MIB);
    added.addObject().put("name", "pillow").put("afterVersion", "12.3.0").put("afterBytes", 10 * MIB)
        .put("zippedDeltaBytes", 4 * MIB);
    added.addObject().put("name", "boto3").put("afterVersion", "1.40.0").put("afterBytes", 5 * MIB + 1)
        .put("zippedDeltaBytes", MIB);
    b.putArray("removed");
    b.putArray("changed").addObject().put("name", "geopandas").put("beforeVersion", "1.1.0").put("afterVersion", "1.2.0")
        .put("beforeBytes", 40 * MIB).put("afterBytes", 40 * MIB + 1).put("deltaBytes", 1).put("zippedDeltaBytes", 0);
    return r;
  }

  @Test
  void fiveThousandDistributions_stayUnderTheCapWithTheMarkerFirstAndATruncationNote() {
    String body = CommentRenderer.render(report(5000), CommentContext.cli("layers/big", null));
    assertTrue(body.length() <= CommentRenderer.MAX_CHARS, "length " + body.length());
    assertTrue(body.startsWith("<!-- layerslim:layers/big -->\n"));
    assertTrue(body.contains("| distribution-number-0 | 1.0.0 |"), "largest first");
    assertFalse(body.contains("| distribution-number-4999 |"));
    assertTrue(body.matches("(?s).*_\\d+ more distributions not shown.*"), "a note says rows were left out");
    assertTrue(body.contains("<sub>layerslim 0.1.0"), "the footer survives");
  }

  @Test
  void verdict_overTheGrowthBudget_namesTheGrowthAndTheBudgetInTheTitle() {
    String body = CommentRenderer.render(matplotlibPr(), ACTION);
    assertEquals("### ❌ `gis` · over the growth budget: +45.0 MiB against a 20 MiB budget", body.lines().skip(1)
        .findFirst().orElseThrow(), body);
  }

  @Test
  void verdict_forEachResult() {
    ObjectNode close = report(1);
    ((ObjectNode) close.path("limits").get(0)).put("actualBytes", 256_061_030L);
    assertEquals("### ✅ `k` · 244.2 MiB of 250 MiB (97.7 %): close to the limit", title(close));

    ObjectNode within = report(1);
    assertEquals("### ✅ `k` · within limits: 220.3 MiB of 250 MiB (88.1 %)", title(within));

    ObjectNode aws = report(1);
    aws.putArray("limits");
    limit(aws, "unzipped", 262_144_000L, 270 * MIB, true, "AWS limit for function + all layers, unzipped");
    assertEquals("### ❌ `k` · over AWS's unzipped limit: 270 MiB of 250 MiB (function and all layers)", title(aws));

    ObjectNode budgets = report(1);
    budgets.putArray("limits");
    limit(budgets, "unzipped", 200 * MIB, 210 * MIB, true, "unzipped budget");
    limit(budgets, "zipped", 50 * MIB, 60 * MIB, true, "zipped budget");
    assertEquals("### ❌ `k` · over the unzipped budget: 210 MiB against a 200 MiB budget; over the zipped budget: "
        + "60 MiB against a 50 MiB budget", title(budgets));

    ObjectNode incompatible = report(1);
    ((ArrayNode) incompatible.path("failures")).add("2 ELF objects cannot load");
    ArrayNode compat = incompatible.putArray("compatibility");
    for (int i = 0; i < 2; i++) {
      compat.addObject().put("file", "numpy/x" + i + ".so").put("distribution", "numpy").put("severity", "error")
          .put("problem", "needs GLIBC_2.27").put("needed", "GLIBC_2.27").put("available", "2.26");
    }
    compat.addObject().put("file", "a.so").put("severity", "warning");
    assertEquals("### ❌ `k` · 2 binaries cannot load on python3.11 (Amazon Linux 2, glibc 2.26)", title(incompatible));

    String failed = CommentRenderer.renderFailure(CommentContext.cli("k", "req.txt"), "smoke-before",
        "the input fails before any pruning: import app raised ModuleNotFoundError: No module named 'requests'");
    assertEquals("### ❌ `req.txt` · build failed at step smoke-before", failed.lines().skip(1).findFirst().orElseThrow());
    assertTrue(failed.contains("\n\nthe input fails before any pruning: import app raised ModuleNotFoundError"), failed);
  }

  private static String title(ObjectNode report) {
    return CommentRenderer.render(report, CommentContext.cli("k", null)).lines().skip(1).findFirst().orElseThrow();
  }

  @Test
  void addedAndGrownDistributions_sayWhyTheyAreInTheLayer() {
    String body = CommentRenderer.render(matplotlibPr(), ACTION);
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
    ObjectNode r = report(1);
    r.putObject("prune").put("removedBytes", MIB).put("removedFiles", 1).putObject("byRule")
        .putObject("tests").put("bytes", MIB).put("files", 1);
    String body = CommentRenderer.render(r, ACTION);
    assertTrue(body.contains("<summary>1 distribution in the layer</summary>"), body);
    assertTrue(body.contains("(1 file)</summary>"), body);
    assertFalse(Pattern.compile("\\b1 (distributions|files|modules|findings)\\b").matcher(body).find(), body);
  }

  @Test
  void prunedDistributions_haveNoRowAmongTheUnchanged_andAreCountedUnderPruning() {
    ObjectNode r = matplotlibPr();
    r.putObject("prune").put("removedBytes", 140 * MIB).put("removedFiles", 4000).putObject("byRule")
        .putObject("unused").put("bytes", 140 * MIB).put("files", 4000);
    String body = CommentRenderer.render(r, ACTION);
    int unchanged = body.indexOf("<details><summary>1 unchanged distribution</summary>");
    assertTrue(unchanged > 0 && body.indexOf("| numpy | 2.4.6 | 60 MiB |", unchanged) > 0, body);
    assertFalse(body.contains("| scipy |"), body);
    int pruning = body.indexOf("<details><summary>Pruning removed 140 MiB (4,000 files)</summary>");
    assertTrue(pruning > unchanged && body.indexOf("`scipy` (140 MiB)", pruning) > 0, body);
  }

  @Test
  void shippedInTheBaseAndPrunedNow_isARemovedRow_notAnUnchangedOne() {
    ObjectNode r = matplotlibPr();
    ((ObjectNode) r.path("packages").get(0)).put("unzippedBytes", 0).put("removed", true);
    ((ArrayNode) r.path("baseline").path("removed")).addObject().put("name", "numpy").put("beforeVersion", "2.4.6")
        .put("beforeBytes", 60 * MIB).put("zippedDeltaBytes", -20 * MIB);
    String body = CommentRenderer.render(r, ACTION);
    assertTrue(body.contains("| numpy | 2.4.6 | — | -60 MiB, removed | -20 MiB |  |"), body);
    assertFalse(body.contains("unchanged distributions"), body);
  }

  @Test
  void advice_namesActionInputsInTheAction_andFlagsOnTheCommandLine() {
    ObjectNode r = matplotlibPr();
    ((ObjectNode) r.path("audit").path("distributions").get(4)).put("used", false);
    String action = CommentRenderer.render(r, ACTION);
    assertTrue(action.contains("- If this growth is wanted, raise `max-growth` to at least 46 MiB: `max-growth: 46MiB`."),
        action);
    assertTrue(action.contains("- `app.py:6 import matplotlib` brings matplotlib (30 MiB), pillow (10 MiB): if the "
        + "handler does not need it, drop the import"), action);
    String cli = CommentRenderer.render(r, CommentContext.cli("k", null));
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
    ObjectNode r = matplotlibPr();
    ObjectNode pillow = (ObjectNode) r.path("audit").path("distributions").get(3);
    pillow.put("used", false).remove("why");
    String action = CommentRenderer.render(r, ACTION);
    assertTrue(action.contains("- `prune-unused: true` drops pillow (10 MiB): the handler's imports do not reach it."),
        action);
    assertTrue(action.contains("| pillow | 12.3.0 | 10 MiB | +10 MiB, added | +4 MiB | required by matplotlib, not "
        + "imported by the handler |"), action);
    assertTrue(CommentRenderer.render(r, CLI).contains("- `--prune-unused` drops pillow (10 MiB)"));
  }

  @Test
  void chart_isInTheComment_collapsed_andInTheSummarysReportMd() {
    ObjectNode r = report(1);
    String body = CommentRenderer.render(r, ACTION);
    int details = body.indexOf("<details><summary>Chart: the layer against the limit</summary>");
    assertTrue(details >= 0, body);
    assertTrue(body.indexOf("```mermaid\npie showData") > details, body);
    assertTrue(body.indexOf("</details>", details) > body.indexOf("```mermaid"), "collapsed: " + body);
    assertTrue(dev.layerslim.report.ReportMarkdown.render(r, java.util.Map.of()).contains("```mermaid\npie showData"));
  }

  @Test
  void advice_forIncompatibleBinaries_offersCompatWarnOnlyWhereItExists() {
    ObjectNode r = report(1);
    ((ArrayNode) r.path("failures")).add("1 ELF object cannot load");
    r.putArray("compatibility").addObject().put("file", "numpy/x.so").put("distribution", "numpy")
        .put("severity", "error").put("problem", "needs GLIBC_2.27").put("needed", "GLIBC_2.27").put("available", "2.26");
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
    String body = CommentRenderer.render(report(2), CLI);
    assertTrue(body.startsWith("<!-- layerslim:k -->\n### ✅"), body);
    assertTrue(body.contains("ℹ️ layer.zip is 57.2 MiB, over the 50 MiB AWS takes in a direct upload. That only "
        + "matters if you upload the zip directly"), body);
    assertTrue(body.contains("SAM and CDK upload through S3. `--max-zipped 50MiB` makes it a check."), body);
  }

  @Test
  void footer_linksTheRunAndNamesTheHeadCommit() {
    String body = CommentRenderer.render(matplotlibPr(), ACTION);
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
    ObjectNode r = matplotlibPr();
    String lead = CommentRenderer.lead(r, ACTION);
    assertTrue(lead.startsWith("### ❌ `gis` · over the growth budget"), lead);
    assertTrue(CommentRenderer.render(r, ACTION).startsWith(CommentRenderer.marker("k") + "\n" + lead));
  }

  @Test
  void optionalSections_areRenderedWhenPresent_andLeftOutWhenAbsent() {
    ObjectNode r = report(2);
    String plain = CommentRenderer.render(r, CLI);
    assertFalse(plain.contains("Pruning") || plain.contains("not reached") || plain.contains("Compatibility")
        || plain.contains("Cold start"), plain);
    r.putObject("prune").put("removedBytes", 41 * MIB).putObject("byRule").putObject("tests").put("bytes", 40 * MIB)
        .put("files", 812);
    ArrayNode audit = r.putObject("audit").putArray("distributions");
    audit.addObject().put("name", "distribution-number-0").put("used", true);
    audit.addObject().put("name", "distribution-number-1").put("used", false);
    r.putArray("compatibility").addObject().put("file", "numpy.libs/libgfortran.so.5").put("distribution", "numpy")
        .put("severity", "warning").put("problem", "an unresolved library").put("needed", "libquadmath.so.0")
        .put("available", "");
    r.putObject("smoke").put("passed", true).put("importMillis", 438).put("importMillisBefore", 612);
    String body = CommentRenderer.render(r, CLI);
    assertTrue(body.contains("<details><summary>Pruning removed 41 MiB</summary>") && body.contains("| tests | 812 | 40 MiB |"),
        body);
    assertTrue(body.contains("ℹ️ 1 distribution (976.6 KiB) is not reached by any handler import: "
        + "distribution-number-1 (976.6 KiB). `--prune-unused` drops them (`--keep` protects one)."), body);
    assertTrue(body.contains("<details><summary>Compatibility with the Lambda runtime: 1 finding</summary>"), body);
    assertTrue(body.contains("| this build, before pruning | 612 ms |") && body.contains("| this build's layer | **438 ms** |"),
        body);
  }

  @Test
  void computedImportInTheHandler_isAWarningLineInTheOpen_passOrFail() {
    ObjectNode r = report(3);
    r.putObject("audit").putArray("computedImports").addObject().put("where", "app.py:7")
        .put("call", "importlib.import_module(f\"plugins.{…}\")").put("head", "plugins.")
        .put("text", "app.py:7: importlib.import_module(f\"plugins.{…}\") imports a name computed at run time "
            + "starting 'plugins.': kept plugs, whose modules it may name");
    String lead = CommentRenderer.lead(r, ACTION);
    assertTrue(lead.contains("⚠️ app.py:7: importlib.import_module(f\"plugins.{…}\") imports a name computed at run "
        + "time starting 'plugins.': kept plugs, whose modules it may name."), lead);
    limit(r, "unzipped-budget", 100, 231_000_000L, true, "budget");
    assertTrue(CommentRenderer.lead(r, ACTION).contains("⚠️ app.py:7"), "a failed check keeps the warning");
  }
}
