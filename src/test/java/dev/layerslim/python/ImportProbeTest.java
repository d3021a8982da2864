package dev.layerslim.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smoke driver's results, import times and captured pycs, with a real python3. */
class ImportProbeTest {
  @TempDir Path tmp;

  private ImportProbe.Spec spec(Path root, List<String> imports) {
    return new ImportProbe.Spec(dev.layerslim.testing.Wheels.python3(), root, "lib/python3.11/site-packages", List.of(), imports, null, null,
        List.of(), Duration.ofSeconds(120), tmp.resolve("work"));
  }

  @Test
  void aStackWhoseResultsOutgrowTheOutputTail_stillReportsEveryModuleAndItsImportTime() throws Exception {
    // 3,000 modules with long names: the loaded list and the -X importtime lines are each far over the
    // 64 KiB the process runner keeps of a child's output (a GIS stack's no-pyc import time read 0 ms)
    Path root = Files.createDirectories(tmp.resolve("layer/python"));
    Path pkg = Files.createDirectories(root.resolve("bigpkg"));
    StringBuilder init = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      String name = String.format("module_with_a_rather_long_name_to_fill_the_output_%04d", i);
      Files.writeString(pkg.resolve(name + ".py"), "VALUE = " + i + "\nprint('loading " + name + "')\n");
      init.append("from . import ").append(name).append('\n');
    }
    Files.writeString(pkg.resolve("__init__.py"), init.toString());

    ImportProbe.Result r = ImportProbe.run(new SystemProcessRunner(), spec(root, List.of("bigpkg")));

    assertTrue(r.passed(), r.failures().toString());
    assertEquals(3001, r.loaded().size());
    assertTrue(r.loaded().contains("bigpkg/module_with_a_rather_long_name_to_fill_the_output_2999.py"));
    assertTrue(r.importMicros() > 0, "import time " + r.importMicros());
    assertEquals(10, r.slowest().size());
    long bigpkgCumulative = r.importMicros();
    assertTrue(r.slowest().stream().allMatch(t -> t.selfMicros() <= bigpkgCumulative), r.slowest().toString());
    for (int i = 1; i < r.slowest().size(); i++) {
      assertTrue(r.slowest().get(i - 1).selfMicros() >= r.slowest().get(i).selfMicros(), r.slowest().toString());
    }
  }

  private static final String MODULE = """
      import sys
      KINDS = frozenset({'point', 'line', 'polygon', 'multipoint', 'collection'})
      def kind(name):
          def inner(x):
              return x in {'a', 'b', 'c', 'd'}
          return name in KINDS and inner('a')
      class Shape:
          def area(self):
              return 0.0
      """;

  @Test
  void aPassingRunWritesUncheckedHashPycsOfWhatItLoaded_equalToPyCompilesNamedAsOnLambda() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("layer/python"));
    Path pkg = Files.createDirectories(root.resolve("geo"));
    Files.writeString(pkg.resolve("__init__.py"), "from . import shapes\n");
    Files.writeString(pkg.resolve("shapes.py"), MODULE);
    Files.writeString(pkg.resolve("unused.py"), "X = 1\n");
    Path out = Files.createDirectories(tmp.resolve("pycs"));

    ImportProbe.Result r = ImportProbe.run(new SystemProcessRunner(), spec(root, List.of("geo")),
        new ImportProbe.PycCapture(out, "/opt/python/"));

    assertTrue(r.passed(), r.failures().toString());
    assertEquals(out, r.pycs());
    List<String> written;
    try (Stream<Path> s = Files.walk(out)) {
      written = s.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()).sorted().toList();
    }
    assertEquals(2, written.size(), written.toString());
    assertTrue(written.stream().allMatch(w -> w.startsWith("geo/__pycache__/") && w.endsWith(".pyc")), written.toString());
    assertFalse(written.stream().anyMatch(w -> w.contains("unused")), written.toString());
    // the same bytes' meaning as py_compile's unchecked-hash pyc with dfile=/opt/python/...: header,
    // source hash, and a code object equal to it, every nested one naming the Lambda path
    Path check = tmp.resolve("check.py");
    Files.writeString(check, """
        import sys, marshal, py_compile, importlib.util, types, os
        out, root = sys.argv[1], sys.argv[2]
        for rel in ('geo/__init__.py', 'geo/shapes.py'):
            folder, name = rel.rsplit('/', 1)
            ours = open(os.path.join(out, folder, '__pycache__', name[:-3] + '.' + sys.implementation.cache_tag
                                     + '.pyc'), 'rb').read()
            ref = py_compile.compile(os.path.join(root, rel), cfile=os.path.join(out, 'ref.pyc'),
                                     dfile='/opt/python/' + rel, doraise=True,
                                     invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
            theirs = open(ref, 'rb').read()
            assert ours[:16] == theirs[:16], (rel, ours[:16], theirs[:16])
            a, b = marshal.loads(ours[16:]), marshal.loads(theirs[16:])
            assert a == b, rel
            def names(c):
                yield c.co_filename
                for k in c.co_consts:
                    if isinstance(k, types.CodeType):
                        yield from names(k)
            assert set(names(a)) == {'/opt/python/' + rel}, set(names(a))
        print('same')
        """);
    ProcessRunner.ProcessResult same = new SystemProcessRunner().run(ProcessRunner.ProcessRequest.of(
        List.of("python3", "-I", check.toString(), out.toString(), root.toString())));
    assertEquals("same", same.output().strip(), same.output());
    try (Stream<Path> s = Files.walk(root)) {
      assertTrue(s.noneMatch(p -> p.toString().endsWith(".pyc")), "the probed tree itself is never written");
    }
  }

  @Test
  void aFailingRunWritesNoPycs() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("layer/python"));
    Files.writeString(root.resolve("fine.py"), "X = 1\n");
    Files.writeString(root.resolve("broken.py"), "import fine\nraise RuntimeError('no')\n");
    Path out = Files.createDirectories(tmp.resolve("pycs"));

    ImportProbe.Result r = ImportProbe.run(new SystemProcessRunner(), spec(root, List.of("fine", "broken")),
        new ImportProbe.PycCapture(out, "/opt/python/"));

    assertFalse(r.passed());
    assertNull(r.pycs());
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(0, s.count());
    }
    assertNotNull(r.failures().get(0).error());
  }

  @Test
  void aKilledBuild_leavesNoRestartedInterpreterRunning() throws Exception {
    // a capture run restarts itself with a fixed hash seed; layerslim starts the first interpreter
    // behind its death-signal wrapper, so a killed build takes that one down: the restarted one must
    // not run on alone. A shell stands for layerslim here, and is killed.
    org.junit.jupiter.api.Assumptions.assumeFalse(SystemProcessRunner.DEATH_SIGNAL.isEmpty(), "no setpriv");
    Path root = Files.createDirectories(tmp.resolve("layer/python"));
    Files.writeString(root.resolve("sleepy.py"), "import time\ntime.sleep(60)\n");
    Path work = Files.createDirectories(tmp.resolve("work"));
    ImportProbe.Spec spec = spec(root, List.of("sleepy"));
    Path driver = DriverScript.write(DriverScript.SMOKE_DRIVER, work);
    var config = ImportProbe.config(spec, List.of(), false);
    config.put("resultFile", work.resolve("result.txt").toString())
        .put("pycOut", Files.createDirectories(tmp.resolve("pycs")).toString()).put("pycShownRoot", "/opt/python/");
    Path configFile = work.resolve("config.json");
    Files.writeString(configFile, config.toString());
    List<String> python = new java.util.ArrayList<>(SystemProcessRunner.DEATH_SIGNAL);
    python.addAll(List.of(dev.layerslim.testing.Wheels.python3(), "-I", "-S", "-B", driver.toString(), configFile.toString()));
    Process build = new ProcessBuilder(concat(List.of("bash", "-c", "\"$@\" & wait", "build"), python))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      org.awaitility.Awaitility.await("the capture run restarting itself").atMost(java.time.Duration.ofSeconds(30))
          .pollInterval(java.time.Duration.ofMillis(50)).until(() -> driverProcesses(work, true).findAny().isPresent());

      build.destroyForcibly(); // SIGKILL, as a cancelled CI job or the OOM killer would

      try {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
            .pollInterval(java.time.Duration.ofMillis(100)).until(() -> driverProcesses(work, null).findAny().isEmpty());
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        assertEquals(List.of(), driverProcesses(work, null).map(ProcessHandle::pid).toList(),
            "an interpreter outlived the killed build");
      }
    } finally {
      driverProcesses(work, null).forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** The smoke driver processes working in {@code work}: the restarted ones (true), the others, or all (null). */
  private static Stream<ProcessHandle> driverProcesses(Path work, Boolean restarted) {
    return ProcessHandle.allProcesses().filter(h -> {
      String line = String.join(" ", h.info().arguments().orElse(new String[0]));
      return h.isAlive() && line.contains(work.toString()) && line.contains("smoke_driver.py")
          && (restarted == null || line.contains("--seeded") == restarted);
    });
  }
}
