package dev.layerslim.pipeline;

import dev.layerslim.python.ImportProbe;

/**
 * The smoke test of the input, before layerslim changed anything: what the layer must keep working.
 *
 * @param spec how the smoke test runs (later runs change only the tree); null when it did not run
 * @param before its result on the unpruned tree; null when it did not run
 * @param notRun why it did not run (no smoke test asked for, no such interpreter here); null when it ran
 */
public record SmokeBaseline(ImportProbe.Spec spec, ImportProbe.Result before, String notRun) {

  public static SmokeBaseline skipped(String why) {
    return new SmokeBaseline(null, null, why);
  }

  public boolean ran() {
    return before != null;
  }
}
