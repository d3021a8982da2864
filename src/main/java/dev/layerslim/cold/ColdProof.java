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
   * @param unpackMillis the unpacking alone, as the loader timed it; -1 when unknown
   * @param importMillis the whole first import
   * @param elfObjects how many ELF objects were loaded
   */
  record Outcome(String module, String failure, long unpackMillis, long importMillis, int elfObjects) {}

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

  /** Proves {@code module} (in {@code folder}), whose ELF objects are {@code elf}, relative to the folder. */
  Outcome prove(String module, String folder, List<String> elf) throws IOException {
    Path work = Files.createDirectories(dir);
    Path driver = DriverScript.write(DRIVER, work);
    Path tmp = Trees.emptyFolder(work.resolve("tmp-" + (++runs)));
    Path out = work.resolve("result-" + runs + ".json");
    Files.deleteIfExists(out);
    ProcessRunner.ProcessResult r = run(tmp, List.of(python, "-I", "-S", "-B", driver.toString(), "import",
        root.toString(), sitePackages, module, loaderName, out.toString()));
    if (!Files.isRegularFile(out)) {
      return new Outcome(module, "import " + module + " in a fresh process " + ended(r), -1, -1, 0);
    }
    JsonNode res = JSON.readTree(out.toFile());
    if (!res.path("ok").asBoolean()) {
      return new Outcome(module, "import " + module + ": " + res.path("error").asText(), -1, -1, 0);
    }
    long importMillis = Math.round(res.path("importSeconds").asDouble() * 1000);
    long unpackMillis = res.has("unpackSeconds") ? Math.round(res.path("unpackSeconds").asDouble() * 1000) : -1;
    String unpacked = res.path("folder").asText("");
    if (!unpacked.startsWith(tmp.toRealPath().toString()) && !unpacked.startsWith(tmp.toString())) {
      return new Outcome(module, "import " + module + " found it at " + unpacked + ", not unpacked in the temp dir",
          unpackMillis, importMillis, 0);
    }
    if (!elf.isEmpty()) {
      List<String> cmd = new ArrayList<>(List.of(python, "-I", "-S", "-B", driver.toString(), "dlopen",
          out.toString()));
      elf.forEach(e -> cmd.add(Path.of(unpacked).resolve(e).toString()));
      Files.deleteIfExists(out);
      ProcessRunner.ProcessResult d = run(tmp, cmd);
      if (!Files.isRegularFile(out)) {
        return new Outcome(module, "loading its ELF objects " + ended(d), unpackMillis, importMillis, 0);
      }
      JsonNode failed = JSON.readTree(out.toFile()).path("failed");
      if (failed.size() > 0) {
        Map.Entry<String, JsonNode> first = failed.fields().next();
        return new Outcome(module, failed.size() + " of its " + elf.size() + " ELF objects do not load unpacked ("
            + Path.of(unpacked).relativize(Path.of(first.getKey())) + ": " + first.getValue().asText() + ")",
            unpackMillis, importMillis, elf.size() - failed.size());
      }
    }
    Trees.deleteRecursively(tmp);
    return new Outcome(module, null, unpackMillis, importMillis, elf.size());
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
