package dev.layerslim.bytecode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.cli.CliRun;
import dev.layerslim.testing.Wheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BytecodeNamesTest {
  @TempDir Path tmp;

  // issue #13 item 10: the compiler read its sources as tab-separated lines
  @Test
  void bytecodeAll_compilesModulesWhoseNamesHoldANewlineOrATab() throws Exception {
    Path wheels = tmp.resolve("wheels");
    Wheels.wheel("vals", "1.0").file("vals/__init__.py", "VALUE = 1\n").build(wheels);
    Path site = tmp.resolve("site");
    Wheels.pipInstall(site, wheels, "vals");
    Files.writeString(site.resolve("vals/a\nb.py"), "A = 1\n");
    Files.writeString(site.resolve("vals/c\td.py"), "C = 1\n");
    Files.writeString(site.resolve("vals/broken.py"), "def (:\n");
    Path out = tmp.resolve("out");
    String python = Wheels.python("import sys; print('%d.%d' % sys.version_info[:2])").trim();

    CliRun run = CliRun.of("build", "--site-packages", site.toString(), "--python", python, "-o", out.toString(),
        "--no-strip", "--smoke-import", "vals", "--bytecode", "all");

    // the bytecode step did its work; the zip step after it refuses a control character in an
    // entry name by design (exit 2, naming the file), which is no crash
    assertTrue(run.out().contains("3 unchecked-hash pycs"), run.all());
    assertTrue(run.exitCode() == 0 || run.exitCode() == 2 && run.err().contains("a?b"), run.all());
    Path cache = out.resolve("layer/python/vals/__pycache__");
    List<String> pycs;
    try (Stream<Path> s = Files.list(cache)) {
      pycs = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(3, pycs.size(), pycs.toString());
    assertTrue(pycs.stream().anyMatch(n -> n.startsWith("a\nb.")), pycs.toString());
    assertTrue(pycs.stream().anyMatch(n -> n.startsWith("c\td.")), pycs.toString());
    // the one module that does not compile is counted, not fatal
    assertTrue(run.all().contains("1 modules do not compile"), run.all());
    // each pyc names its source as Lambda sees it, newline and all
    String shown = Wheels.run(List.of("python3", "-I", "-c", "import marshal, sys; f = open(sys.argv[1], 'rb'); "
        + "f.read(16); print(repr(marshal.load(f).co_filename))",
        cache.resolve(pycs.stream().filter(n -> n.startsWith("a\nb.")).findFirst().get()).toString()));
    assertEquals("'/opt/python/vals/a\\nb.py'", shown.strip());
  }

  /**
   * The compiler runs isolated: a PYTHONPYCACHEPREFIX in the user's environment sent the old
   * compiler's pycs into that folder (the layer shipped none), PYTHONOPTIMIZE would change them.
   */
  @Test
  void compiler_ignoresTheUsersPythonVariables() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("m.py"), "def f(x):\n    return x in {'alpha', 'beta', 'gamma', 'delta'}\n");
    Path script = dev.layerslim.python.DriverScript.write(dev.layerslim.python.DriverScript.COMPILER,
        tmp.resolve("work"));
    Path request = tmp.resolve("work/sources.json");
    com.fasterxml.jackson.databind.node.ObjectNode json =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    json.putArray("sources").addObject().put("src", src.resolve("m.py").toString()).put("shown", "/opt/python/m.py");
    Files.writeString(request, json.toString());
    Path prefix = tmp.resolve("prefix");

    ProcessBuilder pb = new ProcessBuilder("python3", "-I", script.toString(), request.toString())
        .redirectErrorStream(true);
    pb.environment().put("PYTHONPYCACHEPREFIX", prefix.toString());
    pb.environment().put("PYTHONOPTIMIZE", "2");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

    assertEquals(0, p.waitFor(), output);
    assertTrue(Files.notExists(prefix), "pycs went to the user's PYTHONPYCACHEPREFIX");
    List<String> pycs;
    try (Stream<Path> s = Files.list(src.resolve("__pycache__"))) {
      pycs = s.map(f -> f.getFileName().toString()).toList();
    }
    assertEquals(1, pycs.size(), pycs.toString());
    assertTrue(pycs.get(0).matches("m\\.cpython-3\\d+\\.pyc"), "not an opt-N pyc: " + pycs);
  }
}
