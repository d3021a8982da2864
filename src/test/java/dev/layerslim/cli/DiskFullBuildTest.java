package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.python.DriverNoSpace;
import dev.layerslim.python.DriverScript;
import dev.layerslim.testing.Wheels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A full disk in the output folder, wherever it is met (the smoke driver writing its results or pycs,
 * pip, the Java steps), is one line naming the folder, exit 3: no Python traceback, no pip traceback, no
 * Java exception's text.
 */
@Execution(ExecutionMode.CONCURRENT)
class DiskFullBuildTest {
  @TempDir Path tmp;

  private static int sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }

  @Test
  void theSmokeDriverMeetingAFullDisk_saysWhichFileInOneLine_noTraceback() throws Exception {
    // /dev/full fails every write with ENOSPC: no mount needed to stand for a full output folder
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path driver = DriverScript.write(DriverScript.SMOKE_DRIVER, work);
    Path config = Files.writeString(work.resolve("config.json"), "{\"marks\": {\"result\": \"R \", \"begin\": \"B\", "
        + "\"end\": \"E\", \"dlopen\": \"D \", \"dlopenFailed\": \"F \", \"phase\": \"P \"}, \"path\": [], \"root\": \""
        + Files.createDirectories(tmp.resolve("layer")) + "\", \"imports\": [\"json\"], \"elf\": [], "
        + "\"resultFile\": \"/dev/full\"}");
    Process p = new ProcessBuilder(Wheels.python3(), "-I", "-S", "-B", driver.toString(), config.toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();

    assertEquals(DriverNoSpace.NO_SPACE_EXIT, p.exitValue(), output);
    assertTrue(output.contains(DriverNoSpace.NO_SPACE_MARK + "\"/dev/full\""), output);
    assertFalse(output.contains("Traceback"), output);
  }

  @Test
  void aBuildIntoASmallTmpfs_failsInOneLineNamingTheOutputFolder_whereverItRunsOut() throws Exception {
    Path mnt = Files.createDirectories(tmp.resolve("full"));
    org.junit.jupiter.api.Assumptions.assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs",
        mnt.toString()) == 0, "cannot mount a tmpfs here (needs root); the /dev/full and unit tests cover it");
    try {
      Path wheels = tmp.resolve("wheels");
      StringBuilder big = new StringBuilder();
      for (int i = 0; i < 400; i++) {
        big.append("VALUE_").append(i).append(" = '").append("x".repeat(60)).append("'\n");
      }
      Wheels.wheel("bulky", "1.0").file("bulky/__init__.py", big.toString()).file("bulky/more.py", big.toString())
          .build(wheels);
      Path req = Files.writeString(tmp.resolve("requirements.txt"), "bulky\n");
      Path app = Files.writeString(Files.createDirectories(tmp.resolve("h")).resolve("app.py"), "import bulky\n");
      Path out = mnt.resolve("out");
      List<String> failedSteps = new ArrayList<>();
      for (int kib = 16; kib <= 400; kib += 24) {
        assertEquals(0, sh("mount", "-o", "remount,size=" + kib + "k", mnt.toString()));
        if (Files.exists(out)) {
          dev.layerslim.layer.Trees.deleteRecursively(out);
        }
        CliRun run = CliRun.of("build", "-r", req.toString(), "--no-index", "--find-links", wheels.toString(),
            "--python", SmokeIsolationTest.hostPython(), "--handler", app.toString(), "-o", out.toString(),
            "--no-strip");
        if (run.exitCode() == 0) {
          break;
        }
        assertEquals(3, run.exitCode(), kib + " KiB: " + run.all());
        List<String> errors = run.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), run.all());
        String e = errors.get(0);
        assertTrue(e.contains("no space left on device") && e.contains("the output folder " + out), kib + ": " + e);
        assertFalse(run.err().contains("Traceback") || run.err().contains("Exception") || run.err().contains("Errno"),
            run.all());
        failedSteps.add(e.substring("error: ".length(), e.indexOf(':', "error: ".length())));
      }
      assertTrue(failedSteps.size() >= 3, "too few sizes ran out of space to mean anything: " + failedSteps);
      assertTrue(failedSteps.contains("smoke") || failedSteps.contains("bytecode"),
          "no size ran out in a Python driver: " + failedSteps);
    } finally {
      sh("umount", mnt.toString());
    }
  }
}
