package dev.layerslim.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds real wheels in tests (no setuptools or network needed), compiles C extensions with
 * {@code gcc -g}, and installs wheels through the real pip with {@code --no-index --find-links}.
 *
 * <pre>
 * Path whl = Wheels.wheel("demo", "1.0").file("demo/__init__.py", "X = 1").requires("six").build(dir);
 * Wheels.pipInstall(target, dir, "demo");
 * </pre>
 */
public final class Wheels {
  private Wheels() {}

  /** Starts a pure-Python wheel ({@code py3-none-any}). */
  public static Builder wheel(String name, String version) {
    return new Builder(name, version);
  }

  /** A wheel under construction. Files are added as text or bytes; METADATA, WHEEL and RECORD are written by {@link #build}. */
  public static final class Builder {
    private final String name;
    private final String version;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final List<String> requires = new ArrayList<>();
    private final List<String> extras = new ArrayList<>();
    private final Map<String, String> distInfoExtra = new LinkedHashMap<>();
    private String tag = "py3-none-any";
    private List<String> topLevel;

    Builder(String name, String version) {
      this.name = name;
      this.version = version;
    }

    public Builder file(String path, String text) {
      files.put(path, text.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    public Builder file(String path, byte[] bytes) {
      files.put(path, bytes);
      return this;
    }

    /** Adds a compiled file read from disk (an extension built by {@link Wheels#compileExtension}). */
    public Builder file(String path, Path source) throws IOException {
      files.put(path, Files.readAllBytes(source));
      return this;
    }

    /** A {@code Requires-Dist} line, e.g. {@code "six>=1.0; python_version < '3.12'"}. */
    public Builder requires(String requirement) {
      requires.add(requirement);
      return this;
    }

    public Builder providesExtra(String extra) {
      extras.add(extra);
      return this;
    }

    /** Writes top_level.txt with these names (by default none is written, as many modern wheels do). */
    public Builder topLevel(String... names) {
      this.topLevel = List.of(names);
      return this;
    }

    /** An extra dist-info file such as entry_points.txt or LICENSE. */
    public Builder distInfoFile(String fileName, String text) {
      distInfoExtra.put(fileName, text);
      return this;
    }

    /** The wheel tag; {@code cp311-cp311-linux_x86_64} for one with a C extension. */
    public Builder tag(String wheelTag) {
      this.tag = wheelTag;
      return this;
    }

    /** Everything {@link #build} writes, as one string: the key of the fixture caches. */
    String fingerprint() {
      StringBuilder b = new StringBuilder(name).append('\0').append(version).append('\0').append(tag).append('\0')
          .append(requires).append('\0').append(extras).append('\0').append(topLevel).append('\0')
          .append(distInfoExtra).append('\0');
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        b.append(e.getKey()).append('\0').append(sha256(e.getValue())).append('\0');
      }
      return b.toString();
    }

    /** Writes the wheel into {@code dir} and returns its path. */
    public Path build(Path dir) throws IOException {
      Files.createDirectories(dir);
      String safe = name.replaceAll("[-_.]+", "_");
      String distInfo = safe + "-" + version + ".dist-info";
      Map<String, byte[]> all = new LinkedHashMap<>(files);
      StringBuilder meta = new StringBuilder("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n");
      for (String e : extras) {
        meta.append("Provides-Extra: ").append(e).append('\n');
      }
      for (String r : requires) {
        meta.append("Requires-Dist: ").append(r).append('\n');
      }
      meta.append("\nA test distribution built by layerslim's tests.\n");
      all.put(distInfo + "/METADATA", meta.toString().getBytes(StandardCharsets.UTF_8));
      all.put(distInfo + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: layerslim-tests\nRoot-Is-Purelib: "
          + tag.endsWith("-any") + "\nTag: " + tag + "\n").getBytes(StandardCharsets.UTF_8));
      if (topLevel != null) {
        all.put(distInfo + "/top_level.txt", (String.join("\n", topLevel) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      for (Map.Entry<String, String> e : distInfoExtra.entrySet()) {
        all.put(distInfo + "/" + e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8));
      }
      StringBuilder record = new StringBuilder();
      for (Map.Entry<String, byte[]> e : all.entrySet()) {
        record.append(e.getKey()).append(",sha256=").append(sha256(e.getValue())).append(',')
            .append(e.getValue().length).append('\n');
      }
      record.append(distInfo).append("/RECORD,,\n");
      all.put(distInfo + "/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
      Path whl = dir.resolve(safe + "-" + version + "-" + tag + ".whl");
      try (OutputStream os = Files.newOutputStream(whl); ZipOutputStream zip = new ZipOutputStream(os)) {
        for (Map.Entry<String, byte[]> e : all.entrySet()) {
          zip.putNextEntry(new ZipEntry(e.getKey()));
          zip.write(e.getValue());
          zip.closeEntry();
        }
      }
      return whl;
    }
  }

  private static String sha256(byte[] data) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(data);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The interpreter behind {@code python3} on PATH, as the file {@code sys.executable} names, asked
   * once per JVM. A pyenv shim is a shell script that starts {@code pyenv exec} (about a second under
   * load) and, for {@code -m pip}, runs {@code pyenv rehash} afterwards: the tests spawn python
   * hundreds of times, so {@link #run} and {@link #pipInstall} start the interpreter itself. It is the
   * same python3, found on PATH as before.
   */
  public static String python3() {
    try {
      return HOST.get().executable;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The host interpreter's {@code major.minor}, {@code 3.11}: what the tests pass as {@code --python}. */
  public static String hostPython() {
    try {
      return HOST.get().version;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The host interpreter's extension suffix, {@code .cpython-311-x86_64-linux-gnu.so}. */
  public static String extSuffix() throws IOException {
    return HOST.get().extSuffix;
  }

  /** The host interpreter's wheel tag for a C extension, {@code cp311-cp311-linux_x86_64}. */
  public static String hostWheelTag() throws IOException {
    return HOST.get().wheelTag;
  }

  /** The folder of the host interpreter's {@code Python.h}. */
  public static String pythonInclude() throws IOException {
    return HOST.get().include;
  }

  /** What the tests ask of the host interpreter, asked in one start of it. */
  private record Host(String executable, String version, String extSuffix, String wheelTag, String include) {}

  private static final Memo<Host> HOST = new Memo<>(() -> {
    String[] l = run(List.of("python3", "-c", "import sys, sysconfig\n"
        + "v = f'cp{sys.version_info[0]}{sys.version_info[1]}'\n"
        + "print(sys.executable)\n"
        + "print('%d.%d' % sys.version_info[:2])\n"
        + "print(sysconfig.get_config_var('EXT_SUFFIX'))\n"
        + "print(f\"{v}-{v}-{sysconfig.get_platform().replace('-', '_').replace('.', '_')}\")\n"
        + "print(sysconfig.get_paths()['include'])\n"), false).strip().split("\\R");
    Path exe = Path.of(l[0]);
    return new Host(Files.isExecutable(exe) ? exe.toString() : "python3", l[1], l[2], l[3], l[4]);
  });

  /** A value computed once, on first use, by whichever thread asks first (the others wait for it). */
  static final class Memo<T> {
    private final IoSupplier<T> compute;
    private T value;

    Memo(IoSupplier<T> compute) {
      this.compute = compute;
    }

    synchronized T get() throws IOException {
      if (value == null) {
        value = compute.get();
      }
      return value;
    }
  }

  /** A supplier that may fail with an IOException. */
  @FunctionalInterface
  public interface IoSupplier<T> {
    T get() throws IOException;
  }

  /**
   * Compiles a CPython extension module {@code module} (a {@code PyInit_<module>} that returns a
   * module with one function {@code answer()} returning 42) with {@code gcc -g}, so it carries
   * debug sections for strip to remove. Compiled once per JVM and module name; each call gets its own
   * copy in {@code dir}.
   */
  public static Path compileExtension(Path dir, String module) throws IOException {
    String source = "#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n"
        + "static PyObject* answer(PyObject* self, PyObject* args) { return PyLong_FromLong(42); }\n"
        + "static PyMethodDef methods[] = {{\"answer\", answer, METH_NOARGS, \"the answer\"}, {NULL, NULL, 0, NULL}};\n"
        + "static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, \"" + module + "\", NULL, -1, methods};\n"
        + "PyMODINIT_FUNC PyInit_" + module + "(void) { return PyModule_Create(&def); }\n";
    return compile(dir, module + extSuffix(), source, List.of("-O1", "-I" + pythonInclude()));
  }

  /**
   * Compiles a plain shared library from C source with {@code gcc -g} and extra arguments. Compiled
   * once per JVM for the same source and arguments; each call gets its own copy in {@code dir}.
   */
  public static Path compileSharedLibrary(Path dir, String fileName, String source, String... extraArgs)
      throws IOException {
    return compile(dir, fileName, source, List.of(extraArgs));
  }

  /**
   * {@code gcc -g -shared -fPIC SOURCE -o dir/fileName args...}, from the cache when the same source was
   * compiled with the same arguments under the same name before. The arguments must not name paths of
   * the calling test (a {@code -L} to its own folder): those would differ from call to call anyway.
   */
  public static Path compile(Path dir, String fileName, String source, List<String> args) throws IOException {
    Files.createDirectories(dir);
    Path cached = FixtureCache.get("gcc", List.of(fileName, source, String.join("\0", args)), folder -> {
      Path c = folder.resolve(fileName + ".c");
      Files.writeString(c, source);
      List<String> cmd = new ArrayList<>(List.of("gcc", "-g", "-shared", "-fPIC", c.toString()));
      cmd.addAll(args);
      cmd.addAll(List.of("-o", folder.resolve(fileName).toString()));
      run(cmd);
    });
    Files.writeString(dir.resolve(fileName + ".c"), source);
    Path so = dir.resolve(fileName);
    Files.copy(cached.resolve(fileName), so, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    return so;
  }

  /**
   * Installs {@code requirements} into {@code target} with the real pip, from {@code wheelDir} only
   * ({@code --no-index --find-links}).
   */
  public static void pipInstall(Path target, Path wheelDir, String... requirements) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(python3(), "-m", "pip", "install", "--quiet", "--no-index",
        "--find-links", wheelDir.toString(), "--target", target.toString(), "--no-compile"));
    cmd.addAll(List.of(requirements));
    run(cmd);
  }

  /**
   * A site-packages folder at {@code target}: what {@link #pipInstall} installs from {@code wheels} (each
   * built into {@code target}'s sibling {@code wheels/} folder as well, for tests that hand them to pip
   * themselves), asking for {@code requirements}, or for every wheel's name when none is given. The real
   * pip installs each distinct set of wheels once per JVM; every call gets its own copy of that tree,
   * free to change.
   */
  public static Path site(Path target, List<Builder> wheels, String... requirements) throws IOException {
    List<String> reqs = requirements.length > 0 ? List.of(requirements)
        : wheels.stream().map(w -> w.name).toList();
    Path wheelDir = target.resolveSibling("wheels");
    List<Object> key = new ArrayList<>(reqs);
    for (Builder w : wheels) {
      w.build(wheelDir);
      key.add(w.fingerprint());
    }
    Path cached = FixtureCache.get("site", key, folder -> {
      Path dir = folder.resolve("wheels");
      for (Builder w : wheels) {
        w.build(dir);
      }
      pipInstall(folder.resolve("site"), dir, reqs.toArray(String[]::new));
    });
    FixtureCache.copyTree(cached.resolve("site"), target);
    return target;
  }

  /** {@link #site(Path, List, String...)} with every wheel's name as the requirements. */
  public static Path site(Path target, Builder... wheels) throws IOException {
    return site(target, List.of(wheels));
  }

  /** Runs python3 with a script and returns its standard output; fails on a non-zero exit. */
  public static String python(String script) throws IOException {
    return run(List.of("python3", "-c", script));
  }

  /** Runs a command, returns stdout+stderr; throws with the output when it exits non-zero. */
  public static String run(List<String> cmd) throws IOException {
    return run(cmd, true);
  }

  /**
   * Runs a command as {@link #run(List)} does; with {@code resolvePython}, a first word {@code python3} is
   * the interpreter {@link #python3()} names.
   */
  private static String run(List<String> cmd, boolean resolvePython) throws IOException {
    if (resolvePython && !cmd.isEmpty() && cmd.get(0).equals("python3")) {
      List<String> direct = new ArrayList<>(cmd);
      direct.set(0, python3());
      cmd = direct;
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
    return run(pb, cmd, TIMEOUT_SECONDS);
  }

  /** How long one command may run: a hung pip must fail the test, not the CI job. */
  static final long TIMEOUT_SECONDS = 300;

  /**
   * Runs {@code pb} with its output drained on a thread of its own while this one waits with the
   * timeout: reading to the end first would wait for as long as the process runs, and the
   * timeout could never fire.
   */
  static String run(ProcessBuilder pb, List<String> cmd, long timeoutSeconds) throws IOException {
    Process p = pb.start();
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    Thread drain = new Thread(() -> {
      try (var in = p.getInputStream()) {
        in.transferTo(buf);
      } catch (IOException e) {
        // the process was killed; what was read is kept
      }
    }, "wheels-output");
    drain.setDaemon(true);
    drain.start();
    String out;
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        drain.join(5_000);
        synchronized (buf) {
          out = buf.toString(StandardCharsets.UTF_8);
        }
        throw new IOException("timed out after " + timeoutSeconds + " s: " + cmd + "\n" + out);
      }
      drain.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException(e);
    }
    out = buf.toString(StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("command failed (" + p.exitValue() + "): " + cmd + "\n" + out);
    }
    return out;
  }
}
