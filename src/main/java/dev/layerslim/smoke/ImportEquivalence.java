package dev.layerslim.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layerslim.python.DriverScript;
import dev.layerslim.python.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Imports every module of a list, in fresh processes of {@value #BATCH} modules each, over one tree,
 * and says how each import ended: the input and the layer are run the same way, in the same order,
 * and compared by {@link ProofStep}. A process that dies or hangs costs only the module it was
 * importing (named as such); the rest go on in a new process.
 */
final class ImportEquivalence {
  /** Modules per process: few enough that a crash or hang loses little, many enough to share parents' imports. */
  static final int BATCH = 400;
  static final String DRIVER = "dev/layerslim/smoke/import_equivalence.py";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /**
   * Module names never imported: scripts ({@code __main__}, {@code setup}), pytest's
   * {@code conftest} and test modules, which only a test runner loads and which may do anything.
   */
  private static final Set<String> NOT_IMPORTED = Set.of("__main__", "setup", "conftest");
  private static final Set<String> TEST_FOLDERS = Set.of("tests", "test");

  /**
   * How one import ended: {@code null} error when it imported; {@code missing} is the module an
   * ImportError names, or null.
   */
  record Outcome(String module, String error, String message, String missing) {
    Outcome(String module, String error, String message) {
      this(module, error, message, null);
    }

    boolean ok() {
      return error == null;
    }
  }

  private ImportEquivalence() {}

  /**
   * The module a file of the tree is, or null when it is none, or one that is not imported: a
   * test, a script, a name Python cannot import, anything under {@code *.dist-info} or {@code bin/}.
   * {@code pkg/__init__.py} is {@code pkg}; {@code pkg/_x.cpython-311-x86_64-linux-gnu.so} is
   * {@code pkg._x}.
   */
  static String moduleOf(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    String stem;
    if (name.endsWith(".py")) {
      stem = name.substring(0, name.length() - 3);
    } else if ((name.endsWith(".so") || name.endsWith(".pyd")) && name.indexOf('.') > 0) {
      stem = name.substring(0, name.indexOf('.'));
    } else {
      return null;
    }
    List<String> parts = new ArrayList<>(List.of(path.split("/")));
    parts.set(parts.size() - 1, stem);
    if (stem.equals("__init__")) {
      parts.remove(parts.size() - 1);
    }
    if (parts.isEmpty() || NOT_IMPORTED.contains(parts.get(parts.size() - 1))
        || parts.get(parts.size() - 1).startsWith("test_")) {
      return null;
    }
    for (String p : parts) {
      if (!IDENTIFIER.matcher(p).matches() || TEST_FOLDERS.contains(p)) {
        return null;
      }
    }
    return String.join(".", parts);
  }

  /**
   * Imports {@code modules} over the folders {@code path} (first on sys.path), with {@code python}
   * isolated ({@code -I -S -B}); scratch files go in {@code work}.
   */
  static Map<String, Outcome> run(ProcessRunner runner, String python, List<Path> path, List<String> modules,
      Path work, Duration timeout) throws IOException {
    Files.createDirectories(work);
    Path driver = DriverScript.write(DRIVER, work);
    Map<String, Outcome> out = new LinkedHashMap<>();
    List<String> rest = new ArrayList<>(modules);
    while (!rest.isEmpty()) {
      List<String> batch = rest.subList(0, Math.min(BATCH, rest.size()));
      Path request = Files.createTempFile(work, "import-", ".json");
      Path result = Files.createTempFile(work, "import-", ".result");
      try {
        ObjectNode req = JSON.createObjectNode();
        ArrayNode p = req.putArray("path");
        path.forEach(x -> p.add(x.toString()));
        ArrayNode m = req.putArray("modules");
        batch.forEach(m::add);
        req.put("out", result.toString());
        Files.writeString(request, JSON.writeValueAsString(req), StandardCharsets.UTF_8);
        ProcessRunner.ProcessResult r = runner.run(ProcessRunner.ProcessRequest.of(
            List.of(python, "-I", "-S", "-B", driver.toString(), request.toString())).withWorkingDir(work)
            .withTimeout(timeout));
        String started = null;
        int done = 0;
        for (String line : Files.readAllLines(result, StandardCharsets.UTF_8)) {
          JsonNode n;
          try {
            n = JSON.readTree(line);
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            break; // cut short by the process's death
          }
          if (n.has("start")) {
            started = n.path("start").asText();
          } else if (n.has("m")) {
            String name = n.path("m").asText();
            out.put(name, new Outcome(name, n.path("ok").asBoolean(false) ? null : n.path("error").asText(),
                n.path("message").asText(null), n.path("missing").asText(null)));
            started = null;
            done++;
          }
        }
        if (started != null) {
          // the process died or hung in this import: it ends this way in this tree, and the rest goes on
          out.put(started, new Outcome(started, r.timedOut() ? "Timeout" : "ProcessDied",
              r.timedOut() ? "killed after " + timeout.toSeconds() + " s" : "the process exited with " + r.exitCode()));
          done++;
        } else if (done < batch.size()) {
          // died before its first import: the interpreter or the driver cannot run here
          throw new IOException("importing modules with " + python + " failed (exit " + r.exitCode() + "): "
              + r.tail(8));
        }
        rest = new ArrayList<>(rest.subList(done, rest.size()));
      } finally {
        Files.deleteIfExists(request);
        Files.deleteIfExists(result);
      }
    }
    return out;
  }

  /** The modules in a tree's file list (sorted, each once). */
  static List<String> modules(Iterable<String> paths) {
    Set<String> names = new TreeSet<>();
    for (String p : paths) {
      String m = moduleOf(p);
      if (m != null) {
        names.add(m);
      }
    }
    return List.copyOf(names);
  }
}
