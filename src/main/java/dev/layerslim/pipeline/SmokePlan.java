package dev.layerslim.pipeline;

import dev.layerslim.python.ImportProbe;

/**
 * How the smoke test will run, decided before anything is staged: the interpreter, what it imports,
 * and the ELF objects of the input the prune plan keeps.
 *
 * @param spec the test over the unpruned input (later runs change only the tree); null when no
 *     smoke test can run
 * @param notRun why no smoke test runs (--no-smoke, no such interpreter here); null when it runs
 */
public record SmokePlan(ImportProbe.Spec spec, String notRun) {

  public static SmokePlan skipped(String why) {
    return new SmokePlan(null, why);
  }

  public boolean runs() {
    return spec != null;
  }
}
