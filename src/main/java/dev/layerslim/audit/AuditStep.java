package dev.layerslim.audit;

import dev.layerslim.layer.Plural;
import dev.layerslim.reportfile.Markdown;
import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.Ownership;
import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.pipeline.Usage;
import dev.layerslim.pipeline.Step;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Audit: which distributions the handler's imports reach. Reads the install; returns the
 * {@link Usage} (prune's {@code unused} and {@code runtime-provided} rules read it) with the full
 * audit for the {@code audit} command, and puts the dependency tree with its why-chains into the
 * report.
 */
public final class AuditStep implements Step<AuditStep.Outcome> {
  /** What the audit found: the usage later steps read, and the detail the audit command prints. */
  public record Outcome(Usage usage, AuditResult result, Map<String, Long> bytes) {}

  private final InstallResult install;
  private final java.util.List<java.nio.file.Path> handlers;
  private final dev.layerslim.layer.Target target;
  private final dev.layerslim.pipeline.PruneOptions prune;

  /**
   * Audits which distributions of {@code install} what {@code handlers} import needs on {@code target};
   * {@code prune} gives the {@code --keep} names and says whether pruning will act on the result.
   */
  public AuditStep(InstallResult install, java.util.List<java.nio.file.Path> handlers,
      dev.layerslim.layer.Target target, dev.layerslim.pipeline.PruneOptions prune) {
    this.install = install;
    this.handlers = java.util.List.copyOf(handlers);
    this.target = target;
    this.prune = prune;
  }

  @Override
  public String name() {
    return "audit";
  }

  @Override
  public String title() {
    return "Auditing what the handler imports";
  }

  /** Null when the audit runs; otherwise why it is skipped. */
  public static String skipReason(dev.layerslim.pipeline.BuildOptions o) {
    return o.handlers().isEmpty() ? "no " + o.vocabulary().option("handler") + " given: every distribution counts as used"
        : null;
  }

  @Override
  public Outcome run(BuildContext ctx) throws IOException {
    HandlerImports imports = HandlerScanner.scan(handlers, target);
    AuditResult result = Audit.run(install.distributions(), imports, target, new LinkedHashSet<>(prune.keep()));
    Map<String, Long> bytes = bytesByDistribution(install);
    Set<String> used = new HashSet<>(result.usedNames());
    Set<String> runtime = new HashSet<>();
    for (AuditResult.DistributionUse d : result.distributions()) {
      if (d.runtimeProvided()) {
        runtime.add(d.name());
      }
    }
    for (String p : imports.problems()) {
      ctx.warn(name(), p);
    }
    for (String p : result.problems()) {
      ctx.warn(name(), p);
    }
    for (AuditResult.ComputedUse c : result.computed()) {
      // never a silent OK: a call-time import the scan cannot name may need what pruning removes
      if (prune.pruneUnused() || prune.pruneModules()) {
        ctx.warn(name(), c.sentence());
      } else {
        ctx.info(name(), c.sentence());
      }
    }
    for (AuditResult.UnresolvedImport u : result.unresolved()) {
      if (!u.optional()) {
        ctx.warn(name(), "import " + u.name() + " (" + String.join(", ", u.where())
            + ") is provided by nothing in the layer or the runtime: the handler will fail to import it");
      }
    }
    ctx.reportSection(DependencyTreeRenderer.section(result, bytes));
    ctx.markdownSection(30, computedMarkdown(result, ctx.vocabulary())
        + unusedMarkdown(result, bytes, prune.pruneUnused(), ctx.vocabulary()));
    long unusedBytes = result.unusedNames().stream().mapToLong(n -> bytes.getOrDefault(n, 0L)).sum();
    ctx.stepSummary(used.size() + " of " + Plural.count(result.distributions().size(), "distribution") + " used; "
        + result.unusedNames().size() + " unused (" + Sizes.human(unusedBytes) + ")");
    return new Outcome(new Usage(used, runtime), result, bytes);
  }

  static Map<String, Long> bytesByDistribution(InstallResult install) {
    Map<String, Long> m = new HashMap<>();
    for (FileEntry f : install.tree().files()) {
      String owner = install.ownership().ownerOf(f.path());
      if (!owner.equals(Ownership.UNATTRIBUTED)) {
        m.merge(owner, f.size(), Long::sum);
      }
    }
    return m;
  }

  /** The handler's imports of names computed at run time, each with what was kept for it. */
  static String computedMarkdown(AuditResult r, dev.layerslim.pipeline.Vocabulary words) {
    if (r.computed().isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("## Imports the handler computes at run time\n\n");
    md.append("Pruning cannot read these names; what each may need is kept, and the smoke run (`")
        .append(words.option("--smoke-event")).append("`) shows what a call loads.\n\n");
    for (AuditResult.ComputedUse c : r.computed()) {
      md.append("- ").append(dev.layerslim.reportfile.Markdown.text(c.sentence())).append('\n');
    }
    return md.append('\n').toString();
  }

  private static String unusedMarkdown(AuditResult r, Map<String, Long> bytes, boolean pruned,
      dev.layerslim.pipeline.Vocabulary words) {
    var unused = r.distributions().stream().filter(d -> !d.used())
        .sorted((a, b) -> Long.compare(bytes.getOrDefault(b.name(), 0L), bytes.getOrDefault(a.name(), 0L))).toList();
    if (unused.isEmpty()) {
      return "Audit: every distribution in the layer is reached from the handler's imports.\n";
    }
    long total = unused.stream().mapToLong(d -> bytes.getOrDefault(d.name(), 0L)).sum();
    StringBuilder md = new StringBuilder("## Unused distributions\n\n");
    md.append(unused.size() == 1 ? "The handler's imports never reach this distribution: **"
        : "The handler's imports never reach these " + unused.size() + " distributions: **")
        .append(Sizes.human(total)).append("** installed")
        .append(pruned ? ", removed by `" + words.on("prune-unused") + "`.\n\n"
            : ". `" + words.on("prune-unused") + "` removes " + (unused.size() == 1 ? "it" : "them") + ".\n\n");
    md.append("| distribution | version | installed |\n| --- | --- | ---: |\n");
    for (var d : unused) {
      md.append("| ").append(Markdown.cell(d.name())).append(" | ").append(Markdown.cell(d.version())).append(" | ")
          .append(Sizes.human(bytes.getOrDefault(d.name(), 0L))).append(" |\n");
    }
    return md.toString();
  }
}
