package dev.layerslim.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineTest {
  private final List<Event> events = new ArrayList<>();
  private final Pipeline pipeline = new Pipeline(new BuildContext(BuildOptions.builder().build(), events::add, r -> null));

  /** A step whose body is given by the test. */
  private record Body<R>(String name, Run<R> run) implements Step<R> {
    interface Run<R> {
      R apply() throws IOException;
    }

    @Override
    public R run(BuildContext ctx) throws IOException {
      return run.apply();
    }
  }

  @Test
  void run_returnsTheStepsResult_andTimesIt() {
    String r = pipeline.run(new Body<>("first", () -> "made"));
    assertEquals("made", r);
    assertTrue(pipeline.context().stepTimes().containsKey("first"));
    assertTrue(events.get(0) instanceof Event.StepStarted s && s.step().equals("first"));
    assertTrue(events.get(1) instanceof Event.StepFinished f && f.step().equals("first"));
  }

  @Test
  void outOfMemoryInAStep_isAnInternalError_exit4NamingTheStep() {
    LayerslimException e = assertThrows(LayerslimException.class,
        () -> pipeline.run(new Body<>("zip", () -> {
          throw new OutOfMemoryError("Java heap space");
        })));
    assertEquals(4, e.exitCode());
    assertEquals("zip", e.step());
    assertTrue(e.getMessage().startsWith("internal error: step zip ran out of memory"), e.getMessage());
  }

  @Test
  void stackOverflowAndBugs_areExit4_notExit1() {
    assertEquals(4, assertThrows(LayerslimException.class, () -> pipeline.run(new Body<>("walk", () -> {
      throw new StackOverflowError();
    }))).exitCode());
    LayerslimException npe = assertThrows(LayerslimException.class, () -> pipeline.run(new Body<>("report", () -> {
      throw new NullPointerException("boom");
    })));
    assertEquals(4, npe.exitCode());
    assertTrue(npe.getMessage().contains("step report failed with NullPointerException: boom"), npe.getMessage());
  }

  @Test
  void ioFailure_isExit3_andAStepsOwnExceptionKeepsItsCode_withTheStepRecorded() {
    LayerslimException io = assertThrows(LayerslimException.class, () -> pipeline.run(new Body<>("stage", () -> {
      throw new IOException("disk full");
    })));
    assertEquals(3, io.exitCode());
    assertEquals("stage", io.step());
    LayerslimException usage = LayerslimException.usage("bad");
    LayerslimException thrown = assertThrows(LayerslimException.class, () -> pipeline.run(new Body<>("install", () -> {
      throw usage;
    })));
    assertSame(usage, thrown);
    assertEquals(2, thrown.exitCode());
    assertEquals("install", thrown.step());
  }

  @Test
  void skip_returnsTheUnchangedValue_andSaysWhy() {
    assertEquals("same", pipeline.skip("strip", "--no-strip", "same"));
    assertTrue(events.get(0) instanceof Event.StepSkipped s && s.reason().equals("--no-strip"));
  }
}
