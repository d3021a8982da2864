package dev.layerslim.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemProcessRunnerTest {
  @TempDir Path tmp;

  @Test
  void run_streamsEachLineToTheListenerAndTheLogAndCapturesAll() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    Path log = tmp.resolve("p.log");
    ProcessRunner.ProcessResult r = new SystemProcessRunner().run(ProcessRunner.ProcessRequest
        .of(List.of("sh", "-c", "echo first; echo second >&2; printf 'no newline at the end'"))
        .withLogFile(log).withOnLine(lines::add));
    assertTrue(r.ok());
    assertEquals(List.of("first", "second", "no newline at the end"), lines);
    assertEquals("first\nsecond\nno newline at the end", r.output());
    assertEquals(r.output(), Files.readString(log));
  }

  @Test
  void run_killsAtTheTimeoutAndSaysSo() throws Exception {
    long start = System.nanoTime();
    ProcessRunner.ProcessResult r = new SystemProcessRunner().run(ProcessRunner.ProcessRequest
        .of(List.of("sh", "-c", "echo started; sleep 30")).withTimeout(Duration.ofMillis(500)));
    assertTrue(r.timedOut());
    assertFalse(r.ok());
    assertTrue(r.output().contains("started"));
    assertTrue((System.nanoTime() - start) / 1_000_000_000.0 < 20, "killed long before the sleep ends");
  }
}
