package dev.layerslim.prune;

import dev.layerslim.layer.Plural;
import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.pipeline.Usage;
import dev.layerslim.pipeline.Step;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code layerslim audit --prune-modules}: the sub-packages of the used distributions that the static
 * analysis and the rules leave unreached, with their installed sizes, and the computed-import sites
 * that keep whole packages, before any build. No smoke run here: a build's smoke run (and
 * {@code --smoke-event}) can only keep more.
 */
public final class ModuleAuditStep implements Step<List<String>> {
  private final InstallResult install;
  private final Usage usage;
  private final List<java.nio.file.Path> handlers;

  /**
   * Looks into the distributions of {@code install} that {@code usage} counts as used, from what
   * {@code handlers} import.
   */
  public ModuleAuditStep(InstallResult install, Usage usage, List<java.nio.file.Path> handlers) {
    this.install = install;
    this.usage = usage;
    this.handlers = List.copyOf(handlers);
  }

  @Override
  public String name() {
    return "modules";
  }

  @Override
  public String title() {
    return "Finding the sub-packages nothing reaches";
  }

  /** Returns what to print: a header, one line per unreached sub-package, one per site that keeps a package. */
  @Override
  public List<String> run(BuildContext ctx) throws IOException {
    List<String> lines = new ArrayList<>();
    ModuleReach.Result r = ModuleReach.analyse(new ModuleReach.Input(install.tree(), install.ownership(),
        ModuleEvidence.handlerSources(handlers), null, System.getenv("MPLBACKEND")));
    Map<String, Long> bytes = new LinkedHashMap<>();
    for (FileEntry f : install.tree().files()) {
      String unit = r.unreachedUnitOf(f.path());
      String owner = install.ownership().ownerOf(f.path());
      if (unit != null && usage.isUsed(owner)) {
        bytes.merge(unit, f.size(), Long::sum);
      }
    }
    long total = bytes.values().stream().mapToLong(Long::longValue).sum();
    lines.add(String.format(Locale.ROOT, "%s of used distributions nothing reaches, %s "
        + "(build --prune-modules removes them; its smoke run may keep more):", Plural.count(bytes.size(), "sub-package"),
        Sizes.human(total)));
    bytes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> lines.add(String.format(Locale.ROOT, "  %-48s %10s", e.getKey(), Sizes.human(e.getValue()))));
    for (ModuleReach.Dynamic d : r.dynamic()) {
      // a site in an unused distribution keeps nothing that stays: --prune-unused removes all of it
      if (d.kept() != null && (d.distribution() == null || usage.isUsed(d.distribution()))) {
        lines.add("  kept " + d.kept() + ": " + d.rule() + " at " + d.site());
      }
    }
    ctx.stepSummary(Plural.count(bytes.size(), "unreached sub-package") + ", " + Sizes.human(total));
    return lines;
  }
}
