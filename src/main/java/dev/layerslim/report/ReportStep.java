package dev.layerslim.report;

import dev.layerslim.reportfile.Baseline;
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
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.pipeline.Removals;
import dev.layerslim.pipeline.Usage;
import dev.layerslim.pipeline.ZipResult;
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
public final class ReportStep implements Step<ReportStep.Written> {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The files the report step wrote. */
  public record Written(Path json, Path markdown) {}

  private final InstallResult install;
  private final Usage usage;
  /** The layer's files: the zipped tree, or in a dry run the installed files the plan keeps. */
  private final List<FileEntry> finalFiles;
  private final Map<String, Long> compressedBytes;
  private final long zippedBytes;
  /** Why no smoke test ran, when none did. */
  private final String smokeNotRun;

  private ReportStep(InstallResult install, Usage usage, List<FileEntry> finalFiles, Map<String, Long> compressedBytes,
      long zippedBytes, String smokeNotRun) {
    this.install = install;
    this.usage = usage;
    this.finalFiles = finalFiles;
    this.compressedBytes = compressedBytes;
    this.zippedBytes = zippedBytes;
    this.smokeNotRun = smokeNotRun;
  }

  /** The report of a build: the zipped layer against the install it came from. */
  public static ReportStep ofBuild(InstallResult install, Usage usage, ZipResult zip, String smokeNotRun) {
    return new ReportStep(install, usage, zip.tree().files(), zip.compressedBytes(), zip.zippedBytes(), smokeNotRun);
  }

  /**
   * The report of a dry run: nothing staged, so the installed files the prune plan keeps stand for
   * the layer, and nothing is zipped.
   */
  public static ReportStep ofPlan(InstallResult install, Usage usage, Removals removals) {
    List<FileEntry> kept = install.tree().files().stream().filter(f -> !removals.contains(f.path())).toList();
    return new ReportStep(install, usage, kept, Map.of(), 0, "the smoke test was not part of this run");
  }

  @Override
  public String name() {
    return "report";
  }

  @Override
  public String title() {
    return "Writing the report";
  }

  @Override
  public Written run(BuildContext ctx) throws IOException {
    List<PackageRow> rows = packageRows();
    long installed = install.tree().totalBytes();
    long unzipped = finalFiles.stream().mapToLong(FileEntry::size).sum();
    BuildOptions o = ctx.options();
    List<Limits.Check> checks = new ArrayList<>(Limits.check(unzipped, zippedBytes, o.extraBytes(),
        o.maxUnzipped(), o.maxZipped()));
    BaselineDiff diff = compareWithBaseline(ctx, rows, unzipped);
    if (diff != null && o.maxGrowth() != null) {
      checks.add(new Limits.Check("growth", o.maxGrowth(), diff.deltaBytes(), true,
          "growth budget against the baseline", "max-growth"));
    }
    for (Limits.Check c : checks) {
      if (c.exceeded()) {
        String msg = c.exceededMessage(o.vocabulary());
        if (c.enforced() && !o.dryRun()) {
          ctx.failCheck(msg);
          ctx.events().emit(new dev.layerslim.pipeline.Event.Log(dev.layerslim.pipeline.Event.Level.ERROR, name(), msg,
              null));
        } else if (!c.enforced()) {
          // AWS's zipped limit only binds a direct upload: a note, not an annotation on every big layer
          ctx.info(name(), msg + ": this only matters for a direct upload (SAM and CDK upload through S3)");
        } else {
          ctx.warn(name(), msg);
        }
      }
    }
    fitPlan(ctx, checks, rows);
    ObjectNode json = toJson(ctx, rows, installed, unzipped, checks);
    String md = ReportMarkdown.render(json, ctx.markdownSections());
    Written written = new Written(ctx.outputDir().resolve("report.json"), ctx.outputDir().resolve("report.md"));
    // report.json last: a failure writing either leaves no report.json that reads as finished
    writeAtomically(written.markdown(), md);
    writeAtomically(written.json(), JSON.writeValueAsString(json) + "\n");
    ctx.stepSummary("report.json and report.md in " + ctx.outputDir());
    return written;
  }

  /** Over an unzipped limit: which levers are left, what each saves here, and whether together they fit. */
  private void fitPlan(BuildContext ctx, List<Limits.Check> checks, List<PackageRow> rows) {
    FitPlan plan = ctx.options().dryRun() ? null
        : FitPlan.of(ctx.options(), checks, ctx.levers(), rows, usage.runtimeProvided());
    if (plan != null) {
      ctx.reportSection("fitPlan", plan.json());
      ctx.markdownSection(1, plan.markdown());
      ctx.events().emit(new dev.layerslim.pipeline.Event.Log(dev.layerslim.pipeline.Event.Level.WARN, name(),
          "fit plan: " + plan.line(), null));
    }
  }

  /** Diffs against {@code --baseline} when given; adds the report.json section and the report.md table. */
  private BaselineDiff compareWithBaseline(BuildContext ctx, List<PackageRow> rows, long unzipped) {
    BuildOptions o = ctx.options();
    if (o.baseline() == null) {
      if (o.maxGrowth() != null) {
        var words = o.vocabulary();
        ctx.warn(name(), words.option("max-growth") + " is not checked: no " + words.option("baseline")
            + " report to compare with");
      }
      return null;
    }
    BaselineDiff diff = BaselineDiff.compare(Baseline.load(o.baseline(), o.vocabulary().option("baseline")), rows,
        unzipped, zippedBytes, o.target().python(), o.target().arch().lambdaName());
    if (diff.warning() != null) {
      ctx.warn(name(), diff.warning());
    }
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

  /** Per distribution: installed, final and zipped bytes; unattributed files get a row of their own. */
  List<PackageRow> packageRows() {
    Ownership own = install.ownership();
    Map<String, long[]> sums = new LinkedHashMap<>(); // installed, unzipped, zipped, files
    Map<String, String> versions = new LinkedHashMap<>();
    for (Distribution d : install.distributions()) {
      sums.put(d.name(), new long[4]);
      versions.put(d.name(), d.version());
    }
    for (FileEntry f : install.tree().files()) {
      sums.computeIfAbsent(own.ownerOf(f.path()), k -> new long[4])[0] += f.size();
    }
    for (FileEntry f : finalFiles) {
      long[] s = sums.computeIfAbsent(own.ownerOf(f.path()), k -> new long[4]);
      s[1] += f.size();
      s[2] += compressedBytes.getOrDefault(f.path(), 0L);
      s[3]++;
    }
    List<PackageRow> rows = new ArrayList<>();
    for (Map.Entry<String, long[]> e : sums.entrySet()) {
      long[] s = e.getValue();
      String n = e.getKey();
      boolean used = usage.isUsed(n) || n.equals(Ownership.UNATTRIBUTED);
      rows.add(new PackageRow(n, versions.getOrDefault(n, ""), s[0], s[1], s[2], (int) s[3], used,
          s[0] > 0 && s[3] == 0));
    }
    rows.sort(Comparator.comparingLong(PackageRow::unzippedBytes).reversed()
        .thenComparing(Comparator.comparingLong(PackageRow::installedBytes).reversed())
        .thenComparing(PackageRow::name));
    return rows;
  }

  private ObjectNode toJson(BuildContext ctx, List<PackageRow> rows, long installed, long unzipped,
      List<Limits.Check> checks) {
    BuildOptions o = ctx.options();
    ObjectNode root = JSON.createObjectNode();
    root.put("schemaVersion", 1);
    root.put("status", "complete"); // the build's folder marks a report "failed" when a step fails after it
    ObjectNode tool = root.putObject("tool");
    tool.put("name", "layerslim");
    tool.put("version", Version.get());
    ObjectNode target = root.putObject("target");
    target.put("python", o.target().python());
    target.put("arch", o.target().arch().lambdaName());
    target.put("glibc", o.target().glibc());
    target.put("os", o.target().os());
    target.put("glibcOverridden", o.target().glibcOverridden());
    target.put("runtimeGlibc", o.target().runtime().glibc());
    if (o.target().aboveRuntime()) {
      target.put("warning", o.target().customImageWarning());
    }
    root.putObject("install").put("mode", install.mode().label())
        .put("source", String.valueOf(o.requirements() != null ? o.requirements() : o.sitePackages()));
    if (o.dryRun()) {
      root.put("dryRun", true);
    }
    ObjectNode totals = root.putObject("totals");
    totals.put("installedBytes", installed);
    totals.put("unzippedBytes", unzipped);
    totals.put("zippedBytes", zippedBytes);
    totals.put("files", finalFiles.size());
    totals.put("extraBytes", o.extraBytes());
    ArrayNode limits = root.putArray("limits");
    for (Limits.Check c : checks) {
      ObjectNode l = limits.addObject();
      l.put("name", c.name());
      l.put("limitBytes", c.limitBytes());
      l.put("actualBytes", c.actualBytes());
      l.put("exceeded", c.exceeded());
      l.put("enforced", c.enforced());
      l.put("description", c.description());
      if (c.setting() != null) {
        l.put("setting", o.vocabulary().option(c.setting()));
      }
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
      p.put("runtimeProvided", usage.runtimeProvided().contains(r.name()));
    }
    for (Map.Entry<String, JsonNode> e : ctx.reportSections().entrySet()) {
      root.set(e.getKey(), e.getValue());
    }
    if (!root.has("smoke")) {
      // tools read smoke.passed: say plainly that no smoke test ran, and why
      ObjectNode smoke = root.putObject("smoke");
      smoke.put("ran", false);
      smoke.put("reason", smokeNotRun != null ? smokeNotRun : "the smoke test was not part of this run");
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
