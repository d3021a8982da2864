package dev.layerslim.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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
 * writing no bytecode, so the tree it reads is never changed.
 */
public final class ImportProbe {
  static final String RESULT_MARK = "LAYERSLIM-RESULT ";
  static final String BEGIN_MARK = "LAYERSLIM-IMPORTS-BEGIN";
  static final String END_MARK = "LAYERSLIM-IMPORTS-END";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern IMPORT_TIME = Pattern.compile("^import time:\\s+(\\d+) \\|\\s+(\\d+) \\|( *)(\\S+)\\s*$");

  // The driver prints one result line per phase: the imports first, then dlopen, so a crash while
  // loading an ELF object (a segfault in a constructor) still leaves the import result.
  static final String DRIVER = """
      import sys, os, json, importlib

      def describe(e):
          text = type(e).__name__ + ': ' + str(e)
          return text if len(text) < 2000 else text[:2000] + '...'

      def emit(phase, data):
          data['phase'] = phase
          out = sys.__stdout__
          out.write('%s' + json.dumps(data) + '\\n')
          out.flush()

      def main():
          with open(sys.argv[1], encoding='utf-8') as f:
              cfg = json.load(f)
          for p in reversed(cfg['path']):
              sys.path.insert(0, p)
          root = os.path.abspath(cfg['root'])
          failures, imported = [], []
          sys.stderr.write('%s\\n')
          sys.stderr.flush()
          for name in cfg['imports']:
              try:
                  importlib.import_module(name)
                  imported.append(name)
              except BaseException as e:
                  failures.append({'check': 'import ' + name, 'error': describe(e),
                                   'missing': getattr(e, 'name', None)})
          hf = cfg.get('handlerFunction')
          if hf:
              module, _, function = hf.rpartition('.')
              try:
                  m = importlib.import_module(module.replace('/', '.'))
                  if not callable(getattr(m, function)):
                      raise TypeError(function + ' in ' + module + ' is not callable')
              except BaseException as e:
                  failures.append({'check': 'handler ' + hf, 'error': describe(e),
                                   'missing': getattr(e, 'name', None)})
              else:
                  event_file = cfg.get('event')
                  if event_file:
                      # the handler's call on the sample event, as Lambda makes it: call-time imports load here
                      class Context:
                          function_name = 'layerslim-smoke'
                          function_version = '$LATEST'
                          invoked_function_arn = 'arn:aws:lambda:us-east-1:000000000000:function:layerslim-smoke'
                          memory_limit_in_mb = '1024'
                          aws_request_id = '00000000-0000-0000-0000-000000000000'
                          log_group_name = '/aws/lambda/layerslim-smoke'
                          log_stream_name = 'smoke'
                          def get_remaining_time_in_millis(self):
                              return 60000
                      try:
                          with open(event_file, encoding='utf-8') as f:
                              event = json.load(f)
                          getattr(m, function)(event, Context())
                      except BaseException as e:
                          failures.append({'check': 'invoke ' + hf, 'error': describe(e),
                                           'missing': getattr(e, 'name', None)})
          sys.stderr.write('%s\\n')
          sys.stderr.flush()
          script = cfg.get('script')
          if script:
              import runpy
              try:
                  runpy.run_path(script, run_name='__main__')
              except SystemExit as e:
                  if e.code not in (None, 0):
                      failures.append({'check': 'smoke script ' + script, 'error': 'exit ' + str(e.code)})
              except BaseException as e:
                  failures.append({'check': 'smoke script ' + script, 'error': describe(e),
                                   'missing': getattr(e, 'name', None)})
          loaded = set()
          for m in list(sys.modules.values()):
              f = getattr(m, '__file__', None)
              if isinstance(f, str) and f.endswith('.py'):
                  f = os.path.abspath(f)
                  if f.startswith(root + os.sep):
                      loaded.add(os.path.relpath(f, root).replace(os.sep, '/'))
          emit('imports', {'imports': imported, 'failures': failures, 'loaded': sorted(loaded)})
          elf = cfg.get('elf') or []
          if elf:
              import ctypes
              failed = {}
              for rel in elf:
                  try:
                      ctypes.CDLL(os.path.join(root, rel))
                  except BaseException as e:
                      failed[rel] = describe(e)
              emit('dlopen', {'checked': len(elf), 'failed': failed})

      main()
      """.formatted(RESULT_MARK, BEGIN_MARK, END_MARK);

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
   * @param event a sample event (JSON) the handler function is called with, or null ({@code --smoke-event})
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

    /** The same check with the handler called on {@code sampleEvent} (null: not called). */
    public Spec withEvent(Path sampleEvent) {
      return new Spec(python, root, sitePackages, handlerDirs, imports, handlerFunction, script, elf, timeout,
          workDir, sampleEvent);
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
   */
  public record Result(List<Failure> failures, List<String> imports, List<String> loaded, int dlopenChecked,
      Map<String, String> dlopenFailed, long importMicros, List<ModuleTime> slowest, List<String> dlopenTried) {
    public boolean passed() {
      return failures.isEmpty();
    }

    /** True when {@code path} was among the objects this run tried to load and it loaded. */
    public boolean loadedOk(String path) {
      return dlopenChecked > 0 && dlopenTried.contains(path) && !dlopenFailed.containsKey(path);
    }

    public long importMillis() {
      return Math.round(importMicros / 1000.0);
    }
  }

  /** Runs {@code spec} once; a timeout or a crash is a failure of the result, not an exception. */
  public static Result run(ProcessRunner runner, Spec spec) throws IOException {
    Files.createDirectories(spec.workDir());
    Path driver = spec.workDir().resolve("smoke_driver.py");
    Files.writeString(driver, DRIVER, StandardCharsets.UTF_8);
    Path config = Files.createTempFile(spec.workDir(), "smoke-", ".json");
    try {
      ObjectNode configJson = config(spec);
      Files.writeString(config, JSON.writeValueAsString(configJson), StandardCharsets.UTF_8);
      List<String> cmd = List.of(spec.python(), "-I", "-S", "-B", "-X", "importtime", driver.toString(),
          config.toString());
      ProcessRunner.ProcessResult r = runner.run(ProcessRunner.ProcessRequest.of(cmd)
          .withWorkingDir(spec.workDir()).withTimeout(spec.timeout()));
      return parse(r, spec);
    } finally {
      Files.deleteIfExists(config);
    }
  }

  private static ObjectNode config(Spec spec) {
    ObjectNode c = JSON.createObjectNode();
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
    spec.elf().forEach(elf::add);
    return c;
  }

  static Result parse(ProcessRunner.ProcessResult r, Spec spec) throws IOException {
    List<Failure> failures = new ArrayList<>();
    List<String> imports = new ArrayList<>();
    List<String> loaded = new ArrayList<>();
    Map<String, String> dlopenFailed = new LinkedHashMap<>();
    int dlopenChecked = 0;
    boolean sawImports = false;
    List<ModuleTime> times = new ArrayList<>();
    List<Integer> depths = new ArrayList<>();
    boolean timing = false;
    for (String line : r.output().split("\\R")) {
      if (line.startsWith(RESULT_MARK)) {
        JsonNode n = JSON.readTree(line.substring(RESULT_MARK.length()));
        if (n.path("phase").asText().equals("imports")) {
          sawImports = true;
          n.path("imports").forEach(i -> imports.add(i.asText()));
          n.path("loaded").forEach(i -> loaded.add(i.asText()));
          for (JsonNode f : n.path("failures")) {
            failures.add(new Failure(f.path("check").asText(), f.path("error").asText()));
          }
        } else {
          dlopenChecked = n.path("checked").asInt();
          n.path("failed").fields().forEachRemaining(e -> dlopenFailed.put(e.getKey(), e.getValue().asText()));
        }
      } else if (line.equals(BEGIN_MARK)) {
        timing = true;
      } else if (line.equals(END_MARK)) {
        timing = false;
      } else if (timing) {
        Matcher m = IMPORT_TIME.matcher(line);
        if (m.matches()) {
          times.add(new ModuleTime(m.group(4), Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
          depths.add(m.group(3).length());
        }
      }
    }
    if (r.timedOut()) {
      failures.add(new Failure("timeout", "the smoke test was killed after " + spec.timeout().toSeconds()
          + " s (--smoke-timeout)" + (sawImports ? "" : " before its imports finished")));
    } else if (!sawImports) {
      failures.add(new Failure("python", "the smoke test exited with " + r.exitCode() + " before reporting: "
          + r.tail(8)));
    } else if (spec.elf().size() > 0 && dlopenChecked == 0) {
      failures.add(new Failure("dlopen", "the process died (exit " + r.exitCode() + ") while loading ELF objects: "
          + r.tail(8)));
    }
    // a module imported by the driver itself nests one level below what the user's imports start at
    int top = depths.stream().min(Integer::compare).orElse(0);
    long total = 0;
    for (int i = 0; i < times.size(); i++) {
      if (depths.get(i) == top) {
        total += times.get(i).cumulativeMicros();
      }
    }
    List<ModuleTime> slowest = times.stream()
        .sorted(Comparator.comparingLong(ModuleTime::selfMicros).reversed().thenComparing(ModuleTime::module))
        .limit(10).toList();
    return new Result(List.copyOf(failures), List.copyOf(imports), List.copyOf(loaded), dlopenChecked,
        Map.copyOf(dlopenFailed), total, slowest, spec.elf());
  }
}
