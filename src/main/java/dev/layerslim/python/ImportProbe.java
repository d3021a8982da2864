package dev.layerslim.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the target interpreter once over a layer tree, as Lambda would load it, and reports what
 * worked: imports, the handler function, the user's smoke script, {@code dlopen} of ELF objects,
 * the modules loaded from the tree, and the import times ({@code -X importtime}).
 *
 * <p>The interpreter runs with {@code -I -S -B}: isolated from the environment and the user's site,
 * without the host's site-packages (so a package missing from the layer cannot be found there; Lambda
 * adds layer folders through {@code PYTHONPATH}, which does not read {@code .pth} files either), and
 * writing no bytecode. The tree stands for Lambda's read-only {@code /opt}: what the user's code does
 * during a run must not change it either, and {@link TreeGuard} makes sure (a run that changed it is
 * exit 3 naming what changed). The driver is the resource {@value DriverScript#SMOKE_DRIVER}.
 */
public final class ImportProbe {
  static final String RESULT_MARK = "LAYERSLIM-RESULT ";
  static final String BEGIN_MARK = "LAYERSLIM-IMPORTS-BEGIN";
  static final String END_MARK = "LAYERSLIM-IMPORTS-END";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern IMPORT_TIME = Pattern.compile("^import time:\\s+(\\d+) \\|\\s+(\\d+) \\|( *)(\\S+)\\s*$");

  /** Printed before each dlopen, with the object's name as a JSON string. */
  static final String DLOPEN_MARK = "LAYERSLIM-DLOPEN ";
  /**
   * Written before each phase of the user's code runs (an import, the handler's import, its call on the
   * event, the smoke script), with what it is in words as a JSON string: a run that hangs or exits
   * there is reported as doing so in that phase.
   */
  static final String PHASE_MARK = "LAYERSLIM-PHASE ";
  /** Printed after a dlopen that raised, with {@code [object, error]} as JSON. */
  static final String DLOPEN_FAILED_MARK = "LAYERSLIM-DLOPEN-FAILED ";
  /** What a killed process's exit code says: 128 + the signal's number. */
  private static final Map<Integer, String> SIGNALS = Map.of(134, "SIGABRT", 135, "SIGBUS", 136, "SIGFPE",
      132, "SIGILL", 137, "SIGKILL", 139, "SIGSEGV");

  private ImportProbe() {}

  /**
   * What to check and where.
   *
   * @param python the interpreter to run
   * @param root the tree to check: it stands for {@code /opt/python}
   * @param sitePackages {@code lib/python3.X/site-packages}, which Lambda also puts on sys.path
   * @param handlerDirs folders that stand for {@code /var/task} (first on sys.path)
   * @param imports module names to import, handler modules first
   * @param handlerFunction Lambda's handler string ({@code app.handler}), or null
   * @param script the user's own check, run as {@code __main__}, or null
   * @param elf ELF objects to {@code dlopen}, relative to {@code root}
   * @param timeout the process is killed after this
   * @param workDir where the driver and its config are written (never inside {@code root})
   * @param event a sample event the handler is called on ({@code --smoke-event}), or null: not called
   */
  public record Spec(String python, Path root, String sitePackages, List<Path> handlerDirs, List<String> imports,
      String handlerFunction, Path script, List<String> elf, Duration timeout, Path workDir, Path event) {
    public Spec {
      handlerDirs = List.copyOf(handlerDirs);
      imports = List.copyOf(imports);
      elf = List.copyOf(elf);
    }

    /** A spec without a sample event. */
    public Spec(String python, Path root, String sitePackages, List<Path> handlerDirs, List<String> imports,
        String handlerFunction, Path script, List<String> elf, Duration timeout, Path workDir) {
      this(python, root, sitePackages, handlerDirs, imports, handlerFunction, script, elf, timeout, workDir, null);
    }

    /** The same check over another tree (the unpruned one, or the staged layer) and its ELF objects. */
    public Spec withTree(Path newRoot, List<String> newElf) {
      return new Spec(python, newRoot, sitePackages, handlerDirs, imports, handlerFunction, script, newElf, timeout,
          workDir, event);
    }

    /** Only the imports and the handler: what bytecode times, without the script and dlopen. */
    public Spec importsOnly() {
      return new Spec(python, root, sitePackages, handlerDirs, imports, handlerFunction, null, List.of(), timeout,
          workDir);
    }

    /** What people read in a message: the imports and the handler. */
    public String describe() {
      List<String> parts = new ArrayList<>();
      imports.forEach(i -> parts.add("import " + i));
      if (handlerFunction != null) {
        parts.add("handler " + handlerFunction);
      }
      if (handlerFunction != null && event != null) {
        parts.add("invoke " + handlerFunction + " on " + event.getFileName());
      }
      if (script != null) {
        parts.add("smoke script " + script.getFileName());
      }
      return String.join(", ", parts);
    }
  }

  /** A check that failed: {@code import app}, {@code handler app.handler}, {@code smoke script x.py}. */
  public record Failure(String check, String error) {
    @Override
    public String toString() {
      return check + ": " + error;
    }
  }

  /** One module's import time from {@code -X importtime}. */
  public record ModuleTime(String module, long selfMicros, long cumulativeMicros) {}

  /**
   * What one run found.
   *
   * @param failures checks that failed (imports, handler, script, a timeout or a crash); empty means passed
   * @param imports the names that imported
   * @param loaded the {@code .py} files loaded from the tree, relative to it, sorted
   * @param dlopenChecked how many ELF objects were loaded
   * @param dlopenFailed ELF object (relative path) → the loader's error
   * @param importMicros the imports' total time: the sum of the top-level cumulative times
   * @param slowest the ten modules with the largest own import time, slowest first
   * @param dlopenTried the ELF objects this run was to load
   * @param pycs the folder holding the pycs this run wrote for {@code loaded} (laid out as the tree, in
   *     {@code __pycache__} folders), or null when it was not asked to or did not pass
   * @param opened the files and folders of the tree the imports, the handler's call and the script
   *     opened or listed (Python's audit hook), and those native code had mapped or open at their end
   *     ({@code /proc/self/maps}, {@code /proc/self/fd}), relative to the tree, sorted
   */
  public record Result(List<Failure> failures, List<String> imports, List<String> loaded, int dlopenChecked,
      Map<String, String> dlopenFailed, long importMicros, List<ModuleTime> slowest, List<String> dlopenTried,
      Path pycs, List<String> opened) {
    public Result {
      opened = opened == null ? List.of() : List.copyOf(opened);
    }

    public boolean passed() {
      return failures.isEmpty();
    }

    public long importMillis() {
      return Math.round(importMicros / 1000.0);
    }

    Result withPycs(Path dir) {
      return new Result(failures, imports, loaded, dlopenChecked, dlopenFailed, importMicros, slowest, dlopenTried,
          dir, opened);
    }
  }

  /**
   * Where a run writes the pycs of the modules it loaded, compiled as it imported them.
   *
   * @param dir an empty folder outside the tree
   * @param shownRoot the folder the tree stands for at run time ({@code /opt/python/}): each pyc names
   *     its source there, as py_compile's {@code dfile} does
   */
  public record PycCapture(Path dir, String shownRoot) {}

  /**
   * Runs {@code spec}; a timeout or a crash is a failure of the result, not an exception. An ELF
   * object whose loading kills the process (a truncated file that makes the loader fault, a
   * constructor that crashes) counts as an object that failed to load, named; the objects after it
   * are loaded in a new process (dlopen only), again until every one was tried.
   */
  public static Result run(ProcessRunner runner, Spec spec) throws IOException {
    return run(runner, spec, null);
  }

  /**
   * As {@link #run(ProcessRunner, Spec)}; with {@code capture}, a run whose checks pass also writes
   * the pycs of what it loaded there ({@link Result#pycs()}).
   */
  public static Result run(ProcessRunner runner, Spec spec, PycCapture capture) throws IOException {
    // Lambda's /opt is read-only: the run must not change the tree (a read-only mount where the kernel
    // allows one, and always compared before and after, which also holds for root)
    try (TreeGuard guard = TreeGuard.lock(spec.root())) {
      Result r = runUnguarded(runner, spec, capture);
      guard.check(spec.describe());
      return r;
    }
  }

  private static Result runUnguarded(ProcessRunner runner, Spec spec, PycCapture capture) throws IOException {
    Path driver = DriverScript.write(DriverScript.SMOKE_DRIVER, spec.workDir());
    Parsed p = parse(runProcess(runner, spec, driver, spec.elf(), false, capture), spec, false);
    Result first = p.result();
    Path pycs = capture != null && first.passed() && Files.isDirectory(capture.dir()) ? capture.dir() : null;
    if (p.crashedAt() == null) {
      return pycs == null ? first : first.withPycs(pycs);
    }
    Map<String, String> failed = new LinkedHashMap<>(first.dlopenFailed());
    List<Failure> failures = new ArrayList<>(first.failures());
    List<String> remaining = spec.elf();
    int checked;
    while (true) {
      failed.put(p.crashedAt(), p.crash());
      int at = remaining.indexOf(p.crashedAt());
      if (at < 0) { // not a name this run was given: nothing safe to go on with
        failures.add(new Failure("dlopen", "the process died while loading " + p.crashedAt()));
        checked = spec.elf().size() - remaining.size();
        break;
      }
      remaining = remaining.subList(at + 1, remaining.size());
      if (remaining.isEmpty()) {
        checked = spec.elf().size();
        break;
      }
      p = parse(runProcess(runner, spec, driver, remaining, true, null), spec, true);
      failed.putAll(p.result().dlopenFailed());
      if (p.crashedAt() == null) {
        // finished, or timed out or died before its first dlopen: that run's failures say which
        failures.addAll(p.result().failures());
        checked = spec.elf().size() - remaining.size() + p.result().dlopenChecked();
        break;
      }
    }
    return new Result(List.copyOf(failures), first.imports(), first.loaded(), checked, Map.copyOf(failed),
        first.importMicros(), first.slowest(), spec.elf(), failures.isEmpty() ? pycs : null, first.opened());
  }

  /** The most of the driver's result file that is read: a list of loaded modules is far smaller. */
  static final long RESULT_FILE_CAP = 64L * 1024 * 1024;

  /** One driver process: how it ended, the lines of its result file, and the import times it printed. */
  record Run(ProcessRunner.ProcessResult process, List<String> results, ImportTimes times) {}

  private static Run runProcess(ProcessRunner runner, Spec spec, Path driver, List<String> elf, boolean dlopenOnly,
      PycCapture capture) throws IOException {
    Path config = Files.createTempFile(spec.workDir(), "smoke-", ".json");
    Path results = Files.createTempFile(spec.workDir(), "smoke-", ".result");
    try {
      ObjectNode configJson = config(spec, elf, dlopenOnly);
      configJson.put("resultFile", results.toString());
      if (capture != null) {
        configJson.put("pycOut", capture.dir().toString()).put("pycShownRoot", capture.shownRoot());
      }
      Files.writeString(config, JSON.writeValueAsString(configJson), StandardCharsets.UTF_8);
      List<String> cmd = new ArrayList<>(List.of(spec.python(), "-I", "-S", "-B"));
      if (!dlopenOnly) {
        cmd.addAll(List.of("-X", "importtime"));
      }
      cmd.addAll(List.of(driver.toString(), config.toString()));
      ImportTimes times = new ImportTimes();
      ProcessRunner.ProcessResult r = runner.run(ProcessRunner.ProcessRequest.of(
          TreeGuard.inReadOnlyView(runner, spec.root(), cmd)).withWorkingDir(spec.workDir())
          .withTimeout(spec.timeout()).withOnLine(times::accept));
      DriverNoSpace.checkNoSpace(r); // its result file or pycs could not be written: the disk, not the user's code
      return new Run(r, readBounded(results), times);
    } finally {
      Files.deleteIfExists(config);
      Files.deleteIfExists(results);
    }
  }

  private static List<String> readBounded(Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) RESULT_FILE_CAP);
    }
    return List.of(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
  }

  /**
   * The {@code -X importtime} lines between the driver's begin and end marks, read as they stream by
   * and kept in a fixed amount of memory: the sum of cumulative times per nesting depth, and the ten
   * largest own times. (The process's output tail is bounded and a big stack prints more than it keeps.)
   */
  static final class ImportTimes {
    private final Map<Integer, Long> cumulativeByDepth = new java.util.TreeMap<>();
    private final java.util.PriorityQueue<ModuleTime> slowest = new java.util.PriorityQueue<>(SLOWEST_ORDER);
    private boolean timing;
    private static final Comparator<ModuleTime> SLOWEST_ORDER = Comparator.comparingLong(ModuleTime::selfMicros)
        .thenComparing(ModuleTime::module, Comparator.reverseOrder());

    synchronized void accept(String line) {
      if (line.equals(BEGIN_MARK)) {
        timing = true;
      } else if (line.equals(END_MARK)) {
        timing = false;
      } else if (timing) {
        Matcher m = IMPORT_TIME.matcher(line);
        if (m.matches()) {
          ModuleTime t = new ModuleTime(m.group(4), Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
          cumulativeByDepth.merge(m.group(3).length(), t.cumulativeMicros(), Long::sum);
          slowest.add(t);
          if (slowest.size() > 10) {
            slowest.poll();
          }
        }
      }
    }

    /** The top-level imports' total: a module the driver itself imports nests below the user's. */
    synchronized long totalMicros() {
      return cumulativeByDepth.isEmpty() ? 0 : cumulativeByDepth.values().iterator().next();
    }

    synchronized List<ModuleTime> slowest() {
      return slowest.stream().sorted(SLOWEST_ORDER.reversed()).toList();
    }
  }

  static ObjectNode config(Spec spec, List<String> elfObjects, boolean dlopenOnly) {
    ObjectNode c = JSON.createObjectNode();
    ObjectNode marks = c.putObject("marks");
    marks.put("result", RESULT_MARK).put("begin", BEGIN_MARK).put("end", END_MARK).put("dlopen", DLOPEN_MARK)
        .put("dlopenFailed", DLOPEN_FAILED_MARK).put("phase", PHASE_MARK);
    if (dlopenOnly) {
      c.put("dlopenOnly", true);
    }
    ArrayNode path = c.putArray("path");
    // Lambda's order: the function's code (/var/task), then the layer's site-packages, then /opt/python
    spec.handlerDirs().forEach(d -> path.add(d.toString()));
    path.add(spec.root().resolve(spec.sitePackages()).toString());
    path.add(spec.root().toString());
    c.put("root", spec.root().toString());
    ArrayNode imports = c.putArray("imports");
    spec.imports().forEach(imports::add);
    if (spec.handlerFunction() != null) {
      c.put("handlerFunction", spec.handlerFunction());
    }
    if (spec.script() != null) {
      c.put("script", spec.script().toString());
    }
    if (spec.event() != null) {
      c.put("event", spec.event().toString());
    }
    ArrayNode elf = c.putArray("elf");
    elfObjects.forEach(elf::add);
    return c;
  }

  /** The end of a run's output without the driver's own marks and import-time lines: what the user's code printed. */
  static String userTail(ProcessRunner.ProcessResult r) {
    List<String> lines = r.output().lines().filter(l -> !l.startsWith("LAYERSLIM-") && !l.startsWith("import time:"))
        .toList();
    return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 8), lines.size())).strip();
  }

  /**
   * One run's result; when the process died while loading an ELF object, that object and why.
   */
  record Parsed(Result result, String crashedAt, String crash) {}

  static Parsed parse(Run run, Spec spec, boolean dlopenOnly) {
    ProcessRunner.ProcessResult r = run.process();
    List<Failure> failures = new ArrayList<>();
    List<String> imports = new ArrayList<>();
    List<String> loaded = new ArrayList<>();
    List<String> opened = new ArrayList<>();
    Map<String, String> dlopenFailed = new LinkedHashMap<>();
    int dlopenChecked = 0;
    boolean sawImports = false;
    String loading = null;
    String unreadable = null;
    String phase = null;
    for (String line : run.results()) {
      try {
        if (line.startsWith(PHASE_MARK)) {
          phase = JSON.readTree(line.substring(PHASE_MARK.length())).asText();
        } else if (line.startsWith(DLOPEN_MARK)) {
          loading = JSON.readTree(line.substring(DLOPEN_MARK.length())).asText();
        } else if (line.startsWith(DLOPEN_FAILED_MARK)) {
          JsonNode f = JSON.readTree(line.substring(DLOPEN_FAILED_MARK.length()));
          dlopenFailed.put(f.path(0).asText(), f.path(1).asText());
        } else if (line.startsWith(RESULT_MARK)) {
          JsonNode n = JSON.readTree(line.substring(RESULT_MARK.length()));
          if (n.path("phase").asText().equals("imports")) {
            sawImports = true;
            phase = null;
            n.path("imports").forEach(i -> imports.add(i.asText()));
            n.path("loaded").forEach(i -> loaded.add(i.asText()));
            n.path("opened").forEach(i -> opened.add(i.asText()));
            for (JsonNode f : n.path("failures")) {
              failures.add(new Failure(f.path("check").asText(), f.path("error").asText()));
            }
          } else {
            loading = null;
            dlopenChecked = n.path("checked").asInt();
            n.path("failed").properties().forEach(e -> dlopenFailed.put(e.getKey(), e.getValue().asText()));
          }
        }
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        unreadable = e.getOriginalMessage(); // a line cut short by a crash or the size cap
      }
    }
    String crashedAt = null;
    String crash = null;
    if (r.timedOut()) {
      failures.add(new Failure("timeout", (phase != null ? "the " + phase + " did not end: killed after "
          : "the smoke test was killed after ") + spec.timeout().toSeconds() + " s (--smoke-timeout)"
          + (phase != null || sawImports || dlopenOnly ? "" : " before its imports finished")
          + (loading != null ? " while loading " + loading : "")));
    } else if (!sawImports && !dlopenOnly && phase != null) {
      String signal = SIGNALS.get(r.exitCode());
      String tail = userTail(r);
      failures.add(new Failure("python", "the process " + (signal != null ? "was killed by " + signal
          : "exited with " + r.exitCode()) + " during the " + phase + ", before it returned"
          + (signal != null ? "" : " (something called os._exit(" + r.exitCode() + ") or a C library's exit())")
          + (tail.isEmpty() ? "" : ": " + tail)));
    } else if (!sawImports && !dlopenOnly) {
      failures.add(new Failure("python", "the smoke test exited with " + r.exitCode() + " before reporting"
          + (unreadable != null ? " (its result was cut short: " + unreadable + ")" : "") + ": " + userTail(r)));
    } else if (dlopenChecked == 0 && loading != null) {
      crashedAt = loading;
      String signal = SIGNALS.get(r.exitCode());
      crash = "loading it killed the process (" + (signal != null ? signal + ", " : "") + "exit " + r.exitCode()
          + ")";
    } else if ((dlopenOnly || spec.elf().size() > 0) && dlopenChecked == 0) {
      failures.add(new Failure("dlopen", "the process died (exit " + r.exitCode() + ") while loading ELF objects: "
          + r.tail(8)));
    }
    return new Parsed(new Result(List.copyOf(failures), List.copyOf(imports), List.copyOf(loaded), dlopenChecked,
        Map.copyOf(dlopenFailed), run.times().totalMicros(), run.times().slowest(), spec.elf(), null, opened),
        crashedAt, crash);
  }
}
