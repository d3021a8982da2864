package dev.layerslim.cli;

import dev.layerslim.archive.ZipPrefetch;
import dev.layerslim.archive.ZipStep;
import dev.layerslim.audit.AuditStep;
import dev.layerslim.bytecode.BytecodeStep;
import dev.layerslim.cold.ColdStorageStep;
import dev.layerslim.compat.CompatStep;
import dev.layerslim.install.InstallStep;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.ColdResult;
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.pipeline.Lever;
import dev.layerslim.pipeline.Pipeline;
import dev.layerslim.pipeline.Removals;
import dev.layerslim.pipeline.SmokeLoaded;
import dev.layerslim.pipeline.SmokePlan;
import dev.layerslim.pipeline.SmokeResult;
import dev.layerslim.pipeline.StagedLayer;
import dev.layerslim.pipeline.Usage;
import dev.layerslim.pipeline.ZipResult;
import dev.layerslim.prune.ModuleAuditStep;
import dev.layerslim.prune.PruneStep;
import dev.layerslim.report.ReportStep;
import dev.layerslim.smoke.ProofStep;
import dev.layerslim.smoke.SmokeAfterStep;
import dev.layerslim.smoke.SmokeEvidenceStep;
import dev.layerslim.smoke.SmokeInputs;
import dev.layerslim.smoke.SmokeSetupStep;
import dev.layerslim.stage.StageStep;
import dev.layerslim.strip.StripStep;

/**
 * The one place that wires the steps: each is built with the results it reads, in order, so the
 * data flow of a build reads top to bottom here. To add a step, give it a constructor taking the
 * results it needs and a record for what it produces, and call it here.
 */
final class Workflows {
  private Workflows() {}

  /**
   * What a build produced, for the command that prints it and the action that posts it;
   * {@code smokeNotRun} says why no smoke test ran (null when one did), so an OK never hides it.
   */
  record Built(InstallResult install, ZipResult zip, ReportStep.Written report, String smokeNotRun) {}

  /**
   * {@code layerslim build}: install → audit → prune → smoke-setup → stage → strip →
   * (zip-prefetch) → smoke (heal) → bytecode → compat → (cold-storage, or its measure for the fit plan) → proof (heal) → zip → report.
   */
  static Built build(Pipeline p) {
    BuildOptions o = p.context().options();
    InstallResult install = p.run(installStep(p));
    Usage usage = audit(p, install);
    Removals removals = p.run(pruneStep(p, install, usage));
    SmokePlan smokePlan = o.smokeTest().smoke()
        ? p.run(new SmokeSetupStep(install, removals, SmokeInputs.of(o)))
        : p.skip("smoke-setup", o.vocabulary().off("no-smoke"), SmokePlan.skipped(o.vocabulary().off("no-smoke")));
    StagedLayer staged = p.run(new StageStep(install, removals, o.threads()));
    StagedLayer stripped = o.strip() ? p.run(new StripStep(staged, o.threads()))
        : p.skip("strip", o.vocabulary().off("no-strip"), staged);
    // the prefetch deflates large files in the background until the zip step takes them
    try (ZipPrefetch.Queue prefetched = p.run(new ZipPrefetch(stripped, o.threads()))) {
      SmokeResult smoke = smokePlan.runs()
          ? p.run(new SmokeAfterStep(install, removals, stripped, smokePlan, o.bytecode()))
          : p.skip("smoke", smokePlan.notRun(), SmokeResult.skipped(stripped, removals, smokePlan.notRun()));
      StagedLayer compiled = p.run(new BytecodeStep(smoke, o.bytecode(), o.target(), o.pythonExe(), o.coldStorage()));
      p.run(new CompatStep(compiled, install.ownership(), o.compatCheck(), o.target(),
          o.install().sitePackages() != null));
      // after compat, which reads every ELF object where it lies; the proof runs on the final layer
      ColdResult cold = o.coldStorage()
          ? p.run(new ColdStorageStep(smoke, compiled, install.ownership(), o.prune().include(),
              o.smokeTest().timeoutSeconds(), true))
          : measureColdStorage(p, smoke, compiled, install, usage);
      StagedLayer proven = smoke.ran() ? p.run(new ProofStep(install, smoke, cold, ProofStep.importsProved(o))) : cold.layer();
      ZipResult zip = p.run(new ZipStep(proven, prefetched, o.threads()));
      ReportStep.Written report = p.run(ReportStep.ofBuild(install, usage, zip, smoke.notRun()));
      return new Built(install, zip, report, smoke.notRun());
    }
  }

  /**
   * Without {@code --cold-storage}, on a layer over an unzipped limit or budget: what cold storage
   * would save here, measured by packing its candidates beside the layer (which stays as it is), for
   * the fit plan. Sub-packages of distributions the audit found unused are left out of the figure:
   * {@code --prune-unused} counts them whole.
   */
  private static ColdResult measureColdStorage(Pipeline p, SmokeResult smoke, StagedLayer layer,
      InstallResult install, Usage usage) {
    BuildOptions o = p.context().options();
    ColdResult off = ColdResult.skipped(layer, o.vocabulary().on("cold-storage") + " is off");
    boolean over = dev.layerslim.report.Limits.check(layer.tree().totalBytes(), 0, o.limits().extraBytes(), o.limits().maxUnzipped(),
        null).stream().anyMatch(c -> c.name().startsWith("unzipped") && c.exceeded());
    if (!over || !smoke.ran()) {
      return off;
    }
    ColdResult measured = p.run(new ColdStorageStep(smoke, layer, install.ownership(), o.prune().include(),
        o.smokeTest().timeoutSeconds(), false));
    long saved = 0;
    ColdResult.Unit biggest = null;
    for (ColdResult.Unit u : measured.units()) {
      String owner = install.ownership() == null ? null : install.ownership().ownerOf(u.folder() + "/__init__.py");
      if (owner == null || usage.isUsed(owner)) {
        saved += u.bytes() - u.storedBytes();
        biggest = biggest == null || u.bytes() > biggest.bytes() ? u : biggest;
      }
    }
    saved -= measured.units().isEmpty() ? 0 : measured.loaderBytes();
    if (biggest != null && saved > 0) {
      p.context().lever(new Lever("cold-storage", null, saved, "the first use of " + biggest.module() + " unpacks "
          + dev.layerslim.layer.Sizes.human(biggest.bytes()) + " into the temp dir"
          + (biggest.unpackMillis() >= 0 ? " (" + biggest.unpackMillis() + " ms)" : "")));
    }
    return off;
  }

  /** {@code --dry-run} ({@code build} and {@code prune}): install → audit → prune → report; no layer, no zip. */
  static ReportStep.Written plan(Pipeline p) {
    InstallResult install = p.run(installStep(p));
    Usage usage = audit(p, install);
    Removals removals = p.run(pruneStep(p, install, usage));
    return p.run(ReportStep.ofPlan(install, usage, removals));
  }

  /** What {@code layerslim install} produced: the install, and the layer staged from all of it. */
  record Installed(InstallResult install, StagedLayer layer) {}

  /** {@code layerslim install}: install → stage, nothing pruned: the layer is the installed tree. */
  static Installed installOnly(Pipeline p) {
    InstallResult install = p.run(installStep(p));
    return new Installed(install, p.run(new StageStep(install, Removals.none(), p.context().options().threads())));
  }

  /** What {@code layerslim audit} found: the audit, and with --prune-modules the unreached sub-packages. */
  record Audited(AuditStep.Outcome audit, java.util.List<String> modules) {}

  /** {@code layerslim audit}: install → audit (→ modules, with --prune-modules). */
  static Audited auditOnly(Pipeline p) {
    InstallResult install = p.run(installStep(p));
    AuditStep.Outcome audit = p.run(new AuditStep(install));
    return new Audited(audit, p.context().options().prune().pruneModules()
        ? p.run(new ModuleAuditStep(install, audit.usage(), p.context().options().handlers())) : java.util.List.of());
  }

  /** With --prune-modules, what the smoke run of the input loads: evidence that a sub-package is reached. */
  private static SmokeLoaded moduleEvidence(Pipeline p, InstallResult install) {
    return p.context().options().prune().pruneModules() && !p.context().options().handlers().isEmpty()
        ? p.run(new SmokeEvidenceStep(install, SmokeInputs.of(p.context().options()))) : SmokeLoaded.none();
  }

  private static InstallStep installStep(Pipeline p) {
    BuildOptions o = p.context().options();
    return new InstallStep(o.install(), o.target(), o.pythonExe());
  }

  private static PruneStep pruneStep(Pipeline p, InstallResult install, Usage usage) {
    BuildOptions o = p.context().options();
    return new PruneStep(install, usage, moduleEvidence(p, install), o.prune(), o.handlers(), o.coldStorage(), o.dryRun());
  }

  private static Usage audit(Pipeline p, InstallResult install) {
    String skip = AuditStep.skipReason(p.context().options());
    return skip == null ? p.run(new AuditStep(install)).usage() : p.skip("audit", skip, Usage.unaudited());
  }
}
