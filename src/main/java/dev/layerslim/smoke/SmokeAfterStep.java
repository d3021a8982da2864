package dev.layerslim.smoke;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.pipeline.Removals;
import dev.layerslim.pipeline.SmokeBaseline;
import dev.layerslim.pipeline.SmokeResult;
import dev.layerslim.pipeline.StagedLayer;
import dev.layerslim.pipeline.Step;
import dev.layerslim.python.ImportProbe;
import java.io.IOException;
import java.util.List;

/**
 * Smoke test of the staged (pruned, stripped) layer. When something that worked before fails now,
 * the {@link Healer} finds the change that broke it and undoes it; the layer goes on, and the report
 * says which rule broke which import. Writes the {@code smoke} section of report.json.
 */
public final class SmokeAfterStep implements Step<SmokeResult> {
  private final InstallResult install;
  private final Removals removals;
  private final StagedLayer layer;
  private final SmokeBaseline baseline;

  /**
   * Tests {@code layer} (staged from {@code install} less {@code removals}, then stripped) against
   * {@code baseline}, the same test on the input.
   */
  public SmokeAfterStep(InstallResult install, Removals removals, StagedLayer layer, SmokeBaseline baseline) {
    this.install = install;
    this.removals = removals;
    this.layer = layer;
    this.baseline = baseline;
  }

  @Override
  public String name() {
    return "smoke-after";
  }

  @Override
  public String title() {
    return "Smoke-testing the layer";
  }

  @Override
  public SmokeResult run(BuildContext ctx) throws IOException {
    ImportProbe.Result before = baseline.before();
    ImportProbe.Spec spec = baseline.spec().withTree(layer.root(), SmokeSpecs.elfObjects(layer.tree()));
    ImportProbe.Result after = ImportProbe.run(ctx.processes(), spec);
    List<Healer.Healed> healed = List.of();
    StagedLayer healedLayer = layer;
    Removals kept = removals;
    if (!Healer.ok(before, after)) {
      ctx.warn(name(), "the layer fails where the input passed (" + Healer.failureDetails(before, after)
          + "): looking for the change that broke it");
      Healer.Outcome outcome = new Healer(ctx, install, layer.root(), removals, spec, before).heal(after);
      after = outcome.result();
      healed = outcome.healed();
      for (Healer.Healed h : healed) {
        ctx.warn(name(), h.sentence());
      }
      healedLayer = layer.rescan();
      kept = removals.without(outcome.restored());
    }
    ctx.reportSection("smoke", section(before, after, healed));
    ctx.markdownSection(60, markdown(before, after, healed));
    ctx.stepSummary("passed: " + after.imports().size() + " imports, " + (after.dlopenChecked()
        - after.dlopenFailed().size()) + " of " + after.dlopenChecked() + " ELF objects load"
        + (healed.isEmpty() ? "" : ", " + healed.size() + " removed files kept to heal it"));
    return new SmokeResult(healedLayer, kept,
        spec.withTree(healedLayer.root(), SmokeSpecs.elfObjects(healedLayer.tree())), after, null);
  }

  static ObjectNode section(ImportProbe.Result before, ImportProbe.Result after, List<Healer.Healed> healed) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("ran", true);
    s.put("passed", after.passed());
    ArrayNode imports = s.putArray("imports");
    after.imports().forEach(imports::add);
    s.put("importMillis", after.importMillis());
    s.put("importMillisBefore", before.importMillis());
    ArrayNode slowest = s.putArray("slowest");
    for (ImportProbe.ModuleTime t : after.slowest()) {
      slowest.addObject().put("module", t.module()).put("micros", t.selfMicros())
          .put("cumulativeMicros", t.cumulativeMicros());
    }
    ObjectNode dl = s.putObject("dlopen");
    dl.put("checked", after.dlopenChecked());
    dl.put("failedBefore", before.dlopenFailed().size());
    ArrayNode failedAfter = dl.putArray("failedAfter");
    after.dlopenFailed().keySet().stream().sorted().forEach(failedAfter::add);
    ArrayNode h = s.putArray("healed");
    for (Healer.Healed x : healed) {
      h.addObject().put("rule", x.rule()).put("path", x.path()).put("import", x.check()).put("reason", x.reason());
    }
    return s;
  }

  private static String markdown(ImportProbe.Result before, ImportProbe.Result after, List<Healer.Healed> healed) {
    StringBuilder md = new StringBuilder("## Smoke test\n\n");
    md.append("✅ passed: ").append(after.imports().isEmpty() ? "no imports"
        : "`import " + String.join("`, `import ", after.imports()) + "`").append("; ")
        .append(after.dlopenChecked() - after.dlopenFailed().size()).append(" of ").append(after.dlopenChecked())
        .append(" ELF objects load (").append(before.dlopenFailed().size()).append(" failed before any change).\n");
    if (!healed.isEmpty()) {
      md.append("\nHealed (these changes broke the layer and were undone):\n\n");
      for (Healer.Healed x : healed) {
        md.append("- ").append(x.sentence().replace(x.path(), "`" + x.path() + "`")).append('\n');
      }
    }
    return md.toString();
  }
}
