package dev.layerslim.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.layer.Target;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.pipeline.EventSink;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.python.Interpreter;
import dev.layerslim.python.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pip command line per target, checked through the process seam (no aarch64 wheels exist here). */
class InstallStepTest {
  @TempDir Path tmp;

  /** Answers the interpreter probe like an x86_64 python3.11 on glibc 2.36, records pip's command. */
  static final class RecordingRunner implements ProcessRunner {
    final List<List<String>> commands = new ArrayList<>();
    final List<java.util.Map<String, String>> envs = new ArrayList<>();
    final String pipOutput;
    final int pipExit;

    RecordingRunner(String pipOutput, int pipExit) {
      this.pipOutput = pipOutput;
      this.pipExit = pipExit;
    }

    @Override
    public ProcessResult run(ProcessRequest request) {
      commands.add(request.command());
      envs.add(request.env());
      if (request.command().contains("-c")) {
        return new ProcessResult(0, "3.11\n2.36\nx86_64\n", false, 1);
      }
      int target = request.command().indexOf("--target");
      if (pipExit == 0 && target >= 0) {
        // as pip would: a successful install leaves something behind (an empty one is refused)
        try {
          java.nio.file.Path dir = java.nio.file.Path.of(request.command().get(target + 1));
          Files.createDirectories(dir);
          Files.writeString(dir.resolve("installed.py"), "X = 1\n");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return new ProcessResult(pipExit, pipOutput, false, 1);
    }

    List<String> pip() {
      return commands.stream().filter(c -> c.contains("pip")).findFirst().orElseThrow();
    }
  }

  private BuildContext context(Target target, RecordingRunner runner) throws Exception {
    return context(BuildOptions.builder().target(target), runner);
  }

  private BuildContext context(BuildOptions.Builder b, RecordingRunner runner) throws Exception {
    BuildOptions o = b.output(tmp.resolve("out")).requirements(Files.writeString(tmp.resolve("req.txt"), "numpy\n"))
        .pythonExe("python3").build();
    Files.createDirectories(o.output());
    return new BuildContext(o, EventSink.NONE, runner);
  }

  @Test
  void arm64Target_installsWithAarch64PlatformTagsAndBinaryWheelsOnly() throws Exception {
    RecordingRunner runner = new RecordingRunner("Successfully installed", 0);
    BuildContext ctx = context(Target.of("3.11", "arm64", null), runner);
    InstallResult installed = new InstallStep(ctx.options().install(), ctx.options().target(), ctx.options().pythonExe()).run(ctx);
    List<String> pip = runner.pip();
    assertEquals(InstallResult.Mode.TARGETED, installed.mode());
    assertTrue(pip.contains("--only-binary=:all:"), pip.toString());
    assertEquals("3.11", pip.get(pip.indexOf("--python-version") + 1));
    assertEquals("cp", pip.get(pip.indexOf("--implementation") + 1));
    assertEquals("cp311", pip.get(pip.indexOf("--abi") + 1));
    List<String> platforms = new ArrayList<>();
    for (int i = 0; i < pip.size(); i++) {
      if (pip.get(i).equals("--platform")) {
        platforms.add(pip.get(i + 1));
      }
    }
    assertEquals("manylinux_2_26_aarch64", platforms.get(0));
    assertTrue(platforms.contains("manylinux_2_17_aarch64"));
    assertTrue(platforms.contains("manylinux2014_aarch64"));
    assertFalse(platforms.stream().anyMatch(p -> p.contains("x86_64")), platforms.toString());
    assertFalse(platforms.contains("manylinux1_aarch64"), "manylinux1 never existed for aarch64");
    assertEquals(11, platforms.size(), "2_26 … 2_17 and manylinux2014");
  }

  @Test
  void x86Target_onANewerGlibcHost_listsEveryAcceptedTagDownToManylinux1() {
    List<String> tags = PipCommand.platformTags(Target.of("3.11", "x86_64", null));
    assertEquals(List.of("manylinux_2_26_x86_64", "manylinux_2_25_x86_64", "manylinux_2_24_x86_64",
        "manylinux_2_23_x86_64", "manylinux_2_22_x86_64", "manylinux_2_21_x86_64", "manylinux_2_20_x86_64",
        "manylinux_2_19_x86_64", "manylinux_2_18_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64",
        "manylinux2010_x86_64", "manylinux1_x86_64"), tags);
    assertEquals("manylinux_2_34_x86_64", PipCommand.platformTags(Target.of("3.12", "x86_64", null)).get(0));
  }

  @Test
  void plainInstall_whenHostMatchesTarget() {
    assertNull(PipCommand.targetedReason(Target.of("3.11", "x86_64", null), new Interpreter("p", "3.11", "2.26", "x86_64", "p")));
    assertTrue(PipCommand.targetedReason(Target.of("3.11", "x86_64", null), new Interpreter("p", "3.11", "2.36", "x86_64", "p"))
        .contains("glibc"));
    assertTrue(PipCommand.targetedReason(Target.of("3.12", "x86_64", null), new Interpreter("p", "3.11", "2.26", "x86_64", "p"))
        .contains("Python"));
    assertTrue(PipCommand.targetedReason(Target.of("3.11", "arm64", null), new Interpreter("p", "3.11", "2.26", "x86_64", "p"))
        .contains("aarch64"));
  }

  @Test
  void pipOptions_arePassedThrough() throws Exception {
    RecordingRunner runner = new RecordingRunner("ok", 0);
    BuildContext ctx = context(BuildOptions.builder().target(Target.of("3.11", "x86_64", "2.36"))
        .indexUrl("https://pypi.example/simple").extraIndexUrls(List.of("https://extra.example/simple"))
        .findLinks(List.of("/wheels")).noIndex(true).requireHashes(true), runner);
    InstallResult installed = new InstallStep(ctx.options().install(), ctx.options().target(), ctx.options().pythonExe()).run(ctx);
    List<String> pip = runner.pip();
    assertEquals(InstallResult.Mode.PLAIN, installed.mode(), "glibc 2.36 target on a 2.36 host: plain install");
    assertEquals("https://pypi.example/simple", pip.get(pip.indexOf("--index-url") + 1));
    assertEquals("https://extra.example/simple", pip.get(pip.indexOf("--extra-index-url") + 1));
    assertEquals("/wheels", pip.get(pip.indexOf("--find-links") + 1));
    assertTrue(pip.contains("--no-index") && pip.contains("--require-hashes"));
    assertTrue(pip.contains("--no-compile"), "pip's pycs never ship: the bytecode step compiles the cold path");
    assertFalse(pip.contains("--only-binary=:all:"));
  }

  @Test
  void sdistOnlyRequirement_inTargetedMode_failsNamingItAndSayingWhatToDo() throws Exception {
    RecordingRunner runner = new RecordingRunner("ERROR: Could not find a version that satisfies the requirement "
        + "legacy-thing (from versions: none)\nERROR: No matching distribution found for legacy-thing\n", 1);
    BuildContext ctx = context(Target.of("3.11", "arm64", null), runner);
    LayerslimException e = assertThrows(LayerslimException.class, () -> new InstallStep(ctx.options().install(), ctx.options().target(), ctx.options().pythonExe()).run(ctx));
    assertEquals(3, e.exitCode());
    assertTrue(e.getMessage().contains("legacy-thing has no wheel that loads on python3.11 arm64"), e.getMessage());
    assertTrue(e.getMessage().contains("--find-links"), e.getMessage());
  }

  @Test
  void target_tableGivesGlibcPerRuntimeAndRejectsUnknownOnes() {
    assertEquals("2.26", Target.of("3.9", "x86_64", null).glibc());
    assertEquals("2.26", Target.of("3.11", "arm64", null).glibc());
    assertEquals("2.34", Target.of("3.12", "x86_64", null).glibc());
    assertEquals("2.34", Target.of("3.14", "x86_64", null).glibc());
    assertEquals("2.36", Target.of("3.11", "x86_64", "2.36").glibc());
    assertEquals("Amazon Linux 2, glibc 2.26", Target.of("3.11", "x86_64", null).system());
    assertEquals("a custom image with glibc 2.36", Target.of("3.11", "x86_64", "2.36").system(),
        "an overridden glibc is not called Amazon Linux 2");
    assertEquals(2, assertThrows(LayerslimException.class, () -> Target.of("2.7", "x86_64", null)).exitCode());
    assertEquals(2, assertThrows(LayerslimException.class, () -> Target.of("3.11", "sparc", null)).exitCode());
    assertEquals(2, assertThrows(LayerslimException.class, () -> Target.of("3.11", "x86_64", "two")).exitCode());
  }

  @Test
  void pipCache_isPassedToPipAsPipCacheDir() throws Exception {
    RecordingRunner runner = new RecordingRunner("ok", 0);
    Path cache = tmp.resolve(".pip-cache");
    BuildContext ctx = context(BuildOptions.builder().target(Target.of("3.11", "x86_64", "2.36")).pipCacheDir(cache),
        runner);
    new InstallStep(ctx.options().install(), ctx.options().target(), ctx.options().pythonExe()).run(ctx);
    int pip = runner.commands.indexOf(runner.pip());
    assertEquals(cache.toString(), runner.envs.get(pip).get("PIP_CACHE_DIR"));
  }

  /**
   * Without pip-cache, pip keeps its own default cache (~/.cache/pip): nothing turns it off or moves
   * it, so audit -r and a later build -r share the downloads.
   */
  @Test
  void withoutPipCache_pipKeepsItsDefaultCache() throws Exception {
    RecordingRunner runner = new RecordingRunner("ok", 0);
    BuildContext ctx = context(BuildOptions.builder().target(Target.of("3.11", "x86_64", "2.36")), runner);
    new InstallStep(ctx.options().install(), ctx.options().target(), ctx.options().pythonExe()).run(ctx);
    int pip = runner.commands.indexOf(runner.pip());
    for (String var : List.of("PIP_CACHE_DIR", "PIP_NO_CACHE_DIR", "HOME", "XDG_CACHE_HOME")) {
      assertFalse(runner.envs.get(pip).containsKey(var), var + " is pip's own: " + runner.envs.get(pip));
    }
    assertFalse(runner.pip().contains("--no-cache-dir"), runner.pip().toString());
  }
}
