package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every command's --help says which exit codes it gives, and all of them can end with 4: an internal
 * error leaves any command with 4 (Main's handlers), so a help text that stops at 3 tells a script
 * author to expect fewer codes than there are.
 */
class HelpExitCodesTest {
  @ParameterizedTest
  @ValueSource(strings = {"build", "action", "audit", "prune", "install", "strip", "smoke", "zip", "report",
      "release"})
  void help_listsTheExitCodes_includingTheInternalError(String command) {
    CliRun run = CliRun.of(command, "--help");
    assertEquals(0, run.exitCode(), run.all());
    String out = run.out().replaceAll("\\s+", " ");
    assertTrue(out.contains("Exit codes"), command + ": " + run.out());
    assertTrue(out.contains("4 an internal error"), command + ": " + run.out());
  }
}
