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

  // a newline or tab in a file name must not crash the bytecode helper: names are checked once, when
  // the tree is read, and the helper takes its names as JSON
  @Test
  void aControlCharacterInAFileName_isExit2UpFront_namingTheFile() throws Exception {
    Path wheels = tmp.resolve("wheels");
    Wheels.wheel("vals", "1.0").file("vals/__init__.py", "VALUE = 1\n").build(wheels);
    Path site = tmp.resolve("site");
    Wheels.pipInstall(site, wheels, "vals");
    Files.writeString(site.resolve("vals/a\nb.py"), "A = 1\n");
    Path out = tmp.resolve("out");

    CliRun run = CliRun.of("build", "--site-packages", site.toString(), "-o", out.toString(), "--no-strip",
        "--smoke-import", "vals", "--bytecode", "all");

    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("vals/a\\x0ab.py holds a control character"), run.all());
    assertTrue(Files.notExists(out.resolve("layer")), "refused before anything was staged");
  }

  @Test
  void compiler_takesNamesWithANewlineOrATab_asJson() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src/vals"));
    Files.writeString(src.resolve("a\nb.py"), "A = 1\n");
    Files.writeString(src.resolve("c\td.py"), "C = 1\n");
    Files.writeString(src.resolve("broken.py"), "def (:\n");
    Path script = dev.layerslim.python.DriverScript.write(dev.layerslim.python.DriverScript.COMPILER,
        tmp.resolve("work"));
    com.fasterxml.jackson.databind.node.ObjectNode json =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    var sources = json.putArray("sources");
    for (String name : List.of("a\nb.py", "c\td.py", "broken.py")) {
      sources.addObject().put("src", src.resolve(name).toString()).put("shown", "/opt/python/vals/" + name);
    }
    Path request = tmp.resolve("work/sources.json");
    Files.writeString(request, json.toString());

    String output = Wheels.run(List.of("python3", "-I", script.toString(), request.toString()));

    List<String> pycs;
    try (Stream<Path> s = Files.list(src.resolve("__pycache__"))) {
      pycs = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(2, pycs.size(), pycs + "\n" + output);
    assertTrue(pycs.stream().anyMatch(n -> n.startsWith("a\nb.")), pycs.toString());
    assertTrue(pycs.stream().anyMatch(n -> n.startsWith("c\td.")), pycs.toString());
    assertTrue(output.contains("NOT-COMPILED") && output.contains("broken.py"), "counted, not fatal: " + output);
    // each pyc names its source as Lambda sees it, newline and all
    String shown = Wheels.run(List.of("python3", "-I", "-c", "import marshal, sys; f = open(sys.argv[1], 'rb'); "
        + "f.read(16); print(repr(marshal.load(f).co_filename))",
        src.resolve("__pycache__").resolve(pycs.stream().filter(n -> n.startsWith("a\nb.")).findFirst().get())
            .toString()));
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

    ProcessBuilder pb = new ProcessBuilder(Wheels.python3(), "-I", script.toString(), request.toString())
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
