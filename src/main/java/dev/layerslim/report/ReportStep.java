package dev.layerslim.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layerslim.layer.Distribution;
import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.Ownership;
import dev.layerslim.layer.Sizes;
import dev.layerslim.layer.Version;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Report: measures the final layer per distribution against the limits and writes report.json
 * (schemaVersion 1, built through Jackson's tree model: nothing is bound by reflection) and
 * report.md. A limit exceeded marks the check failed.
 */
public final class ReportStep implements Step {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Override
  public String name() {
    return "report";
  }

  @Override
  public String title() {
    return "Writing the report";
  }

  @Override
  public void run(BuildContext ctx) throws IOException {
    List<PackageRow> rows = packageRows(ctx);
    long installed = ctx.sourceTree.totalBytes();
    long unzipped = finalFiles(ctx).stream().mapToLong(FileEntry::size).sum();
    BuildOptions o = ctx.options();
    List<Limits.Check> checks = new ArrayList<>(Limits.check(unzipped, Math.max(0, ctx.zippedBytes), o.extraBytes,
        o.maxUnzipped, o.maxZipped));
    BaselineDiff diff = compareWithBaseline(ctx, rows, unzipped);
    if (diff != null && o.maxGrowth != null) {
      checks.add(new Limits.Check("growth", o.maxGrowth, diff.deltaBytes(), true,
          "growth budget against the baseline (--max-growth)"));
    }
    for (Limits.Check c : checks) {
      if (c.exceeded()) {
        String msg = c.name() + " size " + Sizes.grouped(c.actualBytes()) + " bytes exceeds the " + c.description()
            + " of " + Sizes.grouped(c.limitBytes()) + " bytes";
        if (c.enforced() && !o.dryRun) {
          ctx.failCheck(msg);
          ctx.events().emit(new dev.layerslim.pipeline.Event.Log(dev.layerslim.pipeline.Event.Level.ERROR, name(), msg,
              null));
        } else {
          ctx.warn(name(), msg);
        }
      }
    }
    ObjectNode json = toJson(ctx, rows, installed, unzipped, checks);
    String md = ReportMarkdown.render(json, ctx.markdownSections());
    // report.json last: a failure writing either leaves no report.json that reads as finished
    writeAtomically(ctx.outputDir().resolve("report.md"), md);
    writeAtomically(ctx.outputDir().resolve("report.json"), JSON.writeValueAsString(json) + "\n");
    ctx.stepSummary("report.json and report.md in " + ctx.outputDir());
  }

  /** Diffs against {@code --baseline} when given; adds the report.json section and the report.md table. */
  private BaselineDiff compareWithBaseline(BuildContext ctx, List<PackageRow> rows, long unzipped) {
    BuildOptions o = ctx.options();
    if (o.baseline == null) {
      if (o.maxGrowth != null) {
        ctx.warn(name(), "--max-growth is not checked: no --baseline report to compare with");
      }
      return null;
    }
    BaselineDiff diff = BaselineDiff.compare(Baseline.load(o.baseline, "--baseline"), rows, unzipped,
        Math.max(0, ctx.zippedBytes));
    ctx.reportSection("baseline", diff.toJson());
    ctx.markdownSection(65, diff.markdown());
    ctx.info(name(), "against the baseline: " + Sizes.signed(diff.deltaBytes()) + " unzipped, "
        + diff.added().size() + " added, " + diff.removed().size() + " removed, " + diff.changed().size()
        + " changed");
    return diff;
  }

  static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * The layer's files: the staged tree, or in a dry run (nothing staged) the installed files the
   * prune plan keeps, so the report shows what the plan would leave.
   */
  static List<FileEntry> finalFiles(BuildContext ctx) {
    if (ctx.finalTree != null) {
      return ctx.finalTree.files();
    }
    return ctx.sourceTree.files().stream().filter(f -> !ctx.removals.containsKey(f.path())).toList();
  }

  /** Per distribution: installed, final and zipped bytes; unattributed files get a row of their own. */
  static List<PackageRow> packageRows(BuildContext ctx) {
    Ownership own = ctx.ownership;
    Map<String, long[]> sums = new LinkedHashMap<>(); // installed, unzipped, zipped, files
    Map<String, String> versions = new LinkedHashMap<>();
    for (Distribution d : ctx.distributions) {
      sums.put(d.name(), new long[4]);
      versions.put(d.name(), d.version());
    }
    for (FileEntry f : ctx.sourceTree.files()) {
      sums.computeIfAbsent(own.ownerOf(f.path()), k -> new long[4])[0] += f.size();
    }
    for (FileEntry f : finalFiles(ctx)) {
      long[] s = sums.computeIfAbsent(own.ownerOf(f.path()), k -> new long[4]);
      s[1] += f.size();
      s[2] += ctx.compressedBytes.getOrDefault(f.path(), 0L);
      s[3]++;
    }
    List<PackageRow> rows = new ArrayList<>();
    for (Map.Entry<String, long[]> e : sums.entrySet()) {
      long[] s = e.getValue();
      String n = e.getKey();
      boolean used = ctx.usedDistributions == null || ctx.usedDistributions.contains(n)
          || n.equals(Ownership.UNATTRIBUTED);
      rows.add(new PackageRow(n, versions.getOrDefault(n, ""), s[0], s[1], s[2], (int) s[3], used,
          s[0] > 0 && s[3] == 0));
    }
    rows.sort(Comparator.comparingLong(PackageRow::unzippedBytes).reversed()
        .thenComparing(Comparator.comparingLong(PackageRow::installedBytes).reversed())
        .thenComparing(PackageRow::name));
    return rows;
  }

  private static ObjectNode toJson(BuildContext ctx, List<PackageRow> rows, long installed, long unzipped,
      List<Limits.Check> checks) {
    BuildOptions o = ctx.options();
    ObjectNode root = JSON.createObjectNode();
    root.put("schemaVersion", 1);
    root.put("status", "complete"); // the build's folder marks a report "failed" when a step fails after it
    ObjectNode tool = root.putObject("tool");
    tool.put("name", "layerslim");
    tool.put("version", Version.get());
    ObjectNode target = root.putObject("target");
    target.put("python", o.target.python());
    target.put("arch", o.target.arch().lambdaName());
    target.put("glibc", o.target.glibc());
    target.put("os", o.target.os());
    target.put("glibcOverridden", o.target.glibcOverridden());
    root.putObject("install").put("mode", ctx.installMode);
    if (o.dryRun) {
      root.put("dryRun", true);
    }
    ObjectNode totals = root.putObject("totals");
    totals.put("installedBytes", installed);
    totals.put("unzippedBytes", unzipped);
    totals.put("zippedBytes", Math.max(0, ctx.zippedBytes));
    totals.put("files", finalFiles(ctx).size());
    totals.put("extraBytes", o.extraBytes);
    ArrayNode limits = root.putArray("limits");
    for (Limits.Check c : checks) {
      ObjectNode l = limits.addObject();
      l.put("name", c.name());
      l.put("limitBytes", c.limitBytes());
      l.put("actualBytes", c.actualBytes());
      l.put("exceeded", c.exceeded());
      l.put("enforced", c.enforced());
      l.put("description", c.description());
    }
    ArrayNode packages = root.putArray("packages");
    for (PackageRow r : rows) {
      ObjectNode p = packages.addObject();
      p.put("name", r.name());
      p.put("version", r.version());
      p.put("installedBytes", r.installedBytes());
      p.put("unzippedBytes", r.unzippedBytes());
      p.put("zippedBytes", r.zippedBytes());
      p.put("files", r.files());
      p.put("used", r.used());
      p.put("removed", r.removed());
      p.put("runtimeProvided", ctx.runtimeProvided.contains(r.name()));
    }
    for (Map.Entry<String, JsonNode> e : ctx.reportSections().entrySet()) {
      root.set(e.getKey(), e.getValue());
    }
    if (!root.has("smoke")) {
      // tools read smoke.passed: say plainly that no smoke test ran, and why
      ObjectNode smoke = root.putObject("smoke");
      smoke.put("ran", false);
      smoke.put("reason", !o.smoke ? "--no-smoke"
          : ctx.smokeUnavailable != null ? ctx.smokeUnavailable : "the smoke test was not part of this run");
    }
    ArrayNode steps = root.putArray("steps");
    for (Map.Entry<String, Long> e : ctx.stepTimes().entrySet()) {
      steps.addObject().put("name", e.getKey()).put("millis", e.getValue());
    }
    ArrayNode failures = root.putArray("failures");
    ctx.failures().forEach(failures::add);
    return root;
  }
}
