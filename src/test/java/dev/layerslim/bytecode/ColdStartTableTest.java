package dev.layerslim.bytecode;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * report.md's Cold start table gives the size of the layer its imports were timed on; with cold
 * storage that is not the built layer, and the table must not pass it off as one.
 */
class ColdStartTableTest {
  private static ObjectNode section() {
    return JsonNodeFactory.instance.objectNode().put("bytecode", "cold-path").put("pycFiles", 12)
        .put("pycBytes", 40_000).put("importMillis", 310).put("importMillisNoPyc", 900);
  }

  @Test
  void withColdStorage_theSizeIsLabelledAsBeforeIt_andTheBuiltSizeIsPointedTo() {
    String md = BytecodeStep.markdown(section(), 284_475_392L, true);
    assertTrue(md.contains("| layer timed (before cold storage) | imports (cold start) |"), md);
    assertTrue(md.contains("| 271.3 MiB | 310 ms | 900 ms |"), md);
    assertTrue(md.contains("the built layer's size is the limits table's"), md);
  }

  @Test
  void withoutColdStorage_theTimedLayerIsTheBuiltOne() {
    String md = BytecodeStep.markdown(section(), 284_475_392L, false);
    assertTrue(md.contains("| layer timed | imports (cold start) |"), md);
    assertFalse(md.contains("before cold storage"), md);
  }
}
