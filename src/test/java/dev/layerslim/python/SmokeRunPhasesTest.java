package dev.layerslim.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * What the user's code does in a smoke run is told in the user's terms (which
 * phase hung, which phase exited), and nothing it started outlives the run.
 */
@Execution(ExecutionMode.CONCURRENT)
class SmokeRunPhasesTest {
  @TempDir Path tmp;

  private static final String APP = """
      import os, sys, time, signal
      if os.environ.get('NEVER'):
          pass
      def handler(event, context):
          mode = event['mode']
          if mode == 'exit':
              os._exit(0)
          if mode == 'hang':
              time.sleep(600)
          if mode == 'segv':
              os.kill(os.getpid(), signal.SIGSEGV)
          if mode == 'daemon':
              # the classic daemon: fork, setsid, fork again; the grandchild runs on alone
              if os.fork() == 0:
                  os.setsid()
                  if os.fork() == 0:
                      with open(event['pidfile'], 'w') as f:
                          f.write(str(os.getpid()))
                      time.sleep(600)
                  os._exit(0)
              # and a plain background child, in the run's own session
              if os.fork() == 0:
                  time.sleep(600)
                  os._exit(0)
              time.sleep(0.5)
          return 1
      """;

  private ImportProbe.Result run(String event, List<String> imports, Path script, int timeoutSeconds)
      throws Exception {
    Path task = Files.createDirectories(tmp.resolve("task"));
    Files.writeString(task.resolve("app.py"), APP);
    Files.writeString(task.resolve("slow.py"), "import time\ntime.sleep(600)\n");
    Path root = Files.createDirectories(tmp.resolve("layer/python"));
    Path ev = Files.writeString(tmp.resolve("ev.json"), event);
    ImportProbe.Spec spec = new ImportProbe.Spec(dev.layerslim.testing.Wheels.python3(), root,
        "lib/python3.11/site-packages", List.of(task), imports, "app.handler", script, List.of(),
        Duration.ofSeconds(timeoutSeconds), tmp.resolve("work"), ev);
    return ImportProbe.run(new SystemProcessRunner(), spec);
  }

  private static String only(ImportProbe.Result r) {
    assertEquals(1, r.failures().size(), r.failures().toString());
    return r.failures().get(0).error();
  }

  @Test
  void aDaemonTheHandlerForks_doesNotOutliveTheRun() throws Exception {
    Path pidFile = tmp.resolve("daemon.pid");

    ImportProbe.Result r = run("{\"mode\": \"daemon\", \"pidfile\": \"" + pidFile + "\"}", List.of("app"), null, 60);

    assertTrue(r.passed(), r.failures().toString());
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    try {
      assertTrue(SystemProcessRunnerTest.gone(pid, 5000), "the handler's daemon " + pid + " outlived the smoke run");
    } finally {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aHandlerCallThatHangs_isNamedAsTheCallThatHung_notTheSmokeScript() throws Exception {
    String error = only(run("{\"mode\": \"hang\"}", List.of("app"), null, 10));

    assertTrue(error.contains("the call of app.handler with ev.json did not end: killed after 10 s (--smoke-timeout)"),
        error);
    assertFalse(error.contains("script"), error);
  }

  @Test
  void anImportThatHangs_isNamedAsThatImport() throws Exception {
    ImportProbe.Result r = run("{\"mode\": \"ok\"}", List.of("app", "slow"), null, 10);

    assertTrue(only(r).contains("the import of slow did not end"), r.failures().toString());
  }

  @Test
  void osExitDuringTheCall_isToldAsAnExitDuringTheCall_withoutTheDriversMarks() throws Exception {
    String error = only(run("{\"mode\": \"exit\"}", List.of("app"), null, 60));

    assertTrue(error.contains("exited with 0 during the call of app.handler with ev.json, before it returned"), error);
    assertTrue(error.contains("os._exit(0)"), error);
    assertFalse(error.contains("LAYERSLIM-"), error);
  }

  @Test
  void aCrashDuringTheCall_namesTheSignalAndTheCall() throws Exception {
    String error = only(run("{\"mode\": \"segv\"}", List.of("app"), null, 60));

    assertTrue(error.contains("killed by SIGSEGV during the call of app.handler with ev.json"), error);
  }

  @Test
  void osExitInTheSmokeScript_isToldAsTheSmokeScript() throws Exception {
    Path script = Files.writeString(tmp.resolve("check.py"), "import os\nos._exit(3)\n");

    String error = only(run("{\"mode\": \"ok\"}", List.of("app"), script, 60));

    assertTrue(error.contains("exited with 3 during the smoke script check.py"), error);
  }
}
