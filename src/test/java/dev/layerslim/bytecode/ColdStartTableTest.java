package dev.layerslim.bytecode;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.reportfile.Report;
import org.junit.jupiter.api.Test;

/**
 * report.md's Cold start table gives the size of the layer its imports were timed on; with cold
 * storage that is not the built layer, and the table must not pass it off as one.
 */
class ColdStartTableTest {
  private static Report.Bytecode section() {
    return new Report.Bytecode("cold-path", 12, 40_000, 0, null, 310L, 900L, null);
  }

  @Test
  void withColdStorage_theSizeIsLabelledAsBeforeIt_andTheBuiltSizeIsPointedTo() {
    String md = BytecodeStep.markdown(null, section(), 284_475_392L, true);
    assertTrue(md.contains("| layer timed (before cold storage) | imports (cold start) |"), md);
    assertTrue(md.contains("| 271.3 MiB | 310 ms | 900 ms |"), md);
    assertTrue(md.contains("the built layer's size is the limits table's"), md);
  }

  @Test
  void withoutColdStorage_theTimedLayerIsTheBuiltOne() {
    String md = BytecodeStep.markdown(null, section(), 284_475_392L, false);
    assertTrue(md.contains("| layer timed | imports (cold start) |"), md);
    assertFalse(md.contains("before cold storage"), md);
  }
}
