package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.testing.Wheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every path a command prints exists when it ends: audit -r's pip.log outlives its scratch install. */
class AuditPipLogTest {
  @TempDir Path dir;

  @Test
  void auditFromRequirements_thePipLogItNamesExistsAfterwards() throws Exception {
    Wheels.wheel("alpha", "1.0").file("alpha/__init__.py", "X = 1\n").build(dir.resolve("w"));
    Path req = Files.writeString(dir.resolve("requirements.txt"), "alpha\n");
    Path app = Files.writeString(dir.resolve("app.py"), "import alpha\n");
    CliRun run = CliRun.of("audit", "-r", req.toString(), "--no-index", "--find-links", dir.resolve("w").toString(),
        "--handler", app.toString());
    assertEquals(0, run.exitCode(), run.all());
    Matcher m = Pattern.compile("pip's output goes to (\\S+)").matcher(run.err());
    assertTrue(m.find(), run.all());
    Path log = Path.of(m.group(1));
    try {
      assertTrue(Files.isRegularFile(log), log + " is printed, so it must exist");
      assertEquals(1, Files.list(log.getParent()).count(), "only pip.log is left of the scratch install");
    } finally {
      dev.layerslim.layer.Trees.deleteRecursively(log.getParent());
    }
  }
}
