package dev.layerslim.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A child that ends normally has all of its output read: the runner must not close the pipe (which
 * Process.destroy does, even for a process that has exited) before the pump has drained it.
 */
class ProcessOutputRaceTest {
  @Test
  void everyLineOfAChildThatExited_reachesTheListenerAndTheResult_runAfterRun() throws Exception {
    List<String> expected = new ArrayList<>();
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      expected.add("line " + i);
      script.append("echo 'line ").append(i).append("'").append(i % 2 == 0 ? "; " : " >&2; ");
    }
    for (int run = 0; run < 200; run++) {
      List<String> lines = new CopyOnWriteArrayList<>();
      ProcessRunner.ProcessResult r = new SystemProcessRunner().run(ProcessRunner.ProcessRequest
          .of(List.of("sh", "-c", script.toString())).withOnLine(lines::add));
      assertEquals(expected, lines, "run " + run);
      assertEquals(String.join("\n", expected), r.output().strip(), "run " + run);
    }
  }

  @Test
  void aBackgroundProcessHoldingThePipe_doesNotHoldTheRun_andTheChildsOutputIsKept() throws Exception {
    // the background sleep inherits stdout and outlives its parent: the run still ends (the default
    // test timeout fails a hang) with what the child printed
    ProcessRunner.ProcessResult r = new SystemProcessRunner().run(ProcessRunner.ProcessRequest
        .of(List.of("sh", "-c", "echo done; (exec sleep 60) &")));
    assertEquals(0, r.exitCode());
    assertEquals("done", r.output().strip());
  }
}
