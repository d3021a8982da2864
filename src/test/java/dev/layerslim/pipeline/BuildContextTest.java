package dev.layerslim.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BuildContextTest {
  @Test
  void markdownSection_twoStepsWithOneOrder_bothSurviveInTheOrderTheyRan() {
    BuildContext ctx = new BuildContext(BuildOptions.builder().build(), EventSink.NONE, r -> null);
    ctx.markdownSection(60, "## Smoke test\n");
    ctx.markdownSection(60, "## Against the baseline\n");
    ctx.markdownSection(10, "## First\n");
    assertEquals(List.of(10, 60), List.copyOf(ctx.markdownSections().keySet()));
    assertEquals("## Smoke test\n\n## Against the baseline\n", ctx.markdownSections().get(60));
  }
}
