package dev.layerslim.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Messages name settings as the reader sets them: flags on the command line, action.yml's inputs in the action. */
class VocabularyTest {
  @Test
  void cli_namesFlags() {
    assertEquals("--max-growth 20MiB", Vocabulary.CLI.set("max-growth", "20MiB"));
    assertEquals("--python 3.12", Vocabulary.CLI.set("python", "3.12"));
    assertEquals("--prune-unused", Vocabulary.CLI.on("prune-unused"));
    assertEquals("--no-strip", Vocabulary.CLI.off("no-strip"));
    assertEquals("--find-links DIR", Vocabulary.CLI.set("find-links", "DIR"));
  }

  @Test
  void action_namesInputs_withTheirOwnSpelling() {
    assertEquals("max-growth: 20MiB", Vocabulary.ACTION.set("max-growth", "20MiB"));
    assertEquals("python-version: 3.12", Vocabulary.ACTION.set("python", "3.12"));
    assertEquals("architecture", Vocabulary.ACTION.option("arch"));
    assertEquals("prune-unused: true", Vocabulary.ACTION.on("prune-unused"));
    assertEquals("strip: false", Vocabulary.ACTION.off("no-strip"));
    assertEquals("smoke-test: false", Vocabulary.ACTION.off("no-smoke"));
    assertEquals("pip-args: --find-links DIR", Vocabulary.ACTION.set("find-links", "DIR"));
    assertEquals("--python-exe", Vocabulary.ACTION.option("python-exe"), "no such input: the flag is all there is");
    assertEquals("smoke-timeout", Vocabulary.ACTION.option("smoke-timeout"));
  }

  @Test
  void sizeSetting_isWrittenAsAUserWouldSetIt() {
    assertEquals("20MiB", Vocabulary.sizeSetting(20L * 1024 * 1024));
    assertEquals("250MiB", Vocabulary.sizeSetting(262_144_000L));
    assertEquals("1GiB", Vocabulary.sizeSetting(1L << 30));
    assertEquals("190.7MiB", Vocabulary.sizeSetting(200_000_000L));
  }
}
