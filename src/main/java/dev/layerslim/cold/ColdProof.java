package dev.layerslim.cold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerslim.layer.Trees;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.python.DriverScript;
import dev.layerslim.python.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The proof that a cold sub-package works from the final layer (issue 20, 5c), read-only: in a fresh
 * process with an empty temp dir it imports (the first use: unpacking, its parents' imports and its own
 * {@code __init__}, timed), and then, in another fresh process where nothing of the layer is mapped,
 * each of its ELF objects loads from where it was unpacked, one per forked child: a library another
 * object mapped first cannot make a broken {@code $ORIGIN} RPATH pass. Both run with {@code -B}, so
 * nothing is written into the layer. The driver is the resource {@value #DRIVER}.
 */
final class ColdProof {
  static final String DRIVER = "dev/layerslim/cold/cold_proof.py";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One unit's proof.
   *
   * @param failure what failed, or null when it passed
   * @param importError how the import failed (the exception), when that is what failed
   * @param unpackMillis the unpacking alone, as the loader timed it; -1 when unknown
   * @param importMillis the whole first import
   * @param elfObjects how many ELF objects were loaded
   */
  record Outcome(String module, String failure, String importError, long unpackMillis, long importMillis,
      int elfObjects) {
    Outcome passed(String note) {
      return new Outcome(module, null, note, unpackMillis, importMillis, elfObjects);
    }
  }

  private final BuildContext ctx;
  private final String python;
  private final Path root;
  private final String sitePackages;
  private final String loaderName;
  private final Path dir;
  private final Duration timeout;
  private int runs;

  ColdProof(BuildContext ctx, String python, Path root, String sitePackages, String loaderName, Path dir,
      Duration timeout) {
    this.ctx = ctx;
    this.python = python;
    this.root = root;
    this.sitePackages = sitePackages;
    this.loaderName = loaderName;
    this.dir = dir;
    this.timeout = timeout;
  }

  /**
   * Proves {@code module} (in {@code folder}), whose ELF objects are {@code elf}, relative to the folder.
   * When its import fails, its ELF objects are still loaded from where it was unpacked, and
   * {@link Outcome#importError()} says how the import failed (to compare with the layer without it cold).
   */
  Outcome prove(String module, String folder, List<String> elf) throws IOException {
    Path work = Files.createDirectories(dir);
    Path driver = DriverScript.write(DRIVER, work);
    Path tmp = Trees.emptyFolder(work.resolve("tmp-" + (++runs)));
    Path out = work.resolve("result-" + runs + ".json");
    Imported first = importIn(driver, tmp, out, module);
    if (first.crash() != null) {
      return new Outcome(module, first.crash(), null, -1, -1, 0);
    }
    JsonNode res = first.result();
    long importMillis = res.has("importSeconds") ? Math.round(res.path("importSeconds").asDouble() * 1000) : -1;
    long unpackMillis = res.has("unpackSeconds") ? Math.round(res.path("unpackSeconds").asDouble() * 1000) : -1;
    String importError = res.path("ok").asBoolean() ? null : res.path("error").asText();
    String unpacked = importError == null ? res.path("folder").asText("") : unpackedFolder(tmp, folder);
    if (unpacked == null || (!unpacked.startsWith(tmp.toRealPath().toString()) && !unpacked.startsWith(tmp.toString()))) {
      return new Outcome(module, importError != null ? "import " + module + ": " + importError
          : "import " + module + " found it at " + unpacked + ", not unpacked in the temp dir", importError,
          unpackMillis, importMillis, 0);
    }
    if (!elf.isEmpty()) {
      List<String> cmd = new ArrayList<>(List.of(python, "-I", "-S", "-B", driver.toString(), "dlopen",
          out.toString()));
      elf.forEach(e -> cmd.add(Path.of(unpacked).resolve(e).toString()));
      Files.deleteIfExists(out);
      ProcessRunner.ProcessResult d = run(tmp, cmd);
      if (!Files.isRegularFile(out)) {
        return new Outcome(module, "loading its ELF objects " + ended(d), null, unpackMillis, importMillis, 0);
      }
      JsonNode failed = JSON.readTree(out.toFile()).path("failed");
      if (failed.size() > 0) {
        Map.Entry<String, JsonNode> f = failed.properties().iterator().next();
        return new Outcome(module, failed.size() + " of its " + elf.size() + " ELF objects do not load unpacked ("
            + Path.of(unpacked).relativize(Path.of(f.getKey())) + ": " + f.getValue().asText() + ")", null,
            unpackMillis, importMillis, elf.size() - failed.size());
      }
    }
    Trees.deleteRecursively(tmp);
    return new Outcome(module, importError == null ? null : "import " + module + ": " + importError, importError,
        unpackMillis, importMillis, elf.size());
  }

  /** How importing {@code module} fails from the layer as it is now (null: it imports). */
  String importError(String module) throws IOException {
    Path work = Files.createDirectories(dir);
    Path driver = DriverScript.write(DRIVER, work);
    Path tmp = Trees.emptyFolder(work.resolve("tmp-" + (++runs)));
    Imported r = importIn(driver, tmp, work.resolve("result-" + runs + ".json"), module);
    Trees.deleteRecursively(tmp);
    return r.crash() != null ? r.crash() : r.result().path("ok").asBoolean() ? null : r.result().path("error").asText();
  }

  private record Imported(JsonNode result, String crash) {}

  private Imported importIn(Path driver, Path tmp, Path out, String module) throws IOException {
    Files.deleteIfExists(out);
    ProcessRunner.ProcessResult r = run(tmp, List.of(python, "-I", "-S", "-B", driver.toString(), "import",
        root.toString(), sitePackages, module, loaderName, out.toString()));
    if (!Files.isRegularFile(out)) {
      return new Imported(null, "import " + module + " in a fresh process " + ended(r));
    }
    return new Imported(JSON.readTree(out.toFile()), null);
  }

  /** Where the loader unpacked {@code folder} under {@code tmp}, found on disk (the import failed after it). */
  private static String unpackedFolder(Path tmp, String folder) throws IOException {
    Path base = tmp.resolve("layerslim-cold");
    if (!Files.isDirectory(base)) {
      return null;
    }
    try (var s = Files.list(base)) {
      return s.map(p -> p.resolve(folder)).filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .map(Path::toString).findFirst().orElse(null);
    }
  }

  private ProcessRunner.ProcessResult run(Path tmp, List<String> cmd) throws IOException {
    return ctx.processes().run(ProcessRunner.ProcessRequest.of(cmd).withEnv(Map.of("TMPDIR", tmp.toString()))
        .withWorkingDir(dir).withTimeout(timeout));
  }

  private String ended(ProcessRunner.ProcessResult r) {
    return r.timedOut() ? "was killed after " + timeout.toSeconds() + " s"
        : "ended with exit " + r.exitCode() + ": " + r.tail(6);
  }
}
