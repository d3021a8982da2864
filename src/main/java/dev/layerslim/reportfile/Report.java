package dev.layerslim.reportfile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * report.json as values: what a build measured and decided, in the shape the file has. {@link ReportJson}
 * is the one reader and the one writer; nothing else spells the file's keys. docs/report.schema.json
 * is the same shape as a JSON Schema.
 *
 * <p>A section a build did not produce is null (an absent key); a list is never null. Optional
 * scalars are boxed and null when absent. The order of the components is the order of the keys.
 *
 * @param dryRun true only for {@code --dry-run} (the key is absent otherwise)
 * @param smoke the smoke test, or why none ran; null only in a report that predates the rule
 * @param bytecode the bytecode step's figures when no smoke test ran (with one they are in {@code smoke})
 * @param failedStep the step that failed after the report was written; null while {@code status} is complete
 */
public record Report(int schemaVersion, Status status, Tool tool, Target target, Install install, boolean dryRun,
    Totals totals, List<Limit> limits, List<Package> packages, Audit audit, Prune prune, Strip strip, Smoke smoke,
    Bytecode bytecode, List<Compat> compatibility, ColdStorage coldStorage, Proofs proofs, BaselineDiff baseline,
    FitPlan fitPlan, List<StepTime> steps, List<String> failures, String failedStep) {

  /**
   * A section a step adds to the report ({@code BuildContext.reportSection}); the report step puts
   * each where the file has it.
   */
  public sealed interface Section permits Audit, Prune, Strip, Smoke, Bytecode, Compatibility, ColdStorage, Proofs {}

  /** The schema this layerslim writes, and the newest it reads. */
  public static final int SCHEMA_VERSION = 1;

  public Report {
    limits = List.copyOf(limits);
    packages = List.copyOf(packages);
    compatibility = compatibility == null ? null : List.copyOf(compatibility);
    steps = List.copyOf(steps);
    failures = List.copyOf(failures);
  }

  /** This report, marked failed at {@code step} (a step after the report step failed). */
  public Report failedAt(String step) {
    return new Report(schemaVersion, Status.FAILED, tool, target, install, dryRun, totals, limits, packages, audit,
        prune, strip, smoke, bytecode, compatibility, coldStorage, proofs, baseline, fitPlan, steps, failures, step);
  }

  /** This report with {@code diff} as its baseline section. */
  public Report withBaseline(BaselineDiff diff) {
    return new Report(schemaVersion, status, tool, target, install, dryRun, totals, limits, packages, audit, prune,
        strip, smoke, bytecode, compatibility, coldStorage, proofs, diff, fitPlan, steps, failures, failedStep);
  }

  /** A limit exceeded that fails the check (AWS's zipped limit only notes). */
  public boolean exceeded() {
    return limits.stream().anyMatch(Limit::failed);
  }

  /** The package row of {@code name}, or null. */
  public Package pkg(String name) {
    return packages.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
  }

  public enum Status {
    COMPLETE("complete"), FAILED("failed");

    final String text;

    Status(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  public record Tool(String name, String version) {}

  /**
   * @param warning why a {@code --glibc} above the runtime's builds for a custom image, or null
   */
  public record Target(String python, String arch, String glibc, String os, boolean glibcOverridden,
      String runtimeGlibc, String warning) {}

  /** @param source the requirements file or site-packages folder the build read */
  public record Install(String mode, String source) {}

  public record Totals(long installedBytes, long unzippedBytes, long zippedBytes, long files, long extraBytes) {}

  /** What a limit is, which decides how the comment and log speak of it. */
  public enum LimitKind {
    /** AWS's 250 MiB for the function and all its layers, unzipped: always enforced. */
    AWS_UNZIPPED,
    /** AWS's 50 MiB for a zip uploaded directly: a note, since SAM and CDK upload through S3. */
    AWS_ZIPPED_DIRECT,
    /** The user's own unzipped or zipped budget ({@code max-unzipped}, {@code max-zipped}). */
    BUDGET,
    /** The user's growth budget against the baseline ({@code max-growth}). */
    GROWTH
  }

  /**
   * One limit checked.
   *
   * @param name {@code unzipped}, {@code unzipped-aws}, {@code unzipped-budget}, {@code zipped} or {@code growth}
   * @param setting the option that set a budget as the user wrote it, null for AWS's own
   */
  public record Limit(String name, LimitKind kind, long limitBytes, long actualBytes, boolean exceeded,
      boolean enforced, String description, String setting) {
    public boolean failed() {
      return exceeded && enforced;
    }

    public boolean unzipped() {
      return name.startsWith("unzipped");
    }

    public boolean growth() {
      return kind == LimitKind.GROWTH;
    }

    public boolean aws() {
      return kind == LimitKind.AWS_UNZIPPED || kind == LimitKind.AWS_ZIPPED_DIRECT;
    }

    /** The kind a limit written as {@code name} with {@code setting} (null for AWS's own) is. */
    public static LimitKind kindOf(String name, String setting) {
      if (name.startsWith("growth")) {
        return LimitKind.GROWTH;
      }
      if (setting != null) {
        return LimitKind.BUDGET;
      }
      return name.startsWith("unzipped") ? LimitKind.AWS_UNZIPPED : LimitKind.AWS_ZIPPED_DIRECT;
    }
  }

  /** One distribution (or the unattributed files) in the install and the layer. */
  public record Package(String name, String version, long installedBytes, long unzippedBytes, long zippedBytes,
      long files, boolean used, boolean removed, boolean runtimeProvided) {}

  // ---- audit ----

  public record Audit(List<AuditDistribution> distributions, List<AuditImport> imports,
      List<UnresolvedImport> unresolvedImports, List<String> problems, List<ComputedImport> computedImports) implements Section {
    public Audit {
      distributions = List.copyOf(distributions);
      imports = List.copyOf(imports);
      unresolvedImports = List.copyOf(unresolvedImports);
      problems = List.copyOf(problems);
      computedImports = List.copyOf(computedImports);
    }

    public AuditDistribution distribution(String name) {
      return distributions.stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
    }
  }

  /** @param why how the handler reaches it, or null when nothing does */
  public record AuditDistribution(String name, String version, boolean used, boolean runtimeProvided, long bytes,
      List<String> requires, List<String> missing, Why why) {
    public AuditDistribution {
      requires = List.copyOf(requires);
      missing = List.copyOf(missing);
    }
  }

  public record Why(String origin, List<String> path, String text) {
    public Why {
      path = List.copyOf(path);
    }
  }

  /** @param runtimeProvider the runtime's own distribution that provides it, or null */
  public record AuditImport(String name, List<String> distributions, String runtimeProvider, List<String> where,
      boolean optional) {
    public AuditImport {
      distributions = List.copyOf(distributions);
      where = List.copyOf(where);
    }
  }

  public record UnresolvedImport(String name, List<String> where, boolean optional) {
    public UnresolvedImport {
      where = List.copyOf(where);
    }
  }

  public record ComputedImport(String where, String call, String head, List<String> kept, String text) {
    public ComputedImport {
      kept = List.copyOf(kept);
    }
  }

  // ---- prune ----

  /**
   * @param byRule rule id → what it removed
   * @param byDistribution distribution → what was removed of it, also per rule
   * @param modules what {@code --prune-modules} found, or null when it did not run
   */
  public record Prune(boolean dryRun, long removedFiles, long removedBytes, Map<String, FilesBytes> byRule,
      Map<String, DistributionRemoval> byDistribution, List<GuardKeep> guardKeeps, FilesBytes protectedFiles,
      List<String> exclude, List<String> include, PruneModules modules) implements Section {
    public Prune {
      byRule = ordered(byRule);
      byDistribution = ordered(byDistribution);
      guardKeeps = List.copyOf(guardKeeps);
      exclude = List.copyOf(exclude);
      include = List.copyOf(include);
    }
  }

  public record FilesBytes(long files, long bytes) {}

  public record DistributionRemoval(long files, long bytes, Map<String, FilesBytes> byRule) {
    public DistributionRemoval {
      byRule = ordered(byRule);
    }
  }

  public record GuardKeep(String path, String rule, String reason) {}

  /**
   * @param reached unit folder → what reached it first
   * @param units unit key → how it is reached
   */
  public record PruneModules(List<RemovedUnit> removed, Map<String, String> reached, List<DynamicSite> dynamic,
      Map<String, UnitReach> units) {
    public PruneModules {
      removed = List.copyOf(removed);
      reached = ordered(reached);
      dynamic = List.copyOf(dynamic);
      units = ordered(units);
    }
  }

  public record RemovedUnit(String path, long files, long bytes, String reason) {}

  /** @param kept what the rule keeps, or null; @param distribution whose code it is, or null */
  public record DynamicSite(String site, String rule, String kept, String detail, String distribution,
      boolean removed) {}

  /** @param via how it is reached, null (with {@code evidence}) when nothing says */
  public record UnitReach(String module, String reach, String via, String evidence) {}

  // ---- strip ----

  /**
   * The strip step: objects and bytes, a count per outcome, the files stripped keeping their layout
   * and the originals kept.
   *
   * @param skipReason why strip did not run, or null
   */
  public record Strip(boolean skipped, String skipReason, long objects, long bytesBefore, long bytesAfter,
      long bytesSaved, long stripped, long nothingToStrip, long rejected, long failed, long strippedKeepingLayout,
      List<StrippedInPlace> strippedKeepingLayoutFiles, List<OriginalKept> originalsKept) implements Section {
    public Strip {
      strippedKeepingLayoutFiles = List.copyOf(strippedKeepingLayoutFiles);
      originalsKept = List.copyOf(originalsKept);
    }
  }

  public record StrippedInPlace(String path, long savedBytes, String reason) {}

  public record OriginalKept(String path, String status, String reason) {}

  // ---- smoke and bytecode ----

  /**
   * The smoke test. When it did not run only {@code ran} and {@code reason} are set. When it ran, the
   * import time and the slowest modules are the final layer's (the bytecode step's timing when it
   * timed the compiled layer), and {@code bytecode} has the bytecode step's figures.
   */
  public record Smoke(boolean ran, String reason, Boolean passed, List<String> imports, Long importMillis,
      Long importMillisBefore, List<ModuleTime> slowest, Dlopen dlopen, List<Healed> healed, Bytecode bytecode) implements Section {
    public Smoke {
      imports = imports == null ? null : List.copyOf(imports);
      slowest = slowest == null ? null : List.copyOf(slowest);
      healed = healed == null ? null : List.copyOf(healed);
    }

    public static Smoke notRun(String reason) {
      return new Smoke(false, reason, null, null, null, null, null, null, null, null);
    }

    /**
     * This smoke test with the bytecode step's figures: its timing of the compiled layer, when it
     * took one, replaces the smoke test's.
     */
    public Smoke withBytecode(Bytecode b) {
      if (b == null) {
        return this;
      }
      Long millis = b.importMillis() != null ? b.importMillis() : importMillis;
      List<ModuleTime> slow = b.slowest() != null ? b.slowest() : slowest;
      Bytecode rest = new Bytecode(b.mode(), b.pycFiles(), b.pycBytes(), b.pycFilesFromSmokeImport(), b.sourceless(),
          null, b.importMillisNoPyc(), null);
      return new Smoke(ran, reason, passed, imports, millis, importMillisBefore, slow, dlopen, healed, rest);
    }
  }

  public record ModuleTime(String module, long micros, long cumulativeMicros) {}

  /** @param failedBefore how many failed in the unpruned input, null when it was not tested */
  public record Dlopen(long checked, Long failedBefore, List<String> failedAfter) {
    public Dlopen {
      failedAfter = List.copyOf(failedAfter);
    }
  }

  public record Healed(String rule, String path, long files, String importName, String reason) {}

  /**
   * The bytecode step: its mode and pycs; with {@code --bytecode sourceless} what went sourceless;
   * when it timed the compiled layer, that import time (and the one without pycs).
   */
  public record Bytecode(String mode, long pycFiles, long pycBytes, long pycFilesFromSmokeImport,
      Sourceless sourceless, Long importMillis, Long importMillisNoPyc, List<ModuleTime> slowest) implements Section {
    public Bytecode {
      slowest = slowest == null ? null : List.copyOf(slowest);
    }
  }

  public record Sourceless(long modules, long sourceBytesDropped, long pycBytes, long pycLargerThanSource,
      String tradeOff) {}

  // ---- compatibility ----

  public record Compat(String file, String distribution, String severity, String problem, String needed,
      String available) {
    public boolean error() {
      return severity.equals("error");
    }
  }

  /** The compatibility step's findings, in the order it found them. */
  public record Compatibility(List<Compat> findings) implements Section {
    public Compatibility {
      findings = List.copyOf(findings);
    }
  }

  // ---- cold storage ----

  /**
   * @param notRun why nothing went cold (then only {@code applied} and {@code measuredOnly} are set)
   * @param proof the cold units' proof, or null when none ran
   */
  public record ColdStorage(boolean applied, boolean measuredOnly, String notRun, String format, Long unitBytes,
      Long storedBytes, Long savedBytes, Long loaderBytes, List<ColdUnit> units, List<KeptHot> keptHot,
      ColdProof proof) implements Section {
    public ColdStorage {
      units = units == null ? null : List.copyOf(units);
      keptHot = keptHot == null ? null : List.copyOf(keptHot);
    }
  }

  public record ColdUnit(String folder, String module, long files, long bytes, long storedBytes, String why,
      Long firstImportMillis, Long unpackMillis) {}

  public record KeptHot(String folder, String module, String why) {}

  public record ColdProof(long units, long passed, long elfObjects, String how) {}

  // ---- proofs ----

  public record Proofs(HandlerResult handlerResult, ImportEquivalence importEquivalence) implements Section {}

  /** @param reason why the answer was not compared (then nothing else is set) */
  public record HandlerResult(boolean ran, String reason, Boolean equal, String answer, Long millis,
      List<ProofHealed> healed) {
    public HandlerResult {
      healed = healed == null ? null : List.copyOf(healed);
    }
  }

  public record ProofHealed(String rule, String path, long files) {}

  public record ImportEquivalence(long modules, long importBoth, long failBothSameWay, long importOnlyInLayer,
      long needRemovedDistribution, long batchSize, long inputMillis, long layerMillis,
      List<String> brokenInLayerHealed, List<ProofHealed> healed) {
    public ImportEquivalence {
      brokenInLayerHealed = List.copyOf(brokenInLayerHealed);
      healed = List.copyOf(healed);
    }
  }

  // ---- baseline ----

  /**
   * This build against a baseline report.
   *
   * @param importMillis the baseline's import time, or null when it has none
   * @param baselineTarget the baseline's python and arch, or null when it does not say
   * @param warning why the diff is not only this change's, or null
   */
  public record BaselineDiff(String file, long unzippedBytes, long zippedBytes, long deltaBytes,
      long zippedDeltaBytes, Long importMillis, BaselineTarget baselineTarget, String warning, List<DiffRow> added,
      List<DiffRow> removed, List<DiffRow> changed) {
    public BaselineDiff {
      added = List.copyOf(added);
      removed = List.copyOf(removed);
      changed = List.copyOf(changed);
    }
  }

  public record BaselineTarget(String python, String arch) {}

  public record DiffRow(String name, String beforeVersion, String afterVersion, long beforeBytes, long afterBytes,
      long deltaBytes, long beforeZippedBytes, long afterZippedBytes, long zippedDeltaBytes) {}

  // ---- fit plan ----

  /** @param otherwise what holds the layer when the levers do not make it fit, or null when they do */
  public record FitPlan(String limit, long limitBytes, long actualBytes, List<FitLever> levers, long togetherBytes,
      boolean fits, String otherwise) {
    public FitPlan {
      levers = List.copyOf(levers);
    }
  }

  /** @param value the lever's value ({@code sourceless}), or null for an on/off lever */
  public record FitLever(String flag, String value, String setting, long savedBytes, String tradeOff) {}

  public record StepTime(String name, long millis) {}

  static <K, V> Map<K, V> ordered(Map<K, V> m) {
    return m == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }
}
