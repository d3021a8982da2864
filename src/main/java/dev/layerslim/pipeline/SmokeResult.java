package dev.layerslim.pipeline;

import dev.layerslim.python.ImportProbe;

/**
 * The smoke test of the staged layer, after healing.
 *
 * @param layer the layer after healing put back what the smoke test proved was needed
 * @param removals the prune plan less what healing put back
 * @param spec how the test ran over {@code layer} (the bytecode step times the same imports); null
 *     when it did not run
 * @param before the same test on the unpruned input, or null: it runs only when the layer fails
 *     (to tell damage from what was broken already), not on the default path
 * @param after the final result: the modules it loaded are the cold path; null when it did not run
 * @param notRun why it did not run; null when it ran
 */
public record SmokeResult(StagedLayer layer, Removals removals, ImportProbe.Spec spec, ImportProbe.Result before,
    ImportProbe.Result after, String notRun) {

  public static SmokeResult skipped(StagedLayer layer, Removals removals, String why) {
    return new SmokeResult(layer, removals, null, null, null, why);
  }

  public boolean ran() {
    return after != null;
  }
}
