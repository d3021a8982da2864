package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.testing.Wheels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * What the user's code does during a smoke run (the handler's import, its call on the
 * sample event, --smoke-import, --smoke-script) cannot change the layer that ships, nor a layer
 * {@code layerslim smoke} checks: Lambda's /opt is read-only.
 */
@Execution(ExecutionMode.CONCURRENT)
class SmokeIsolationTest {
  @TempDir Path tmp;

  private static Wheels.Builder sixish() {
    return Wheels.wheel("sixish", "1.0").file("sixish.py", "X = 1\n");
  }

  private static Wheels.Builder pkgish() {
    return Wheels.wheel("pkgish", "1.0").file("pkgish/__init__.py", "Y = 2\n").file("pkgish/data.txt", "data\n");
  }

  private Path site() throws IOException {
    return Wheels.site(tmp.resolve("site"), sixish(), pkgish());
  }

  private Path handler(String source) throws IOException {
    Path h = tmp.resolve("handler/app.py");
    Files.createDirectories(h.getParent());
    Files.writeString(h, source);
    return h;
  }

  private Path event() throws IOException {
    return Files.writeString(tmp.resolve("event.json"), "{\"id\": 1}\n");
  }

  private CliRun build(Path site, String... extra) {
    List<String> args = new ArrayList<>(List.of("build", "--site-packages", site.toString(), "--python",
        hostPython(), "-o", tmp.resolve("out").toString(), "--no-strip"));
    args.addAll(Arrays.asList(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  static String hostPython() {
    return Wheels.hostPython();
  }

  /** Every entry below {@code root} with its bytes (folders as "dir") and permission bits. */
  static Map<String, String> state(Path root) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        String perms = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        m.put(root.relativize(p).toString(), (Files.isDirectory(p) ? "dir" : Files.readString(p)) + " " + perms);
      }
    }
    return m;
  }

  @Test
  void aHandlerThatAppendsToALayerModuleOnItsCall_failsTheBuild_namingTheFile_andNothingShips() throws Exception {
    Path site = site();
    Map<String, String> input = state(site);
    Path app = handler("import sixish\ndef handler(event, context):\n"
        + "    with open(sixish.__file__, 'a') as f:\n        f.write('raise ImportError(\"broken\")\\n')\n"
        + "    return 1\n");

    CliRun run = build(site, "--handler", app.toString(), "--handler-function", "app.handler",
        "--smoke-event", event().toString());

    assertEquals(3, run.exitCode(), run.all());
    // with a read-only view the write fails as on Lambda; without one, the comparison finds it
    assertTrue(run.err().contains("sixish.py: written") && run.err().contains("read-only at /opt")
        || run.err().contains("Read-only file system") && run.err().contains("sixish.py"), run.all());
    assertFalse(Files.exists(tmp.resolve("out/layer.zip")), "a changed layer never ships");
    assertTrue(Files.exists(tmp.resolve("out/INCOMPLETE")));
    assertEquals(input, state(site), "the input is untouched");
  }

  @Test
  void aSmokeScriptThatAddsAndRemovesFiles_failsTheBuild_namingEach() throws Exception {
    Path site = site();
    Path app = handler("import pkgish\n");
    Path script = Files.writeString(tmp.resolve("check.py"), "import os, pkgish\n"
        + "d = os.path.dirname(pkgish.__file__)\n"
        + "os.makedirs(os.path.join(d, 'cache'))\n"
        + "open(os.path.join(d, 'cache', 'x.bin'), 'w').write('x')\n"
        + "os.remove(os.path.join(d, 'data.txt'))\n"
        + "open(os.path.join(d, 'tmp.txt'), 'w').close(); os.remove(os.path.join(d, 'tmp.txt'))\n");

    CliRun run = build(site, "--handler", app.toString(), "--smoke-script", script.toString());

    assertEquals(3, run.exitCode(), run.all());
    if (!run.err().contains("Read-only file system")) { // no read-only view here: the comparison names each
      assertTrue(run.err().contains("pkgish/cache/: added"), run.all());
      assertTrue(run.err().contains("pkgish/cache/x.bin: added"), run.all());
      assertTrue(run.err().contains("pkgish/data.txt: removed"), run.all());
      assertFalse(run.err().contains("tmp.txt"), "a file created and removed again leaves the tree as it was");
    } else {
      assertTrue(run.err().contains("pkgish/cache") && run.err().contains("write to /tmp instead"), run.all());
    }
    assertFalse(Files.exists(tmp.resolve("out/layer.zip")));
  }

  @Test
  void aHandlerThatWritesNothing_buildsAndLeavesThePermissionsAsTheyWere() throws Exception {
    Path site = site();
    Path app = handler("import sixish, pkgish\ndef handler(event, context):\n    return sixish.X\n");

    CliRun run = build(site, "--handler", app.toString(), "--handler-function", "app.handler",
        "--smoke-event", event().toString());

    assertEquals(0, run.exitCode(), run.all());
    Path layer = tmp.resolve("out/layer/python");
    assertTrue(Files.isWritable(layer.resolve("sixish.py")) && Files.getPosixFilePermissions(layer.resolve("sixish.py"))
        .contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE), "write bits are back after the runs");
    assertTrue(Files.getPosixFilePermissions(layer.resolve("pkgish"))
        .contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE));
  }

  @Test
  void smokeCommand_aHandlerThatWritesIntoTheLayer_exits3NamingIt() throws Exception {
    Path layer = Wheels.site(tmp.resolve("layer/python"), sixish());
    Path app = handler("import sixish\nopen(sixish.__file__, 'a').write('# touched\\n')\n");
    Map<String, String> before = state(layer);

    CliRun run = CliRun.of("smoke", "--layer", layer.toString(), "--handler", app.toString());

    assertEquals(3, run.exitCode(), run.all());
    assertTrue(run.all().contains("sixish.py"), run.all());
    if (dev.layerslim.python.TreeGuard.readOnlyViewWorks(new dev.layerslim.python.SystemProcessRunner())) {
      assertEquals(before, state(layer), "with a read-only view the layer is not changed at all");
    }
  }
}
