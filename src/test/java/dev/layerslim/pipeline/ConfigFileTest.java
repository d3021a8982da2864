package dev.layerslim.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** layerslim.toml read as TOML: what it accepts, and the error each mistake gets. */
class ConfigFileTest {
  @TempDir Path dir;

  Path toml(String text) throws IOException {
    return Files.writeString(dir.resolve("layerslim.toml"), text, StandardCharsets.UTF_8);
  }

  LayerslimException refused(Path file) {
    LayerslimException e = assertThrows(LayerslimException.class, () -> ConfigFile.read(file));
    assertEquals(LayerslimException.EXIT_USAGE, e.exitCode());
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    return e;
  }

  @Test
  void theTomlUsersWrite_isRead() throws IOException {
    ConfigFile.Prune p = ConfigFile.read(toml("""
        # layer rules
        [prune]
        exclude = [
          "botocore/data/**",   # the big one
          'pandas/tests',
          "a\\u0062c",
        ]
        keep = ["six"]
        prune-unused = true
        "modules" = false
        """));
    assertEquals(List.of("botocore/data/**", "pandas/tests", "abc"), p.exclude());
    assertEquals(List.of("six"), p.keep());
    assertEquals(List.of(), p.include());
    assertEquals(true, p.pruneUnused());
    assertEquals(false, p.modules());
    // dotted keys are TOML too
    assertEquals(List.of("x/**"), ConfigFile.read(toml("prune.include = [\"x/**\"]\n")).include());
  }

  @Test
  void aByteOrderMark_isAccepted() throws IOException {
    Path f = dir.resolve("layerslim.toml");
    Files.write(f, ("\uFEFF[prune]\r\nkeep = [\"six\"]\r\n").getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("six"), ConfigFile.read(f).keep());
  }

  /** Every spelling of a key defined twice is refused, naming the key and both lines; nothing wins silently. */
  @ParameterizedTest
  @CsvSource(delimiter = '§', value = {
      "[prune]\\nexclude = [\"a\"]\\nexclude = [\"b\"]\\n § 'exclude' is defined twice (first on line 2) § :3:",
      "[prune]\\nexclude = [\"a\"]\\n\"exclude\" = [\"b\"]\\n § 'exclude' is defined twice § :3:",
      "[prune]\\nprune-unused = true\\nkeep = []\\nprune-unused = false\\n § 'prune-unused' is defined twice § :4:",
      "[prune]\\nkeep = ['a']\\n[prune]\\nkeep = ['b']\\n § a table is defined twice § :3:",
      "prune.keep = ['a']\\n[prune]\\nexclude = ['b']\\n § a table is defined twice § :",
  })
  void aKeyDefinedTwice_isRefusedNamingIt(String text, String message, String line) throws IOException {
    LayerslimException e = refused(toml(text.replace("\\n", "\n")));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertTrue(e.getMessage().startsWith(dir.resolve("layerslim.toml") + line), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '§', value = {
      "[prune]\\nexlcude = []\\n § :2: unknown key 'exlcude' in [prune]",
      "keep = []\\n § :1: unknown key 'keep' outside [prune]",
      "[tool]\\nx = 1\\n § :1: unknown table [tool]",
      "[prune]\\nkeep = [1, \"a\"]\\n § :2: keep must be an array of strings",
      "[prune]\\nkeep = \"a\"\\n § :2: keep must be an array of strings",
      "[prune]\\nprune-unused = \"yes\"\\n § :2: prune-unused must be true or false",
      "[prune]\\nkeep = [\"a\"\\n § not valid TOML",
      "[prune\\n § :1: not valid TOML",
  })
  void mistakes_areUsageErrorsNamingTheFileAndLine(String text, String message) throws IOException {
    LayerslimException e = refused(toml(text.replace("\\n", "\n")));
    assertTrue(e.getMessage().contains(message.strip()), e.getMessage());
  }

  /** A bad glob in the file is blamed on the file and its key, not on the action input or flag of the same name. */
  @Test
  void aBadGlobInTheFile_namesTheFileAndKey() throws IOException {
    Path f = toml("[prune]\ninclude = [\"ok/**\"]\nexclude = [\"../etc\"]\n");
    LayerslimException e = assertThrows(LayerslimException.class, () -> ConfigFile.applyPrune(BuildOptions.builder(),
        f, List.of(), List.of(), List.of(), false, false, "input exclude:", "input include:"));
    assertTrue(e.getMessage().startsWith(f + ": [prune] exclude '../etc'"), e.getMessage());
    LayerslimException input = assertThrows(LayerslimException.class, () -> ConfigFile.applyPrune(
        BuildOptions.builder(), null, List.of(), List.of(""), List.of(), false, false, "input exclude:",
        "input include:"));
    assertTrue(input.getMessage().startsWith("input exclude: ''"), input.getMessage());
  }
}
