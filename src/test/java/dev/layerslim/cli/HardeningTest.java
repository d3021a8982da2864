package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerslim.archive.ZipPrefetch;
import dev.layerslim.archive.ZipStep;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.install.InstallStep;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.BytecodeMode;
import dev.layerslim.pipeline.EventSink;
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.pipeline.Removals;
import dev.layerslim.pipeline.StagedLayer;
import dev.layerslim.pipeline.Step;
import dev.layerslim.pipeline.Usage;
import dev.layerslim.pipeline.ZipResult;
import dev.layerslim.prune.PruneStep;
import dev.layerslim.python.SystemProcessRunner;
import dev.layerslim.report.ReportStep;
import dev.layerslim.stage.StageStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong answers, bad names and bad folders, end to end through the CLI. */
class HardeningTest {
  @TempDir Path tmp;

  /** A small installed tree: one distribution with a dist-info, written by hand (no pip needed). */
  static Path site(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("demo"));
    Files.createDirectories(dir.resolve("demo-1.0.dist-info"));
    Files.writeString(dir.resolve("demo/__init__.py"), "X = 1\n");
    Files.writeString(dir.resolve("demo-1.0.dist-info/METADATA"), "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n");
    Files.writeString(dir.resolve("demo-1.0.dist-info/top_level.txt"), "demo\n");
    Files.writeString(dir.resolve("demo-1.0.dist-info/RECORD"),
        "demo/__init__.py,,\ndemo-1.0.dist-info/METADATA,,\ndemo-1.0.dist-info/top_level.txt,,\n"
            + "demo-1.0.dist-info/RECORD,,\n");
    return dir;
  }

  @Test
  void budgetAboveAwsLimit_awsLimitStillFails() throws Exception {
    Path out = tmp.resolve("out");
    CliRun run = CliRun.of("build", "--site-packages", site(tmp.resolve("site")).toString(), "-o", out.toString(),
        "--no-smoke", "--bytecode", "none", "--extra-bytes", "262144000", "--max-unzipped", "1GiB");
    assertEquals(1, run.exitCode(), run.all());
    assertTrue(run.err().contains("AWS limit"), run.all());
    JsonNode limits = new ObjectMapper().readTree(out.resolve("report.json").toFile()).path("limits");
    assertEquals("unzipped", limits.get(0).path("name").asText());
    assertEquals(262_144_000L, limits.get(0).path("limitBytes").asLong());
    assertTrue(limits.get(0).path("exceeded").asBoolean());
    assertEquals("unzipped-budget", limits.get(1).path("name").asText());
    assertEquals(1024L * 1024 * 1024, limits.get(1).path("limitBytes").asLong());
  }

  @Test
  void outputFolderInUse_secondBuildExitsTwoNamingFolderAndPid() throws Exception {
    Path site = site(tmp.resolve("site"));
    Path out = tmp.resolve("out");
    CliRun first = CliRun.of("build", "--site-packages", site.toString(), "-o", out.toString(), "--no-smoke",
        "--bytecode", "none");
    assertEquals(0, first.exitCode(), first.all());
    // another process (not this JVM) holds the folder's lock, as a second layerslim build would
    Process holder = new ProcessBuilder(dev.layerslim.testing.Wheels.python3(), "-c", String.join("\n",
        "import fcntl, os, sys, time",
        "f = open(sys.argv[1], 'a+')",
        "fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)",
        "f.truncate(0); f.write(str(os.getpid()) + '\\n'); f.flush()",
        "print('locked', flush=True)",
        "time.sleep(120)"), out.resolve(".layerslim-lock").toString()).redirectErrorStream(true).start();
    try {
      String line = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine();
      assertEquals("locked", line);
      CliRun second = CliRun.of("build", "--site-packages", site.toString(), "-o", out.toString(), "--no-smoke",
          "--bytecode", "none");
      assertEquals(2, second.exitCode(), second.all());
      assertTrue(second.err().contains(out.toString()) && second.err().contains("pid " + holder.pid()), second.all());
      assertTrue(Files.exists(out.resolve("layer.zip")), "the holder's results are left alone");
    } finally {
      holder.destroyForcibly().waitFor();
    }
    CliRun third = CliRun.of("build", "--site-packages", site.toString(), "-o", out.toString(), "--no-smoke",
        "--bytecode", "none");
    assertEquals(0, third.exitCode(), "the lock goes with the process that held it\n" + third.all());
  }

  /** A step that runs {@code action} on the output folder. */
  private static Step<Void> step(String name, java.util.function.Consumer<Path> action) {
    return new Step<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Void run(BuildContext ctx) {
        action.accept(ctx.outputDir());
        return null;
      }
    };
  }

  /** How a build through the steps' own constructors ended: its exit code and message. */
  record StepRun(int exitCode, String all) {}

  /**
   * A build (no smoke, no pycs) through the steps' public constructors, with {@code extra} run right
   * before the report step ({@code beforeReport}) or after it.
   */
  private StepRun buildWithStep(Path out, boolean beforeReport, Step<Void> extra) throws IOException {
    Path site = site(tmp.resolve("site"));
    BuildOptions options = BuildOptions.builder().sitePackages(site).output(out).smoke(false)
        .bytecode(BytecodeMode.NONE).build();
    try {
      BuildRunner.run(options, p -> {
        InstallResult install = p.run(new InstallStep(options.install(), options.target(), options.pythonExe()));
        Removals removals = p.run(new PruneStep(install, Usage.unaudited(), dev.layerslim.pipeline.SmokeLoaded.none(),
            options.prune(), options.handlers(), options.coldStorage(), options.dryRun()));
        StagedLayer staged = p.run(new StageStep(install, removals, p.context().options().threads()));
        ZipResult zip;
        try (ZipPrefetch.Queue none = ZipPrefetch.Queue.empty()) {
          zip = p.run(new ZipStep(staged, none, p.context().options().threads()));
        }
        if (beforeReport) {
          p.run(extra);
        }
        ReportStep.Written written = p.run(ReportStep.ofBuild(install, Usage.unaudited(), zip, "--no-smoke", options));
        if (!beforeReport) {
          p.run(extra);
        }
        return written;
      }, EventSink.NONE, new SystemProcessRunner());
      return new StepRun(0, "");
    } catch (LayerslimException e) {
      return new StepRun(e.exitCode(), e.getMessage());
    }
  }

  @Test
  void reportStepFailsHalfway_noReportJsonThatLooksFinished() throws Exception {
    Path out = tmp.resolve("out");
    // report.md cannot be written (as on a full disk): the report step fails after its first file
    StepRun run = buildWithStep(out, true, step("block-report-md", dir -> {
      try {
        Files.createDirectories(dir.resolve("report.md.tmp").resolve("x"));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }));
    assertEquals(3, run.exitCode(), run.all());
    assertTrue(Files.exists(out.resolve(OutputDir.INCOMPLETE)));
    Path json = out.resolve("report.json");
    assertTrue(!Files.exists(json) || new ObjectMapper().readTree(json.toFile()).path("status").asText()
        .equals("failed"), "a report.json beside INCOMPLETE must say the build failed");
  }

  @Test
  void stepAfterReportFails_reportSaysFailedAndTheStep() throws Exception {
    Path out = tmp.resolve("out");
    StepRun run = buildWithStep(out, false, step("after-report", dir -> {
      throw new java.io.UncheckedIOException(new IOException("No space left on device"));
    }));
    assertEquals(3, run.exitCode(), run.all());
    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals("failed", report.path("status").asText(), report.toString());
    assertEquals("after-report", report.path("failedStep").asText());
    assertTrue(Files.readString(out.resolve("report.md")).startsWith("> **This build failed** in the after-report"));
    assertTrue(!Files.exists(out.resolve("layer.zip")));
  }

  @Test
  void finishedBuild_reportSaysComplete() throws Exception {
    Path out = tmp.resolve("out");
    CliRun run = CliRun.of("build", "--site-packages", site(tmp.resolve("site")).toString(), "-o", out.toString(),
        "--no-smoke", "--bytecode", "none");
    assertEquals(0, run.exitCode(), run.all());
    assertEquals("complete", new ObjectMapper().readTree(out.resolve("report.json").toFile()).path("status").asText());
  }

  /**
   * Runs the CLI in a child JVM that file permissions apply to: as root (CI), without the
   * capabilities that override them (setpriv drops them from the bounding set), so a mode-000 file
   * is unreadable there as it is to any other user.
   */
  static CliRun subprocess(Path dir, String... args) throws Exception {
    java.util.List<String> cmd = new java.util.ArrayList<>();
    if (Files.readString(Path.of("/proc/self/status")).lines().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"))) {
      cmd.addAll(java.util.List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search"));
    }
    cmd.addAll(java.util.List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(java.util.List.of(args));
    Path outFile = dir.resolve("stdout.txt");
    Path errFile = dir.resolve("stderr.txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
    if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the CLI did not end within 120 s: " + cmd);
    }
    return new CliRun(p.exitValue(), Files.readString(outFile), Files.readString(errFile));
  }

  @Test
  void outputUnderAFile_exitsTwoNamingTheFolder() throws Exception {
    Path file = Files.writeString(tmp.resolve("afile"), "x");
    Path out = file.resolve("out");
    CliRun run = CliRun.of("build", "--site-packages", site(tmp.resolve("site")).toString(), "-o", out.toString(),
        "--no-smoke", "--bytecode", "none");
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("--output " + out) && run.err().contains("cannot create or write"), run.all());
    assertTrue(!run.err().contains("Exception"), run.all());
  }

  @Test
  void outputOnAFileSystemThatRefuses_exitsTwo() throws Exception {
    Path out = Path.of("/sys/kernel/layerslim-out");
    CliRun run = CliRun.of("build", "--site-packages", site(tmp.resolve("site")).toString(), "-o", out.toString(),
        "--no-smoke", "--bytecode", "none");
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("--output " + out) && !run.err().contains("Exception"), run.all());
  }

  @Test
  void unwritableOutputFolder_exitsTwoNamingIt() throws Exception {
    Path parent = Files.createDirectories(tmp.resolve("readonly"));
    Path site = site(tmp.resolve("site"));
    Files.setPosixFilePermissions(parent, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
    Path out = parent.resolve("out");
    CliRun run = subprocess(tmp, "build", "--site-packages", site.toString(), "-o", out.toString(), "--no-smoke",
        "--bytecode", "none");
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("--output " + out) && run.err().contains("permission denied"), run.all());
  }

  @Test
  void unreadableInputFile_exitsTwoNamingIt() throws Exception {
    Path site = site(tmp.resolve("site"));
    Path secret = Files.writeString(site.resolve("demo/secret.py"), "KEY = 1\n");
    Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
    CliRun run = subprocess(tmp, "build", "--site-packages", site.toString(), "-o", tmp.resolve("out").toString(),
        "--no-smoke", "--bytecode", "none");
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("cannot read " + secret), run.all());
    assertTrue(!run.err().contains("Exception"), run.all());
  }

  /** A jar that starts {@link Main} with this test run's class path, for bin/layerslim to run. */
  static Path launcherJar(Path dir) throws IOException {
    java.util.jar.Manifest m = new java.util.jar.Manifest();
    m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, Main.class.getName());
    StringBuilder cp = new StringBuilder();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      cp.append(Path.of(e).toAbsolutePath().toUri()).append(' ');
    }
    m.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, cp.toString().strip());
    Path jar = dir.resolve("launcher.jar");
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), m)) {
      out.flush();
    }
    return jar;
  }

  @Test
  void binLayerslim_utf8NameWithoutLocale_isPacked() throws Exception {
    Path site = site(tmp.resolve("site"));
    Files.writeString(site.resolve("demo/café.txt"), "x");
    Path out = tmp.resolve("out");
    ProcessBuilder pb = new ProcessBuilder("bin/layerslim", "build", "--site-packages", site.toString(), "-o",
        out.toString(), "--no-smoke", "--bytecode", "none").redirectErrorStream(true)
        .redirectOutput(tmp.resolve("log.txt").toFile());
    pb.environment().keySet().removeIf(k -> k.equals("LANG") || k.startsWith("LC_"));
    pb.environment().put("LAYERSLIM_JAR", launcherJar(tmp).toString());
    Process p = pb.start();
    assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
    String log = Files.readString(tmp.resolve("log.txt"));
    assertEquals(0, p.exitValue(), log);
    try (var zip = new java.util.zip.ZipFile(out.resolve("layer.zip").toFile())) {
      assertNotNull(zip.getEntry("python/demo/café.txt"), log);
    }
  }

  @Test
  void buildKilledWithSigkill_leavesNoChildRunning() throws Exception {
    Path site = site(tmp.resolve("site"));
    Path handler = Files.writeString(tmp.resolve("slowhandler.py"),
        "import time\nimport demo\ntime.sleep(300)\ndef handler(event, context):\n    return 1\n");
    java.util.List<String> cmd = java.util.List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "build", "--site-packages", site.toString(),
        "--handler", handler.toString(), "--handler-function", "slowhandler.handler", "-o", tmp.resolve("out").toString(),
        "--bytecode", "none");
    Process build = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile())
        .start();
    java.util.List<ProcessHandle> children = java.util.List.of();
    try {
      try {
        // the smoke test's python, importing the handler that sleeps
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2))
            .pollInterval(java.time.Duration.ofMillis(200)).until(() -> build.descendants()
                .anyMatch(h -> h.info().commandLine().orElse("").contains("python")));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("no smoke test python started:\n" + Files.readString(tmp.resolve("log.txt")), e);
      }
      // a moment for the rest of the tree to start (a capture run restarts its interpreter): then every
      // process below the build while the handler's import sleeps
      Thread.sleep(1000);
      children = build.descendants().toList();
    } finally {
      build.destroyForcibly(); // SIGKILL: no shutdown hook runs
      build.waitFor();
    }
    for (ProcessHandle h : children) {
      assertTrue(dev.layerslim.python.SystemProcessRunnerTest.gone(h.pid(), 5000),
          "still running after the build was killed: " + h.pid() + " " + h.info().commandLine().orElse("?"));
    }
  }

  @Test
  void emptyRequirements_exitTwoNamingTheFile() throws Exception {
    for (String text : new String[] {"", "# nothing yet\n\n   \n--index-url https://example.invalid/simple\n"}) {
      Path req = Files.writeString(tmp.resolve("requirements.txt"), text);
      CliRun run = CliRun.of("build", "-r", req.toString(), "--no-index", "-o", tmp.resolve("out").toString(),
          "--no-smoke");
      assertEquals(2, run.exitCode(), run.all());
      assertTrue(run.err().contains(req + " names no packages"), run.all());
    }
  }

  @Test
  void pipInstallingNothing_isNotOk() throws Exception {
    // pip exits 0: the only requirement's marker excludes every Python 3 target
    Path req = Files.writeString(tmp.resolve("requirements.txt"), "demo; python_version < \"3\"\n");
    Path links = Files.createDirectories(tmp.resolve("wheels"));
    CliRun run = CliRun.of("build", "-r", req.toString(), "--no-index", "--find-links", links.toString(), "-o",
        tmp.resolve("out").toString(), "--no-smoke");
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("pip installed nothing from " + req), run.all());
    assertTrue(!Files.exists(tmp.resolve("out/layer.zip")));
  }
}
