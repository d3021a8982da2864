package dev.layerslim.audit;

import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.Ownership;
import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.Step;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Audit: which distributions the handler's imports reach. Sets {@link BuildContext#usedDistributions}
 * (prune's {@code unused} rule reads it), flags what the Lambda runtime already provides, and puts
 * the dependency tree with its why-chains into the report.
 */
public final class AuditStep implements Step {
  /** The last result, for the {@code audit} command. */
  private AuditResult result;
  private Map<String, Long> bytes;

  @Override
  public String name() {
    return "audit";
  }

  @Override
  public String title() {
    return "Auditing what the handler imports";
  }

  @Override
  public String skipReason(BuildContext ctx) {
    return ctx.options().handlers.isEmpty() ? "no --handler given: every distribution counts as used" : null;
  }

  public AuditResult result() {
    return result;
  }

  public Map<String, Long> bytes() {
    return bytes;
  }

  @Override
  public void run(BuildContext ctx) throws IOException {
    var o = ctx.options();
    HandlerImports imports = HandlerScanner.scan(o.handlers, o.target);
    result = Audit.run(ctx.distributions, imports, o.target, new LinkedHashSet<>(o.keep));
    bytes = bytesByDistribution(ctx);
    Set<String> used = new HashSet<>(result.usedNames());
    ctx.usedDistributions = used;
    Set<String> runtime = new HashSet<>();
    for (AuditResult.DistributionUse d : result.distributions()) {
      if (d.runtimeProvided()) {
        runtime.add(d.name());
      }
    }
    ctx.runtimeProvided = runtime;
    for (String p : imports.problems()) {
      ctx.warn(name(), p);
    }
    for (String p : result.problems()) {
      ctx.warn(name(), p);
    }
    for (AuditResult.UnresolvedImport u : result.unresolved()) {
      if (!u.optional()) {
        ctx.warn(name(), "import " + u.name() + " (" + String.join(", ", u.where())
            + ") is provided by nothing in the layer or the runtime: the handler will fail to import it");
      }
    }
    if (o.dropRuntimeProvided) {
      dropRuntimeProvided(ctx, runtime);
    }
    ctx.reportSection("audit", DependencyTreeRenderer.json(result, bytes));
    ctx.markdownSection(30, unusedMarkdown(result, bytes, o.pruneUnused));
    long unusedBytes = result.unusedNames().stream().mapToLong(n -> bytes.getOrDefault(n, 0L)).sum();
    ctx.stepSummary(used.size() + " of " + result.distributions().size() + " distributions used; "
        + result.unusedNames().size() + " unused (" + Sizes.human(unusedBytes) + ")");
  }

  /** With --drop-runtime-provided: the runtime's own boto3 &amp; co. replace the layer's copies. */
  private void dropRuntimeProvided(BuildContext ctx, Set<String> runtime) {
    long n = 0;
    for (FileEntry f : ctx.sourceTree.files()) {
      String owner = ctx.ownership.ownerOf(f.path());
      if (runtime.contains(owner) && !ctx.options().keep.contains(owner)) {
        ctx.removals.put(f.path(), new BuildContext.Removal("runtime-provided",
            owner + " is provided by the Lambda runtime (--drop-runtime-provided)"));
        n++;
      }
    }
    ctx.info(name(), "--drop-runtime-provided: " + n + " files of " + runtime + " left out; the runtime's copies are used");
  }

  static Map<String, Long> bytesByDistribution(BuildContext ctx) {
    Map<String, Long> m = new HashMap<>();
    for (FileEntry f : ctx.sourceTree.files()) {
      String owner = ctx.ownership.ownerOf(f.path());
      if (!owner.equals(Ownership.UNATTRIBUTED)) {
        m.merge(owner, f.size(), Long::sum);
      }
    }
    return m;
  }

  private static String unusedMarkdown(AuditResult r, Map<String, Long> bytes, boolean pruned) {
    var unused = r.distributions().stream().filter(d -> !d.used())
        .sorted((a, b) -> Long.compare(bytes.getOrDefault(b.name(), 0L), bytes.getOrDefault(a.name(), 0L))).toList();
    if (unused.isEmpty()) {
      return "Audit: every distribution in the layer is reached from the handler's imports.\n";
    }
    long total = unused.stream().mapToLong(d -> bytes.getOrDefault(d.name(), 0L)).sum();
    StringBuilder md = new StringBuilder("## Unused distributions\n\n");
    md.append("The handler's imports never reach these ").append(unused.size()).append(" distributions: **")
        .append(Sizes.human(total)).append("** installed")
        .append(pruned ? ", removed by `--prune-unused`.\n\n" : ". `--prune-unused` removes them.\n\n");
    md.append("| distribution | version | installed |\n| --- | --- | ---: |\n");
    for (var d : unused) {
      md.append("| ").append(d.name()).append(" | ").append(d.version()).append(" | ")
          .append(Sizes.human(bytes.getOrDefault(d.name(), 0L))).append(" |\n");
    }
    return md.toString();
  }
}
