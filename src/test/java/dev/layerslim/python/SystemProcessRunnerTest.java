package dev.layerslim.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Children cannot exhaust memory, block on a pipe or outlive their run. */
public class SystemProcessRunnerTest {
  private final SystemProcessRunner runner = new SystemProcessRunner();
  @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp;

  @Test
  void run_streamsEachLineToTheListenerAndTheLogAndCapturesAll() throws Exception {
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.nio.file.Path log = tmp.resolve("p.log");
    ProcessRunner.ProcessResult r = new SystemProcessRunner().run(ProcessRunner.ProcessRequest
        .of(List.of("sh", "-c", "echo first; echo second >&2; printf 'no newline at the end'"))
        .withLogFile(log).withOnLine(lines::add));
    assertTrue(r.ok());
    assertEquals(List.of("first", "second", "no newline at the end"), lines);
    assertEquals("first\nsecond\nno newline at the end", r.output());
    assertEquals(r.output(), java.nio.file.Files.readString(log));
  }

  @Test
  void run_killsAtTheTimeoutAndSaysSo() throws Exception {
    long start = System.nanoTime();
    ProcessRunner.ProcessResult r = new SystemProcessRunner().run(ProcessRunner.ProcessRequest
        .of(List.of("sh", "-c", "echo started; sleep 30")).withTimeout(Duration.ofMillis(500)));
    assertTrue(r.timedOut());
    assertTrue(!r.ok());
    assertTrue(r.output().contains("started"));
    assertTrue((System.nanoTime() - start) / 1_000_000_000.0 < 20, "killed long before the sleep ends");
  }

  @Test
  void hugeOutput_keepsABoundedTail() throws Exception {
    // ~700 MB, as a handler printing at import did; the old runner kept all of it on the heap
    ProcessRunner.ProcessResult r = runner.run(ProcessRunner.ProcessRequest.of(List.of(dev.layerslim.testing.Wheels.python3(), "-c",
        "import sys\nb = b'x' * (1 << 20)\nfor _ in range(700): sys.stdout.buffer.write(b)\nprint('\\nTHE END')"))
        .withTimeout(Duration.ofMinutes(5)).withOnLine(line -> { }));
    assertEquals(0, r.exitCode(), r.tail(3));
    assertTrue(r.output().length() <= SystemProcessRunner.TAIL_BYTES + 100, "kept " + r.output().length());
    assertTrue(r.output().startsWith("[" + (700L * (1 << 20) + 9 - SystemProcessRunner.TAIL_BYTES)
        + " earlier bytes"), r.output().substring(0, 80));
    assertEquals("THE END", r.tail(1));
  }

  @Test
  void childReadingStdin_seesItsEndAtOnce() throws Exception {
    // a prompt in pip or a handler must not wait for input until the timeout
    ProcessRunner.ProcessResult r = runner.run(ProcessRunner.ProcessRequest
        .of(List.of(dev.layerslim.testing.Wheels.python3(), "-c", "import sys\nprint(len(sys.stdin.read()))"))
        .withTimeout(Duration.ofSeconds(30)));
    assertTrue(!r.timedOut(), "waited for input");
    assertEquals(0, r.exitCode(), r.output());
    assertEquals("0", r.tail(1));
  }

  @Test
  void timeout_killsTheChildAndWhatItStarted() throws Exception {
    ProcessRunner.ProcessResult r = runner.run(ProcessRunner.ProcessRequest.of(List.of("sh", "-c",
        "sleep 300 & echo $!; wait")).withTimeout(Duration.ofSeconds(2)));
    assertTrue(r.timedOut());
    long grandchild = Long.parseLong(r.output().strip());
    assertTrue(gone(grandchild, 5000), "sleep 300 still runs");
  }

  /** Whether process {@code pid} is gone (or a zombie) within {@code millis}. */
  public static boolean gone(long pid, long millis) {
    try {
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMillis(millis))
          .pollInterval(java.time.Duration.ofMillis(100)).until(() -> goneNow(pid));
      return true;
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      return false;
    }
  }

  /** Whether process {@code pid} has ended (or is a zombie) now. */
  private static boolean goneNow(long pid) throws IOException {
    java.nio.file.Path stat = java.nio.file.Path.of("/proc/" + pid + "/stat");
    try {
      String s = java.nio.file.Files.readString(stat);
      return s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
    } catch (java.nio.file.NoSuchFileException e) {
      return true;
    }
  }

  @Test
  void missingProgram_isStillAnIOException() {
    assertThrows(IOException.class, () -> runner.run(ProcessRunner.ProcessRequest.of(List.of("no-such-program-x"))));
  }

  @Test
  void tail_keepsTheLastBytesAcrossWrapAround() {
    SystemProcessRunner.Tail t = new SystemProcessRunner.Tail(8);
    t.write("abcdef".getBytes(), 0, 6);
    t.write("ghijk".getBytes(), 0, 5);
    assertEquals("[3 earlier bytes of output not kept in memory]\ndefghijk", t.text());
    t.write("0123456789".getBytes(), 0, 10);
    assertEquals(13, t.dropped());
    assertTrue(t.text().endsWith("\n23456789"));
  }
}
