package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --handler-function} is checked against the handler files before install: a
 * module or function they do not give is exit 2 with the closest one, and nothing is installed.
 */
class HandlerFunctionCheckTest {
  @TempDir Path dir;

  CliRun build(String handlerFunction) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("app.py"), "import json\n\ndef lambda_handler(event, context):\n    return 1\n");
    // names nothing to install: the install step's own check (exit 2, its own words) shows the handler check passed
    Path req = Files.writeString(dir.resolve("requirements.txt"), "# nothing\n");
    return CliRun.of("build", "-r", req.toString(), "--no-index", "--handler", src.resolve("app.py").toString(),
        "--handler-function", handlerFunction, "-o", dir.resolve("out").toString());
  }

  @Test
  void aModuleTheHandlerFilesDoNotGive_exitsTwoBeforeInstall_withTheClosestModule() throws Exception {
    CliRun run = build("src.app.lambda_handler");
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("--handler-function src.app.lambda_handler: no handler file gives the module src.app"),
        run.all());
    assertTrue(run.err().contains("did you mean app.lambda_handler?"), run.all());
    assertFalse(run.err().contains("names no packages"), "stopped before the install step: " + run.all());
  }

  @Test
  void aFunctionItsFileNeverNames_exitsTwo_withTheClosestFunction() throws Exception {
    CliRun run = build("app.handler");
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("app.py (module app) never names handler; did you mean app.lambda_handler?"),
        run.all());
  }

  @Test
  void aHandlerStringThatResolves_goesOnToInstall() throws Exception {
    CliRun run = build("app.lambda_handler");
    assertTrue(run.err().contains("names no packages"), "the install step, not the check, stops it: " + run.all());
    assertFalse(run.err().contains("--handler-function"), run.all());
  }
}
