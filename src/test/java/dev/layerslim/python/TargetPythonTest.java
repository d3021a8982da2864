package dev.layerslim.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.layer.Arch;
import dev.layerslim.layer.Target;
import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Which interpreter the smoke test and bytecode steps pick, with a fake process seam. */
class TargetPythonTest {
  private static Target hostTarget(String python) {
    Arch host = Arch.host();
    Assumptions.assumeTrue(host != null, "host arch is not a Lambda arch");
    return Target.of(python, host.lambdaName(), null);
  }

  @Test
  void candidates_userExeIsTheOnlyCandidate() {
    assertEquals(List.of("/opt/py/bin/python"), Interpreter.candidates(Target.defaults(), "/opt/py/bin/python"));
  }

  @Test
  void candidates_withoutUserExe_endWithPython3() {
    List<String> c = Interpreter.candidates(Target.defaults(), " ");
    assertEquals("python3", c.get(c.size() - 1));
    assertEquals(c, Interpreter.candidates(Target.defaults(), null), "no --python-exe is the same as a blank one");
  }

  @Test
  void find_userExeThatCannotStart_isAProblemWithoutTryingOthers() {
    Target target = hostTarget("3.11");
    List<String> tried = new ArrayList<>();
    TargetPython tp = TargetPython.find(req -> {
      tried.add(req.command().get(0));
      throw new IOException("no such file");
    }, target, "/nowhere/python");
    assertNull(tp.interpreter());
    assertEquals(List.of("/nowhere/python"), tried);
    assertTrue(tp.problem().contains("'/nowhere/python'"), tp.problem());
    assertFalse(tp.problem().contains("--python-exe"), tp.problem());
  }

  @Test
  void find_acceptsAnInterpreterOfTheTargetVersionAndMachine() {
    Target target = hostTarget("3.11");
    TargetPython tp = TargetPython.find(req -> new ProcessRunner.ProcessResult(0,
        "3.11\n2.36\n" + target.arch().machine() + "\n", false, 1), target, "mypython");
    assertEquals("mypython", tp.interpreter().exe());
    assertNull(tp.problem());
  }

  @Test
  void probeFirst_skipsACandidateThatCannotStart_likeAPyenvShimForAMissingVersion() {
    List<String> tried = new ArrayList<>();
    Interpreter it = Interpreter.probeFirst(req -> {
      String exe = req.command().get(0);
      tried.add(exe);
      return exe.equals("python3.12")
          ? new ProcessRunner.ProcessResult(127, "pyenv: python3.12: command not found\n", false, 1)
          : new ProcessRunner.ProcessResult(0, "3.11\n2.36\nx86_64\n", false, 1);
    }, List.of("python3.12", "python3"));
    assertEquals(List.of("python3.12", "python3"), tried);
    assertEquals("python3", it.exe());
    assertEquals("3.11", it.version());
  }

  @Test
  void probeFirst_whenNoneStarts_reportsTheFirstCandidatesError() {
    LayerslimException e = assertThrows(LayerslimException.class, () -> Interpreter.probeFirst(
        req -> new ProcessRunner.ProcessResult(127, "not found: " + req.command().get(0) + "\n", false, 1),
        List.of("python3.12", "python3")));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().contains("'python3.12' failed to start"), e.getMessage());
  }

  @Test
  void probe_resolvesAShimToTheInterpreterItStarts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws IOException {
    // a pyenv shim is a shell script that execs the real interpreter: layerslim starts Python four or
    // five times a build, and each start through the shim costs a shell and pyenv's own lookups
    java.nio.file.Path shim = dir.resolve("python3-shim");
    java.nio.file.Files.writeString(shim, "#!/bin/sh\nexec python3 \"$@\"\n");
    assertTrue(shim.toFile().setExecutable(true));
    Interpreter it = Interpreter.probe(new SystemProcessRunner(), shim.toString());
    assertEquals(shim.toString(), it.exe());
    assertFalse(it.command().equals(shim.toString()), it.command());
    assertTrue(java.nio.file.Path.of(it.command()).isAbsolute(), it.command());
    ProcessRunner.ProcessResult r = new SystemProcessRunner().run(ProcessRunner.ProcessRequest.of(
        List.of(it.command(), "-c", "import sys; print('%d.%d' % sys.version_info[:2])")));
    assertEquals(it.version(), r.output().strip());
  }

  @Test
  void resolved_keepsTheNameWhenSysExecutableIsEmptyOrNotAFile() {
    assertEquals("python3", Interpreter.resolved("python3", ""));
    assertEquals("python3", Interpreter.resolved("python3", "/nowhere/python3"));
    assertEquals("python3", Interpreter.resolved("python3", "relative/python3"));
  }
}
