package dev.layerslim.cold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerslim.cli.Main;
import dev.layerslim.testing.Wheels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * {@code build --cold-storage} through the real CLI, pip, gcc and python3, on a test-built wheel: a
 * sub-package the handler never loads, with a C extension whose RPATH ({@code $ORIGIN/../../demo.libs})
 * finds a library beside the package, data read through {@code __file__} and {@code importlib.resources},
 * a nested sub-package and a class that pickles; beside it a sub-package the handler loads and one below
 * a namespace folder. Every check of the built layer runs in a fresh interpreter with an empty temp dir.
 */
@Execution(ExecutionMode.CONCURRENT)
class ColdStorageBuildTest {
  @TempDir static Path shared;
  @TempDir Path tmp;

  static Path out;
  static String python;

  record Run(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- out\n" + out + "\n--- err\n" + err;
    }
  }

  static Run cli(List<String> args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = Main.run(new PrintWriter(o), new PrintWriter(e), args.toArray(String[]::new));
    return new Run(code, o.toString(), e.toString());
  }

  /** A site with demo (version {@code version}, cold package value {@code value}) built into {@code dir}. */
  static Path site(Path dir, String dist, String version, int value) throws IOException {
    Path build = dir.resolve("native");
    // one soname per distribution, as auditwheel's hashed names are: a process maps a soname once
    String libName = "lib" + dist + "helper.so";
    Path lib = Wheels.compileSharedLibrary(build, libName, "int helper(void) { return " + value + "; }\n",
        "-Wl,-soname," + libName);
    Path c = build.resolve("_ext.c");
    Files.writeString(c, "#define PY_SSIZE_T_CLEAN\n#include <Python.h>\nint helper(void);\n"
        + "static PyObject* answer(PyObject* s, PyObject* a) { return PyLong_FromLong(helper()); }\n"
        + "static PyMethodDef m[] = {{\"answer\", answer, METH_NOARGS, \"\"}, {NULL, NULL, 0, NULL}};\n"
        + "static struct PyModuleDef d = {PyModuleDef_HEAD_INIT, \"_ext\", NULL, -1, m};\n"
        + "PyMODINIT_FUNC PyInit__ext(void) { return PyModule_Create(&d); }\n");
    String include = Wheels.pythonInclude();
    Path ext = build.resolve("_ext" + Wheels.extSuffix());
    Wheels.run(List.of("gcc", "-g", "-shared", "-fPIC", "-I" + include, c.toString(), "-o", ext.toString(),
        "-L" + build, "-l" + dist + "helper", "-Wl,-rpath,$ORIGIN/../../" + dist + ".libs"));
    // a hot extension that opens a file of an otherwise untouched sub-package in C and keeps it open (as
    // PROJ keeps proj.db): Python's audit hook never sees that open
    Path holdC = build.resolve("_hold.c");
    Files.writeString(holdC, "#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n#include <stdio.h>\n"
        + "static FILE* held;\n"
        + "static PyObject* hold(PyObject* s, PyObject* a) { const char* p; if (!PyArg_ParseTuple(a, \"s\", &p)) return NULL;\n"
        + "  held = fopen(p, \"rb\"); return PyBool_FromLong(held != NULL); }\n"
        + "static PyMethodDef m[] = {{\"hold\", hold, METH_VARARGS, \"\"}, {NULL, NULL, 0, NULL}};\n"
        + "static struct PyModuleDef d = {PyModuleDef_HEAD_INIT, \"_hold\", NULL, -1, m};\n"
        + "PyMODINIT_FUNC PyInit__hold(void) { return PyModule_Create(&d); }\n");
    Path hold = Wheels.compile(build, "_hold" + Wheels.extSuffix(), Files.readString(holdC), List.of("-I" + include));
    Path wheels = dir.resolve("wheels");
    Wheels.wheel(dist, version).topLevel(dist)
        .file(dist + "/__init__.py", "")
        .file(dist + "/hot/__init__.py", "import os\nfrom . import _hold\n"
            + "assert _hold.hold(os.path.join(os.path.dirname(__file__), '..', 'cdata', 'blob.bin'))\nVALUE = 'hot'\n")
        .file(dist + "/hot/_hold" + Wheels.extSuffix(), hold)
        .file(dist + "/cdata/__init__.py", "")
        .file(dist + "/cdata/blob.bin", "a blob native code reads\n".repeat(8000))
        .file(dist + "/nsdir/inner/__init__.py", "VALUE = 'inner'\n")
        .file(dist + "/coldpkg/__init__.py", "import os\nfrom importlib import resources\nfrom . import _ext\n"
            + "HERE = os.path.dirname(__file__)\n\n"
            + "def by_file():\n    with open(os.path.join(HERE, 'data', 'table.txt')) as f:\n        return f.read()\n\n"
            + "def by_resources():\n    return resources.files(__name__).joinpath('data/table.txt').read_text()\n\n"
            + "def answer():\n    return _ext.answer()\n\n"
            + "class Thing:\n    def __init__(self, v):\n        self.v = v\n")
        .file(dist + "/coldpkg/_ext" + Wheels.extSuffix(), ext)
        .file(dist + "/coldpkg/data/table.txt", "table " + value + "\n")
        // enough bytes that keeping them compressed is worth an unpack at first use
        .file(dist + "/coldpkg/data/big.txt", "row of a large table\n".repeat(8000))
        .file(dist + "/coldpkg/sub/__init__.py", "")
        .file(dist + "/coldpkg/sub/mod.py", "X = " + value + "\n")
        .file(dist + ".libs/" + libName, lib)
        .build(wheels);
    Path site = dir.resolve("site");
    Wheels.pipInstall(site, wheels, dist);
    return site;
  }

  static Path handler(Path dir, String dist) throws IOException {
    Path app = dir.resolve("handler/app.py");
    Files.createDirectories(app.getParent());
    Files.writeString(app, "import " + dist + ".hot\n\ndef handler(event, context):\n    return " + dist
        + ".hot.VALUE\n");
    return app;
  }

  static Run build(Path site, Path app, Path output) throws IOException {
    return cli(List.of("build", "--site-packages", site.toString(), "--python", python, "-o", output.toString(),
        "--no-strip", "--cold-storage", "--handler", app.toString(), "--handler-function", "app.handler"));
  }

  @BeforeAll
  static void buildLayer() throws IOException {
    python = Wheels.hostPython();
    out = shared.resolve("out");
    Run r = build(site(shared, "demo", "1.0", 7), handler(shared, "demo"), out);
    assertEquals(0, r.code(), r.toString());
  }

  @Test
  void withSourcelessBytecode_theHotParentsPycStillMakeAPackage_soTheUnitGoesCold(@TempDir Path dir)
      throws Exception {
    // --bytecode sourceless replaces demo/__init__.py (hot) by demo/__init__.pyc: the cold unit below
    // it must still be found as a sub-package of a regular package
    Path o = dir.resolve("out");
    List<String> args = new ArrayList<>(List.of("build", "--site-packages",
        site(dir, "demo", "1.0", 3).toString(), "--python", python, "-o", o.toString(), "--no-strip",
        "--cold-storage", "--bytecode", "sourceless", "--handler", handler(dir, "demo").toString(),
        "--handler-function", "app.handler"));
    Run r = cli(args);
    assertEquals(0, r.code(), r.toString());
    Path l = o.resolve("layer/python");
    assertTrue(Files.exists(l.resolve("demo/__init__.pyc")), "the hot parent went sourceless");
    assertTrue(Files.readString(l.resolve("demo/coldpkg/__init__.py")).contains("layerslim cold storage"));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    assertEquals("3 3", py(tmp, "import demo.coldpkg as c\nfrom demo.coldpkg.sub.mod import X\n"
        + "print(c.answer(), X)\n", l));
  }

  @Test
  void aModuleAPruneRuleRemovedFromAColdPackage_isNotAskedOfTheLayerByTheImportProof(@TempDir Path dir)
      throws Exception {
    // the archive holds what the layer held: a module an exclude removed is in neither tree, as the
    // test-extensions rule's scipy/ndimage/_ctest is, and the import proof must not call that a break
    Path o = dir.resolve("out");
    Run r = cli(List.of("build", "--site-packages", site(dir, "demo", "1.0", 4).toString(), "--python", python,
        "-o", o.toString(), "--no-strip", "--cold-storage", "--exclude", "demo/coldpkg/sub/mod.py",
        "--handler", handler(dir, "demo").toString(), "--handler-function", "app.handler"));
    assertEquals(0, r.code(), r.toString());
    Path l = o.resolve("layer/python");
    assertTrue(Files.readString(l.resolve("demo/coldpkg/__init__.py")).contains("layerslim cold storage"));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    assertEquals("4 False", py(tmp, "import demo.coldpkg as c, importlib.util\n"
        + "print(c.answer(), importlib.util.find_spec('demo.coldpkg.sub.mod') is not None)\n", l));
  }

  /** Runs {@code code} in a fresh {@code python3 -I -S} with {@code roots} on sys.path and TMPDIR {@code tmpDir}. */
  static String py(Path tmpDir, String code, Path... roots) throws IOException, InterruptedException {
    StringBuilder path = new StringBuilder("import sys\n");
    for (Path r : roots) {
      path.append("sys.path.append(").append(quote(r.toString())).append(")\n");
    }
    ProcessBuilder pb = new ProcessBuilder(Wheels.python3(), "-I", "-S", "-c", path + code).redirectErrorStream(true);
    pb.environment().put("TMPDIR", tmpDir.toString());
    Process p = pb.start();
    String text = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), text);
    return text.strip();
  }

  static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  static Path layer() {
    return out.resolve("layer/python");
  }

  @Test
  void coldPackage_isStoredCompressed_andTheRestStaysAsItWas() throws IOException {
    Path cold = layer().resolve("demo/coldpkg");
    assertTrue(Files.readString(cold.resolve("__init__.py")).contains("layerslim cold storage"));
    try (Stream<Path> s = Files.list(cold)) {
      List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(3, names.size(), names.toString()); // the stub, its __pycache__, the archive
      assertTrue(names.stream().anyMatch(n -> n.startsWith("_layerslim_cold.") && n.endsWith(".tar.xz")), names.toString());
    }
    assertTrue(Files.readString(layer().resolve("demo/hot/__init__.py")).endsWith("VALUE = 'hot'\n"));
    // only C code opened a file in it (and holds it open): it stays as it is
    assertEquals("", Files.readString(layer().resolve("demo/cdata/__init__.py")));
    assertTrue(Files.size(layer().resolve("demo/cdata/blob.bin")) > 100_000);
    // below a namespace folder: never a candidate
    assertEquals("VALUE = 'inner'\n", Files.readString(layer().resolve("demo/nsdir/inner/__init__.py")));
    JsonNode cs = new ObjectMapper().readTree(out.resolve("report.json").toFile()).path("coldStorage");
    assertTrue(cs.path("applied").asBoolean(), cs.toString());
    assertEquals(1, cs.path("units").size(), cs.toString());
    JsonNode u = cs.path("units").path(0);
    assertEquals("demo.coldpkg", u.path("module").asText());
    assertTrue(u.path("storedBytes").asLong() < u.path("bytes").asLong(), u.toString());
    assertTrue(u.has("firstImportMillis") && u.has("unpackMillis"), u.toString());
    assertEquals(1, cs.path("proof").path("passed").asInt(), cs.toString());
    assertEquals(1, cs.path("proof").path("elfObjects").asInt(), cs.toString());
    assertTrue(Files.readString(out.resolve("report.md")).contains("## Cold storage"));
  }

  @Test
  void coldPackage_worksFromTheLayer_extensionDataSubmodulesPickle() throws Exception {
    String r = py(Files.createDirectories(tmp.resolve("t")), "import json, pickle\n"
        + "import demo.coldpkg as c\n"
        + "import demo.coldpkg.sub.mod\n"
        + "from demo.coldpkg.sub import mod\n"
        + "from demo.coldpkg.sub.mod import X\n"
        + "t = pickle.loads(pickle.dumps(c.Thing(5)))\n"
        + "print(json.dumps([c.answer(), c.by_file(), c.by_resources(), X, mod.X, t.v, type(t).__module__,\n"
        + "    c.__spec__.origin == c.__file__, c.__spec__.submodule_search_locations == c.__path__,\n"
        + "    c.__loader__ is c.__spec__.loader, c.__file__.startswith(" + quote(tmp.resolve("t").toString()) + ")]))\n",
        layer());
    assertEquals("[7, \"table 7\\n\", \"table 7\\n\", 7, 7, 5, \"demo.coldpkg\", true, true, true, true]", r);
  }

  @Test
  void concurrentFirstImports_unpackOnce() throws Exception {
    Path t = Files.createDirectories(tmp.resolve("t"));
    Path go = tmp.resolve("go");
    String code = "import os, time\n"
        + "while not os.path.exists(" + quote(go.toString()) + "):\n    time.sleep(0.005)\n"
        + "import demo.coldpkg as c, sys\n"
        + "loader = [m for n, m in sys.modules.items() if n.startswith('_layerslim_cold_')][0]\n"
        + "print(c.answer(), loader.unpacked['demo.coldpkg'])\n";
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ProcessBuilder pb = new ProcessBuilder(Wheels.python3(), "-I", "-S", "-c", "import sys\nsys.path.append("
          + quote(layer().toString()) + ")\n" + code).redirectErrorStream(true);
      pb.environment().put("TMPDIR", t.toString());
      ps.add(pb.start());
    }
    Files.writeString(go, "");
    List<String> lines = new ArrayList<>();
    for (Process p : ps) {
      lines.add(new String(p.getInputStream().readAllBytes()).strip());
      assertTrue(p.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), lines.toString());
    }
    assertEquals(1, lines.stream().filter(l -> l.equals("7 True")).count(), lines.toString());
    assertEquals(2, lines.stream().filter(l -> l.equals("7 False")).count(), lines.toString());
    try (Stream<Path> s = Files.list(t.resolve("layerslim-cold"))) {
      assertEquals(1, s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).count());
    }
  }

  @Test
  void processKilledMidUnpack_leavesNothingTheNextOneTripsOn() throws Exception {
    Path t = Files.createDirectories(tmp.resolve("t"));
    // the first process dies (SIGKILL) halfway through unpacking: a partial folder, the lock held
    ProcessBuilder pb = new ProcessBuilder(Wheels.python3(), "-I", "-S", "-c", "import sys, os, glob, importlib.util\n"
        + "sys.path.append(" + quote(layer().toString()) + ")\n"
        + "path = glob.glob(" + quote(layer().resolve("_layerslim_cold_*.py").toString()) + ")[0]\n"
        + "name = os.path.basename(path)[:-3]\n"
        + "spec = importlib.util.spec_from_file_location(name, path)\n"
        + "m = importlib.util.module_from_spec(spec); sys.modules[name] = m; spec.loader.exec_module(m)\n"
        + "real = m._extract\n"
        + "def dying(archive, dest):\n"
        + "    real(archive, dest)\n"
        + "    os.remove(os.path.join(dest, '__init__.py'))\n"
        + "    os.kill(os.getpid(), 9)\n"
        + "m._extract = dying\n"
        + "import demo.coldpkg\n").redirectErrorStream(true);
    pb.environment().put("TMPDIR", t.toString());
    Process p = pb.start();
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(128 + 9, p.exitValue(), "killed by SIGKILL");
    try (Stream<Path> s = Files.list(t.resolve("layerslim-cold"))) {
      assertTrue(s.anyMatch(x -> x.getFileName().toString().contains(".part-")), "the kill left a partial unpack");
    }
    assertEquals("7 table 7", py(t, "import demo.coldpkg as c\nprint(c.answer(), c.by_file().strip())\n", layer()));
    try (Stream<Path> s = Files.list(t.resolve("layerslim-cold"))) {
      assertFalse(s.anyMatch(x -> x.getFileName().toString().contains(".part-")));
    }
  }

  @Test
  void twoColdLayers_mergedOrSwapped_doNotCollide() throws Exception {
    Path other = tmp.resolve("other");
    Path otherOut = other.resolve("out");
    Run r = build(site(other, "other", "1.0", 9), handler(other, "other"), otherOut);
    assertEquals(0, r.code(), r.toString());
    Path merged = tmp.resolve("opt/python");
    copyTree(layer(), merged);
    copyTree(otherOut.resolve("layer/python"), merged);
    Path t = Files.createDirectories(tmp.resolve("t"));
    assertEquals("7 9", py(t, "import demo.coldpkg as a, other.coldpkg as b\nprint(a.answer(), b.answer())\n", merged));

    // the same path, a new version of the layer: what the old one unpacked is not reused
    Path v2 = tmp.resolve("v2");
    Path v2Out = v2.resolve("out");
    r = build(site(v2, "demo", "2.0", 8), handler(v2, "demo"), v2Out);
    assertEquals(0, r.code(), r.toString());
    Path mounted = tmp.resolve("mnt/python");
    copyTree(layer(), mounted);
    assertEquals("7 table 7", py(t, "import demo.coldpkg as c\nprint(c.answer(), c.by_file().strip())\n", mounted));
    dev.layerslim.layer.Trees.deleteRecursively(mounted);
    copyTree(v2Out.resolve("layer/python"), mounted);
    assertEquals("8 table 8", py(t, "import demo.coldpkg as c\nprint(c.answer(), c.by_file().strip())\n", mounted));
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
