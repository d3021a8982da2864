package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad options stop {@code layerslim build} with exit 2 before any work, naming the option and value. */
class BuildOptionValidationTest {
  @TempDir Path tmp;

  private CliRun build(String... extra) {
    String[] args = new String[extra.length + 5];
    args[0] = "build";
    args[1] = "--site-packages";
    args[2] = tmp.toString();
    args[3] = "-o";
    args[4] = tmp.resolve("out").toString();
    System.arraycopy(extra, 0, args, 5, extra.length);
    return CliRun.of(args);
  }

  @Test
  void build_threadsBelowOne_isUsageErrorNamingOptionAndValue() {
    CliRun run = build("--threads", "0");
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("--threads must be at least 1, not 0"), run.all());
  }

  @Test
  void build_smokeTimeoutBelowOne_isUsageErrorNamingOptionAndValue() {
    CliRun run = build("--smoke-timeout", "-5");
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("--smoke-timeout must be at least 1 second, not -5"), run.all());
  }

  @Test
  void build_unknownCompatOrBytecode_isUsageErrorListingTheChoices() {
    CliRun compat = build("--compat", "maybe");
    assertEquals(2, compat.exitCode(), compat.all());
    assertTrue(compat.err().contains("--compat maybe: use one of fail, warn"), compat.all());
    CliRun bytecode = build("--bytecode", "some");
    assertEquals(2, bytecode.exitCode(), bytecode.all());
    assertTrue(bytecode.err().contains("--bytecode some: use one of cold-path, all, none, sourceless"), bytecode.all());
  }

  @Test
  void build_missingSitePackagesOrHandler_isUsageErrorNamingThePath() {
    Path missing = tmp.resolve("nope");
    CliRun site = CliRun.of("build", "--site-packages", missing.toString());
    assertEquals(2, site.exitCode(), site.all());
    assertTrue(site.err().contains("--site-packages " + missing + ": no such folder"), site.all());
    CliRun handler = build("--handler", missing.toString());
    assertEquals(2, handler.exitCode(), handler.all());
    assertTrue(handler.err().contains("--handler " + missing + ": no such file or folder"), handler.all());
  }

  @Test
  void build_typoOrBadSize_isOneErrorLineWithSuggestionNotTheWholeUsage() {
    CliRun typo = build("--handlr", "app.py");
    assertEquals(2, typo.exitCode(), typo.all());
    assertTrue(typo.err().startsWith("error: Unknown options: '--handlr'"), typo.all());
    assertTrue(typo.err().contains("--handler"), typo.all());
    assertTrue(typo.err().contains("Run 'layerslim build --help' for the options."), typo.all());
    assertFalse(typo.err().contains("Usage:"), typo.all());
    CliRun size = build("--max-unzipped", "200XB");
    assertEquals(2, size.exitCode(), size.all());
    assertTrue(size.err().startsWith("error: Invalid value for option '--max-unzipped': '200XB' is not a size"),
        size.all());
    assertFalse(size.err().contains("Usage:"), size.all());
  }
}
