package dev.layerslim.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test helper's own timeout must be able to fire: a hung command fails its test instead of hanging the run. */
class WheelsTest {
  @Test
  void hungCommand_timesOutInsteadOfWaitingForItsOutputToEnd() {
    List<String> cmd = List.of("sh", "-c", "echo started; sleep 120");
    IOException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(IOException.class,
        () -> Wheels.run(new ProcessBuilder(cmd).redirectErrorStream(true), cmd, 2)));
    assertTrue(e.getMessage().startsWith("timed out after 2 s") && e.getMessage().contains("started"), e.getMessage());
  }

  @Test
  void finishedCommand_returnsItsOutput() throws IOException {
    assertTrue(Wheels.run(List.of("sh", "-c", "echo hello")).contains("hello"));
  }
}
