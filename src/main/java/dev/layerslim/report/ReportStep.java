package dev.layerslim.report;

import dev.layerslim.reportfile.Baseline;
import dev.layerslim.reportfile.Report;
import dev.layerslim.reportfile.ReportJson;
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
 * Report: measures the final layer per distribution against the limits, assembles the steps'
 * sections into a {@link Report} and writes it as report.json ({@link ReportJson}) and report.md. A
 * limit exceeded marks the check failed.
 */
public final class ReportStep implements Step<ReportStep.Written> {
  /** The files the report step wrote, and the report report.json holds. */
  public record Written(Path json, Path markdown, Report report) {}

  private final InstallResult install;
  private final Usage usage;
  /** The layer's files: the zipped tree, or in a dry run the installed files the plan keeps. */
  private final List<FileEntry> finalFiles;
  private final Map<String, Long> compressedBytes;
  private final long zippedBytes;
  /** Why no smoke test ran, when none did. */
  private final String smokeNotRun;
  /** The report states the build's settings (target, inputs, limits, prune rules), so it reads all of them. */
  private final BuildOptions options;

  private ReportStep(InstallResult install, Usage usage, List<FileEntry> finalFiles, Map<String, Long> compressedBytes,
      long zippedBytes, String smokeNotRun, BuildOptions options) {
    this.options = options;
    this.install = install;
    this.usage = usage;
    this.finalFiles = finalFiles;
    this.compressedBytes = compressedBytes;
    this.zippedBytes = zippedBytes;
    this.smokeNotRun = smokeNotRun;
  }

  /** The report of a build with {@code options}: the zipped layer against the install it came from. */
  public static ReportStep ofBuild(InstallResult install, Usage usage, ZipResult zip, String smokeNotRun,
      BuildOptions options) {
    return new ReportStep(install, usage, zip.tree().files(), zip.compressedBytes(), zip.zippedBytes(), smokeNotRun,
        options);
  }

  /**
   * The report of a dry run: nothing staged, so the installed files the prune plan keeps stand for
   * the layer, and nothing is zipped.
   */
  public static ReportStep ofPlan(InstallResult install, Usage usage, Removals removals, BuildOptions options) {
    List<FileEntry> kept = install.tree().files().stream().filter(f -> !removals.contains(f.path())).toList();
    return new ReportStep(install, usage, kept, Map.of(), 0, "the smoke test was not part of this run", options);
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
    BuildOptions o = options;
    List<Limits.Check> checks = new ArrayList<>(Limits.check(unzipped, zippedBytes, o.limits().extraBytes(),
        o.limits().maxUnzipped(), o.limits().maxZipped()));
    BaselineDiff diff = compareWithBaseline(ctx, rows, unzipped);
    if (diff != null && o.limits().maxGrowth() != null) {
      checks.add(new Limits.Check("growth", o.limits().maxGrowth(), diff.deltaBytes(), true,
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
    Report.FitPlan plan = fitPlan(ctx, checks, rows);
    Report report = report(ctx, rows, installed, unzipped, checks, diff == null ? null : diff.section(), plan);
    String md = ReportMarkdown.render(report, ctx.markdownSections());
    Written written = new Written(ctx.outputDir().resolve("report.json"), ctx.outputDir().resolve("report.md"),
        report);
    // report.json last: a failure writing either leaves no report.json that reads as finished
    writeAtomically(written.markdown(), md);
    ReportJson.write(report, written.json());
    ctx.stepSummary("report.json and report.md in " + ctx.outputDir());
    return written;
  }

  /** Over an unzipped limit: which levers are left, what each saves here, and whether together they fit. */
  private Report.FitPlan fitPlan(BuildContext ctx, List<Limits.Check> checks, List<PackageRow> rows) {
    FitPlan plan = options.dryRun() ? null
        : FitPlan.of(options, checks, ctx.levers(), rows, usage.runtimeProvided());
    if (plan != null) {
      ctx.markdownSection(1, plan.markdown());
      ctx.events().emit(new dev.layerslim.pipeline.Event.Log(dev.layerslim.pipeline.Event.Level.WARN, name(),
          "fit plan: " + plan.line(), null));
    }
    return plan == null ? null : plan.section();
  }

  /** Diffs against {@code --baseline} when given; adds the report.md table. */
  private BaselineDiff compareWithBaseline(BuildContext ctx, List<PackageRow> rows, long unzipped) {
    BuildOptions o = options;
    if (o.limits().baseline() == null) {
      if (o.limits().maxGrowth() != null) {
        var words = o.vocabulary();
        ctx.warn(name(), words.option("max-growth") + " is not checked: no " + words.option("baseline")
            + " report to compare with");
      }
      return null;
    }
    BaselineDiff diff = BaselineDiff.compare(Baseline.load(o.limits().baseline(), o.vocabulary().option("baseline")), rows,
        unzipped, zippedBytes, o.target().python(), o.target().arch().lambdaName());
    if (diff.warning() != null) {
      ctx.warn(name(), diff.warning());
    }
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

  private Report report(BuildContext ctx, List<PackageRow> rows, long installed, long unzipped,
      List<Limits.Check> checks, Report.BaselineDiff baseline, Report.FitPlan plan) {
    BuildOptions o = options;
    Report.Target target = new Report.Target(o.target().python(), o.target().arch().lambdaName(), o.target().glibc(),
        o.target().os(), o.target().glibcOverridden(), o.target().runtime().glibc(),
        o.target().aboveRuntime() ? o.target().customImageWarning() : null);
    List<Report.Limit> limits = new ArrayList<>();
    for (Limits.Check c : checks) {
      String setting = c.setting() == null ? null : o.vocabulary().option(c.setting());
      limits.add(new Report.Limit(c.name(), c.kind(), c.limitBytes(), c.actualBytes(), c.exceeded(), c.enforced(),
          c.description(), setting));
    }
    List<Report.Package> packages = new ArrayList<>();
    for (PackageRow r : rows) {
      packages.add(new Report.Package(r.name(), r.version(), r.installedBytes(), r.unzippedBytes(), r.zippedBytes(),
          r.files(), r.used(), r.removed(), usage.runtimeProvided().contains(r.name())));
    }
    // the bytecode step's figures go into the smoke test's section when one ran
    Report.Smoke smoke = ctx.reportSection(Report.Smoke.class);
    Report.Bytecode bytecode = ctx.reportSection(Report.Bytecode.class);
    if (smoke != null) {
      smoke = smoke.withBytecode(bytecode);
      bytecode = null;
    } else {
      // tools read smoke.passed: say plainly that no smoke test ran, and why
      smoke = Report.Smoke.notRun(smokeNotRun != null ? smokeNotRun : "the smoke test was not part of this run");
    }
    Report.Compatibility compat = ctx.reportSection(Report.Compatibility.class);
    List<Report.StepTime> steps = new ArrayList<>();
    ctx.stepTimes().forEach((name, millis) -> steps.add(new Report.StepTime(name, millis)));
    // the build's folder marks a report failed when a step fails after it
    return new Report(Report.SCHEMA_VERSION, Report.Status.COMPLETE, new Report.Tool("layerslim", Version.get()),
        target, new Report.Install(install.mode().label(),
            String.valueOf(o.install().requirements() != null ? o.install().requirements() : o.install().sitePackages())),
        o.dryRun(), new Report.Totals(installed, unzipped, zippedBytes, finalFiles.size(), o.limits().extraBytes()), limits,
        packages, ctx.reportSection(Report.Audit.class), ctx.reportSection(Report.Prune.class),
        ctx.reportSection(Report.Strip.class), smoke, bytecode, compat == null ? null : compat.findings(),
        ctx.reportSection(Report.ColdStorage.class), ctx.reportSection(Report.Proofs.class), baseline, plan, steps,
        ctx.failures(), null);
  }
}
