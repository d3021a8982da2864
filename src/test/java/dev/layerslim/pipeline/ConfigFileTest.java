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
import java.util.Map;
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

  /** Keys as the command line derives them from build's options (OptionSourcesTest checks the real set). */
  static final Map<String, ConfigFile.Kind> KEYS = Map.of("prune.exclude", ConfigFile.Kind.LIST,
      "prune.include", ConfigFile.Kind.LIST, "prune.keep", ConfigFile.Kind.LIST,
      "prune.prune-unused", ConfigFile.Kind.FLAG, "prune.prune-modules", ConfigFile.Kind.FLAG,
      "max-growth", ConfigFile.Kind.VALUE, "python-version", ConfigFile.Kind.VALUE);

  static ConfigFile read(Path file) {
    return ConfigFile.read(file, KEYS);
  }

  LayerslimException refused(Path file) {
    LayerslimException e = assertThrows(LayerslimException.class, () -> read(file));
    assertEquals(LayerslimException.EXIT_USAGE, e.exitCode());
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    return e;
  }

  @Test
  void theTomlUsersWrite_isRead() throws IOException {
    ConfigFile p = read(toml("""
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
    assertEquals(List.of("botocore/data/**", "pandas/tests", "abc"), p.strings("prune.exclude"));
    assertEquals(List.of("six"), p.strings("prune.keep"));
    assertEquals(List.of(), p.strings("prune.include"));
    assertEquals("true", p.text("prune.prune-unused"));
    assertEquals("false", p.text("prune.prune-modules"), "modules, the older spelling of prune-modules");
    // dotted keys are TOML too
    assertEquals(List.of("x/**"), read(toml("prune.include = [\"x/**\"]\n")).strings("prune.include"));
  }

  @Test
  void topLevelKeys_areTheOtherOptions_stringsOrWholeNumbers() throws IOException {
    ConfigFile c = read(toml("max-growth = 5242880\npython-version = \"3.12\"\n"));
    assertEquals("5242880", c.text("max-growth"));
    assertEquals("3.12", c.text("python-version"));
    assertEquals(null, c.text("prune.exclude"));
    assertTrue(refused(toml("python-version = 3.10\n")).getMessage().contains(":1: python-version must be a string "
        + "(write \"3.1\" in quotes"));
  }

  @Test
  void bothSpellingsOfPruneModules_areAKeyDefinedTwice() throws IOException {
    LayerslimException e = refused(toml("[prune]\nprune-modules = true\nmodules = false\n"));
    assertTrue(e.getMessage().startsWith(dir.resolve("layerslim.toml") + ":3: 'modules' sets [prune] prune-modules a "
        + "second time"), e.getMessage());
  }

  @Test
  void aByteOrderMark_isAccepted() throws IOException {
    Path f = dir.resolve("layerslim.toml");
    Files.write(f, ("\uFEFF[prune]\r\nkeep = [\"six\"]\r\n").getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("six"), read(f).strings("prune.keep"));
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
}
