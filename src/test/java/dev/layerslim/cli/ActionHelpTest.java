package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.github.ActionInputs;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code layerslim action --help} lists the action's inputs, which are its settings. */
class ActionHelpTest {
  @Test
  void actionHelp_listsEveryInput() {
    CliRun run = CliRun.of("action", "--help");
    assertEquals(0, run.exitCode(), run.all());
    String inputs = run.out().substring(run.out().indexOf("Inputs ("));
    Set<String> listed = inputs.lines().skip(1).takeWhile(l -> !l.isBlank())
        .flatMap(l -> Stream.of(l.trim().split("\\s+"))).collect(Collectors.toSet());
    assertEquals(Set.copyOf(ActionInputs.NAMES), listed, run.out());
    assertTrue(run.out().lines().allMatch(l -> l.length() <= 80), "no line wraps: " + run.out());
  }
}
