package dev.layerslim.testing;

import dev.layerslim.reportfile.Report;
import java.util.ArrayList;
import java.util.List;

/**
 * A report for tests to shape: a complete, valid {@link Report} with plain defaults (python3.11 on
 * x86_64, nothing measured, no optional section), whose parts a test sets before {@link #build()}.
 * Tests build reports through the model, so none holds its own copy of report.json's keys.
 */
public final class ReportFixture {
  public static final long MIB = 1024L * 1024;
  public static final long AWS_UNZIPPED = 262_144_000L;
  public static final long AWS_ZIPPED = 52_428_800L;

  public Report.Status status = Report.Status.COMPLETE;
  public String version = "0.1.0";
  public Report.Target target = new Report.Target("3.11", "x86_64", "2.26", "Amazon Linux 2", false, "2.26", null);
  public Report.Install install = new Report.Install("requirements", "/work/requirements.txt");
  public boolean dryRun;
  public long installedBytes;
  public long unzippedBytes;
  public long zippedBytes;
  public long files;
  public long extraBytes;
  public List<Report.Limit> limits = new ArrayList<>();
  public List<Report.Package> packages = new ArrayList<>();
  public Report.Audit audit;
  public Report.Prune prune;
  public Report.Strip strip;
  public Report.Smoke smoke = Report.Smoke.notRun("--no-smoke");
  public Report.Bytecode bytecode;
  public List<Report.Compat> compatibility;
  public Report.ColdStorage coldStorage;
  public Report.Proofs proofs;
  public Report.BaselineDiff baseline;
  public Report.FitPlan fitPlan;
  public List<Report.StepTime> steps = new ArrayList<>();
  public List<String> failures = new ArrayList<>();
  public String failedStep;

  public Report build() {
    return new Report(Report.SCHEMA_VERSION, status, new Report.Tool("layerslim", version), target, install, dryRun,
        new Report.Totals(installedBytes, unzippedBytes, zippedBytes, files, extraBytes), limits, packages, audit,
        prune, strip, smoke, bytecode, compatibility, coldStorage, proofs, baseline, fitPlan, steps, failures,
        failedStep);
  }

  /** Sets the totals from the packages: installed, unzipped and zipped bytes and files summed. */
  public ReportFixture totalsFromPackages() {
    installedBytes = packages.stream().mapToLong(Report.Package::installedBytes).sum();
    unzippedBytes = packages.stream().mapToLong(Report.Package::unzippedBytes).sum();
    zippedBytes = packages.stream().mapToLong(Report.Package::zippedBytes).sum();
    files = packages.stream().mapToLong(Report.Package::files).sum();
    return this;
  }

  /**
   * Adds a limit as the report step words it; an exceeded enforced one also adds a failure. A budget
   * names its setting ({@code --max-unzipped}), AWS's own limits have none.
   */
  public ReportFixture limit(String name, long limitBytes, long actualBytes, boolean enforced, String setting) {
    String description = setting == null
        ? (name.startsWith("unzipped") ? "AWS limit for function + all layers, unzipped"
            : "AWS limit for a direct zip upload (larger zips go through S3)")
        : name.startsWith("growth") ? "growth budget against the baseline" : name.replaceAll("-.*", "") + " budget";
    limits.add(new Report.Limit(name, Report.Limit.kindOf(name, setting), limitBytes, actualBytes,
        actualBytes > limitBytes, enforced, description, setting));
    if (actualBytes > limitBytes && enforced) {
      failures.add(name + " size " + actualBytes + " bytes exceeds the limit");
    }
    return this;
  }

  /** AWS's two limits for the current totals. */
  public ReportFixture awsLimits() {
    limit("unzipped", AWS_UNZIPPED, unzippedBytes, true, null);
    return limit("zipped", AWS_ZIPPED, zippedBytes, false, null);
  }

  /** A distribution in the layer, used, all of it shipped: one file, nothing zipped. */
  public static Report.Package pkg(String name, String version, long unzippedBytes) {
    return new Report.Package(name, version, unzippedBytes, unzippedBytes, 0, 1, true, false, false);
  }

  /** {@code p} with other zipped bytes. */
  public static Report.Package zipped(Report.Package p, long zippedBytes) {
    return new Report.Package(p.name(), p.version(), p.installedBytes(), p.unzippedBytes(), zippedBytes, p.files(),
        p.used(), p.removed(), p.runtimeProvided());
  }

  /** {@code p} pruned whole: installed, not in the layer. */
  public static Report.Package removed(Report.Package p) {
    return new Report.Package(p.name(), p.version(), p.installedBytes(), 0, 0, 0, false, true, p.runtimeProvided());
  }

  /** {@code p} as a distribution the Lambda runtime has its own copy of. */
  public static Report.Package runtimeProvided(Report.Package p) {
    return new Report.Package(p.name(), p.version(), p.installedBytes(), p.unzippedBytes(), p.zippedBytes(),
        p.files(), p.used(), p.removed(), true);
  }

  /** An audited distribution: used with the import chain {@code why} (null when unused). */
  public static Report.AuditDistribution audited(String name, boolean used, Report.Why why, String... requires) {
    return new Report.AuditDistribution(name, "1.0", used, false, 0, List.of(requires), List.of(), why);
  }

  /** An audit of these distributions, with nothing else found. */
  public static Report.Audit audit(List<Report.AuditDistribution> distributions,
      List<Report.ComputedImport> computed) {
    return new Report.Audit(distributions, List.of(), List.of(), List.of(), computed);
  }

  /** A baseline diff with these rows, the totals given. */
  public static Report.BaselineDiff baseline(long unzippedBytes, long zippedBytes, long deltaBytes,
      long zippedDeltaBytes, List<Report.DiffRow> added, List<Report.DiffRow> removed, List<Report.DiffRow> changed) {
    return new Report.BaselineDiff("/work/base/report.json", unzippedBytes, zippedBytes, deltaBytes, zippedDeltaBytes,
        null, null, null, added, removed, changed);
  }

  /** A diff row: versions and bytes on both sides (a version empty where it is not in that layer). */
  public static Report.DiffRow row(String name, String beforeVersion, String afterVersion, long beforeBytes,
      long afterBytes, long beforeZipped, long afterZipped) {
    return new Report.DiffRow(name, beforeVersion, afterVersion, beforeBytes, afterBytes, afterBytes - beforeBytes,
        beforeZipped, afterZipped, afterZipped - beforeZipped);
  }

  /** A compatibility finding of {@code severity} ({@code error} or {@code warning}). */
  public static Report.Compat compat(String file, String distribution, String severity, String needed) {
    return new Report.Compat(file, distribution, severity, "needs " + needed, needed, "2.26");
  }

  /** A smoke test that passed, with these import times ({@code before} null when the input was not run). */
  public static Report.Smoke smoke(long importMillis, Long importMillisBefore) {
    return new Report.Smoke(true, null, true, List.of("app"), importMillis, importMillisBefore, List.of(),
        new Report.Dlopen(0, null, List.of()), List.of(), null);
  }
}
