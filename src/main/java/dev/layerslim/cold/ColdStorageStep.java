package dev.layerslim.cold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.Glob;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Names;
import dev.layerslim.layer.Ownership;
import dev.layerslim.layer.Sizes;
import dev.layerslim.layer.Trees;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.ColdResult;
import dev.layerslim.pipeline.SmokeResult;
import dev.layerslim.pipeline.StagedLayer;
import dev.layerslim.pipeline.Step;
import dev.layerslim.python.DriverScript;
import dev.layerslim.python.ProcessRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Cold storage ({@code --cold-storage}): a sub-package the hot path (the handler's import, its call on
 * {@code --smoke-event}, {@code --smoke-import}, {@code --smoke-script}) never loads and opens no file
 * in is kept in the layer as one archive behind a stub {@code __init__.py}; on its first import the
 * stub unpacks it into the temp dir and loads the real package in its place (the loader, shipped at
 * the layer's root with its pyc, is the resource {@value #LOADER}). Which units qualify is
 * {@link ColdPlanner}'s decision; the archives are written by the target interpreter ({@value #PACKER}:
 * tar.xz when it has {@code lzma}, else zip), deterministically. Then every cold unit is proven on the
 * final layer, in fresh processes with an empty temp dir ({@link ColdProof}): it imports, and its ELF
 * objects load from where it was unpacked; one that fails goes back into the layer as it was (a warning
 * names it), and the first-use times are the report's.
 *
 * <p>Constructed with {@code apply == false} it changes nothing: it packs into the work folder and
 * returns what would go cold and the bytes it would save on this layer, measured (the fit plan's figure).
 */
public final class ColdStorageStep implements Step<ColdResult> {
  static final String LOADER = "dev/layerslim/cold/cold_loader.py";
  static final String PACKER = "dev/layerslim/cold/cold_pack.py";
  static final String ARCHIVE_PREFIX = "_layerslim_cold.";
  /** A unit that would save less stays as it is: each cold unit costs an unpack at first use. */
  static final long MIN_SAVING = 32 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SmokeResult smoke;
  private final StagedLayer layer;
  private final Ownership ownership;
  private final List<String> includeGlobs;
  private final int smokeTimeoutSeconds;
  private final boolean apply;

  /**
   * Cold storage over {@code layer} (the final layer but for the zip), the hot path being what
   * {@code smoke} loaded and opened; {@code ownership} says which distribution owns each file.
   * What {@code include} (the {@code --include} globs) matches stays hot; each proof run gets
   * {@code smokeTimeoutSeconds} (the smoke test's timeout), 30 at least.
   */
  public ColdStorageStep(SmokeResult smoke, StagedLayer layer, Ownership ownership, List<String> include,
      int smokeTimeoutSeconds, boolean apply) {
    this.smoke = smoke;
    this.layer = layer;
    this.ownership = ownership;
    this.includeGlobs = List.copyOf(include);
    this.smokeTimeoutSeconds = smokeTimeoutSeconds;
    this.apply = apply;
  }

  @Override
  public String name() {
    return "cold-storage";
  }

  @Override
  public String title() {
    return apply ? "Keeping what the hot path never loads compressed" : "Measuring what cold storage would save";
  }

  /** One packed unit: the plan's candidate, its key, and what stands in for it. */
  private record Packed(ColdPlanner.Candidate unit, String key, String archiveName, Path archive, long storedBytes) {}

  @Override
  public ColdResult run(BuildContext ctx) throws IOException {
    if (!smoke.ran() || !smoke.after().passed()) {
      String why = !smoke.ran() ? "no smoke test ran" + (smoke.notRun() != null ? " (" + smoke.notRun() + ")" : "")
          : "the smoke test failed";
      if (apply) {
        ctx.warn(name(), ctx.vocabulary().on("cold-storage")
            + " needs the smoke test to know what the hot path loads, and " + why
            + ": nothing goes cold");
      }
      return report(ctx, ColdResult.skipped(layer, why), null);
    }
    Set<String> hot = new LinkedHashSet<>(smoke.after().loaded());
    hot.addAll(smoke.after().opened());
    List<Glob> include = includeGlobs.stream().map(g -> Glob.compile(g, "--include")).toList();
    String why = "the hot path (" + smoke.spec().describe() + ") loads no module of it and opens no file in it";
    ColdPlanner.Plan plan = ColdPlanner.plan(new ColdPlanner.Input(layer.tree(), ownership, hot, include, why));
    Map<String, String> refused = new TreeMap<>(plan.refused());
    if (plan.cold().isEmpty()) {
      return report(ctx, result(layer, false, null, List.of(), refused, 0), null);
    }
    Path dir = Trees.emptyFolder(ctx.workDir().resolve("cold"));
    byte[] loaderSource = resource(LOADER);
    String loaderName = "_layerslim_cold_" + sha256(loaderSource).substring(0, 12);
    Path stubs = Files.createDirectories(dir.resolve("stubs"));
    Files.write(stubs.resolve(loaderName + ".py"), loaderSource);
    List<Packed> packed = pack(ctx, dir, stubs, loaderName, plan.cold());
    String format = packed.isEmpty() ? null : packed.get(0).archiveName().endsWith(".zip") ? "zip" : "tar.xz";
    long loaderBytes = Files.size(stubs.resolve(loaderName + ".py")) + pycBytes(stubs, loaderName);
    // a unit that would not get smaller stays as it is
    List<Packed> worth = new ArrayList<>();
    for (Packed p : packed) {
      if (p.unit().bytes() - p.storedBytes() < MIN_SAVING) {
        refused.put(p.unit().folder(), "compressed with its stub it would save "
            + Sizes.human(Math.max(0, p.unit().bytes() - p.storedBytes())) + " of " + Sizes.human(p.unit().bytes())
            + ": under " + Sizes.human(MIN_SAVING) + ", not worth an unpack at first use");
      } else {
        worth.add(p);
      }
    }
    if (!apply || worth.isEmpty()) {
      List<ColdResult.Unit> units = worth.stream().map(p -> unit(p, -1, -1, null)).toList();
      return report(ctx, result(layer, false, format, units, refused, loaderBytes), null);
    }
    Path originals = Files.createDirectories(dir.resolve("hot"));
    for (Packed p : worth) {
      place(layer.root(), stubs, originals, p);
    }
    copyLoader(layer.root(), stubs, loaderName);
    ColdProof proof = new ColdProof(ctx, smoke.spec().python(), layer.root(), smoke.spec().sitePackages(),
        loaderName, dir.resolve("proof"), Duration.ofSeconds(Math.max(30, smokeTimeoutSeconds)));
    LayerTree before = LayerTree.scan(layer.root());
    List<ColdResult.Unit> units = new ArrayList<>();
    List<ColdProof.Outcome> outcomes = new ArrayList<>();
    Set<String> restored = new java.util.HashSet<>();
    for (Packed p : worth) {
      ColdProof.Outcome o = proof.prove(p.unit().module(), p.unit().folder(), elfObjects(p.unit()));
      if (o.failure() != null) {
        restore(layer.root(), originals, p);
        if (o.importError() != null && o.elfObjects() == elfObjects(p.unit()).size()
            && o.importError().equals(proof.importError(p.unit().module()))) {
          // it fails just the same uncompressed (an optional dependency the layer lacks): cold changes nothing
          place(layer.root(), stubs, originals, p);
          o = o.passed("fails to import uncompressed too, the same way: " + o.importError());
        }
      }
      outcomes.add(o);
      if (o.failure() != null) {
        restored.add(p.unit().folder());
        refused.put(p.unit().folder(), "the proof failed, so it stays as it was: " + o.failure());
        ctx.warn(name(), p.unit().module() + " stays uncompressed: " + o.failure());
      } else {
        units.add(unit(p, o.unpackMillis(), o.importMillis(), o.importError()));
      }
    }
    String changed = changedFiles(before, LayerTree.scan(layer.root()), restored);
    if (changed != null) {
      throw LayerslimException.stepFailed("importing the cold sub-packages wrote into the layer (" + changed
          + "), which Lambda mounts read-only: leave out " + ctx.vocabulary().on("cold-storage") + ", or "
          + ctx.vocabulary().option("include") + " what writes there");
    }
    if (units.isEmpty()) {
      Files.deleteIfExists(layer.root().resolve(loaderName + ".py"));
      for (Path pyc : loaderPycs(layer.root().resolve("__pycache__"), loaderName)) {
        Files.deleteIfExists(pyc);
      }
    }
    StagedLayer after = layer.rescan();
    return report(ctx, result(after, true, format, units, refused, units.isEmpty() ? 0 : loaderBytes), outcomes);
  }

  private static ColdResult result(StagedLayer layer, boolean applied, String format, List<ColdResult.Unit> units,
      Map<String, String> refused, long loaderBytes) {
    List<ColdResult.Refused> r = new ArrayList<>();
    refused.forEach((folder, why) -> r.add(new ColdResult.Refused(folder, folder.replace('/', '.'), why)));
    return new ColdResult(layer, applied && !units.isEmpty(), format, units, r, loaderBytes, null);
  }

  private static ColdResult.Unit unit(Packed p, long unpackMillis, long importMillis, String note) {
    ColdPlanner.Candidate c = p.unit();
    return new ColdResult.Unit(c.folder(), c.module(), c.files().size(), c.bytes(), p.storedBytes(),
        note == null ? c.why() : c.why() + "; it " + note, unpackMillis, importMillis);
  }

  /**
   * Writes one archive per unit and the stubs, and compiles the stubs and the loader, all with the
   * target interpreter, into {@code dir}; the layer is not touched.
   */
  private List<Packed> pack(BuildContext ctx, Path dir, Path stubs, String loaderName,
      List<ColdPlanner.Candidate> cold) throws IOException {
    Path archives = Files.createDirectories(dir.resolve("archives"));
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    request.put("format", "auto");
    ArrayNode units = request.putArray("units");
    ArrayNode compile = request.putArray("compile");
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < cold.size(); i++) {
      ColdPlanner.Candidate c = cold.get(i);
      String key = contentKey(layer.root(), c, loaderName);
      keys.add(key);
      ArrayNode files = units.addObject().put("root", layer.root().toString()).put("prefix", c.folder() + "/")
          .put("out", archives.resolve(i + "-" + key).toString()).putArray("files");
      c.archived().forEach(f -> files.add(f.path()));
    }
    compile.addObject().put("src", stubs.resolve(loaderName + ".py").toString())
        .put("shown", Names.LAMBDA_LAYER_PYTHON + loaderName + ".py");
    // the format is the packer's choice (lzma present or not): the stubs are written once it is known
    Path requestFile = dir.resolve("pack.json");
    Path resultFile = dir.resolve("packed.json");
    Files.write(requestFile, JSON.writeValueAsBytes(request));
    JsonNode packed = runPacker(ctx, requestFile, resultFile);
    String format = packed.path("format").asText();
    ObjectNode stubRequest = JsonNodeFactory.instance.objectNode();
    stubRequest.putArray("units");
    ArrayNode stubCompile = stubRequest.putArray("compile");
    List<Packed> out = new ArrayList<>();
    for (int i = 0; i < cold.size(); i++) {
      ColdPlanner.Candidate c = cold.get(i);
      String archiveName = ARCHIVE_PREFIX + keys.get(i) + "." + format;
      Path stub = Files.createDirectories(stubs.resolve(c.folder())).resolve("__init__.py");
      Files.writeString(stub, stub(c.module(), c.folder(), archiveName, keys.get(i), loaderName),
          StandardCharsets.UTF_8);
      stubCompile.addObject().put("src", stub.toString())
          .put("shown", Names.LAMBDA_LAYER_PYTHON + c.folder() + "/__init__.py");
      Path archive = Path.of(packed.path("units").path(i).path("out").asText());
      out.add(new Packed(c, keys.get(i), archiveName, archive, 0));
    }
    Files.write(requestFile, JSON.writeValueAsBytes(stubRequest));
    runPacker(ctx, requestFile, resultFile);
    List<Packed> sized = new ArrayList<>();
    for (Packed p : out) {
      Path stubDir = stubs.resolve(p.unit().folder());
      long stored = Files.size(p.archive()) + Files.size(stubDir.resolve("__init__.py")) + pycBytes(stubDir, "__init__");
      sized.add(new Packed(p.unit(), p.key(), p.archiveName(), p.archive(), stored));
    }
    return sized;
  }

  private JsonNode runPacker(BuildContext ctx, Path request, Path result) throws IOException {
    Path script = DriverScript.write(PACKER, request.getParent());
    ProcessRunner.ProcessResult r = ctx.processes().run(ProcessRunner.ProcessRequest.of(
        List.of(smoke.spec().python(), "-I", script.toString(), request.toString(), result.toString()))
        .withTimeout(Duration.ofMinutes(30)));
    if (!r.ok()) {
      throw LayerslimException.stepFailed("packing the cold sub-packages with " + smoke.spec().python() + " failed"
          + (r.timedOut() ? " (timed out)" : " (exit " + r.exitCode() + ")") + ": " + r.tail(8));
    }
    return JSON.readTree(result.toFile());
  }

  /** The stub {@code __init__.py} that stands in for {@code module}: it hands its globals to the loader. */
  static String stub(String module, String folder, String archiveName, String key, String loaderName) {
    int depth = folder.split("/").length + 1;
    return "# layerslim cold storage: " + module + " is kept compressed in this folder (" + archiveName + ")\n"
        + "# and unpacked into the temp dir on its first import by " + loaderName + ".py at the layer's root.\n"
        + "def _layerslim_cold():\n"
        + "    import os\n"
        + "    import sys\n"
        + "    name = " + py(loaderName) + "\n"
        + "    loader = sys.modules.get(name)\n"
        + "    if loader is None:\n"
        + "        import importlib.util\n"
        + "        root = os.path.abspath(__file__)\n"
        + "        for _ in range(" + depth + "):\n"
        + "            root = os.path.dirname(root)\n"
        + "        spec = importlib.util.spec_from_file_location(name, os.path.join(root, name + '.py'))\n"
        + "        loader = importlib.util.module_from_spec(spec)\n"
        + "        sys.modules[name] = loader\n"
        + "        spec.loader.exec_module(loader)\n"
        + "    loader.load(globals(), " + py(folder) + ", " + py(archiveName) + ", " + py(key) + ")\n"
        + "\n"
        + "\n"
        + "_layerslim_cold()\n";
  }

  /** A Python string literal. */
  private static String py(String s) {
    StringBuilder b = new StringBuilder("'");
    for (char c : s.toCharArray()) {
      if (c == '\\' || c == '\'') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('\'').toString();
  }

  /**
   * Names the unpacked copy: the unit's files (names and bytes) and the loader's version, so two layers
   * merged into one {@code /opt/python} never share a folder unless they hold the very same files.
   */
  private static String contentKey(Path root, ColdPlanner.Candidate c, String loaderName) throws IOException {
    MessageDigest md = digest();
    md.update(loaderName.getBytes(StandardCharsets.UTF_8));
    byte[] buf = new byte[1 << 16];
    for (FileEntry f : c.archived()) {
      md.update((f.path() + "\0" + f.size() + "\0").getBytes(StandardCharsets.UTF_8));
      try (InputStream in = Files.newInputStream(root.resolve(f.path()))) {
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      }
    }
    return HexFormat.of().formatHex(md.digest()).substring(0, 16);
  }

  /** Moves the unit's folder out of the layer (kept to restore it) and puts the archive and the stub in its place. */
  private static void place(Path root, Path stubs, Path originals, Packed p) throws IOException {
    Path folder = root.resolve(p.unit().folder());
    Path kept = originals.resolve(p.unit().folder());
    Files.createDirectories(kept.getParent());
    Files.move(folder, kept);
    Files.createDirectories(folder.resolve("__pycache__"));
    Files.copy(p.archive(), folder.resolve(p.archiveName()));
    Path stubDir = stubs.resolve(p.unit().folder());
    Files.copy(stubDir.resolve("__init__.py"), folder.resolve("__init__.py"));
    for (Path pyc : loaderPycs(stubDir.resolve("__pycache__"), "__init__")) {
      Files.copy(pyc, folder.resolve("__pycache__").resolve(pyc.getFileName()));
    }
  }

  /** Puts a unit back as it was. */
  private static void restore(Path root, Path originals, Packed p) throws IOException {
    Path folder = root.resolve(p.unit().folder());
    Trees.deleteRecursively(folder);
    Files.move(originals.resolve(p.unit().folder()), folder);
  }

  private static void copyLoader(Path root, Path stubs, String loaderName) throws IOException {
    Files.copy(stubs.resolve(loaderName + ".py"), root.resolve(loaderName + ".py"), StandardCopyOption.REPLACE_EXISTING);
    Path cache = Files.createDirectories(root.resolve("__pycache__"));
    for (Path pyc : loaderPycs(stubs.resolve("__pycache__"), loaderName)) {
      Files.copy(pyc, cache.resolve(pyc.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The pycs of module {@code stem} in a {@code __pycache__} folder ({@code stem.cpython-311.pyc}). */
  private static List<Path> loaderPycs(Path cache, String stem) throws IOException {
    if (!Files.isDirectory(cache)) {
      return List.of();
    }
    try (var s = Files.list(cache)) {
      return s.filter(p -> {
        String n = p.getFileName().toString();
        return n.startsWith(stem + ".") && n.endsWith(".pyc");
      }).sorted().toList();
    }
  }

  private static long pycBytes(Path dir, String stem) throws IOException {
    long n = 0;
    for (Path p : loaderPycs(dir.resolve("__pycache__"), stem)) {
      n += Files.size(p);
    }
    return n;
  }

  private static List<String> elfObjects(ColdPlanner.Candidate c) {
    return c.archived().stream().filter(FileEntry::elf).map(f -> f.path().substring(c.folder().length() + 1)).toList();
  }

  /** The first difference between two scans of the layer outside the {@code restored} units, or null. */
  private static String changedFiles(LayerTree a, LayerTree b, Set<String> restored) {
    Map<String, Long> before = new TreeMap<>();
    a.files().stream().filter(f -> !under(f.path(), restored)).forEach(f -> before.put(f.path(), f.size()));
    for (FileEntry f : b.files()) {
      if (under(f.path(), restored)) {
        continue;
      }
      Long size = before.remove(f.path());
      if (size == null || size != f.size()) {
        return f.path() + (size == null ? " appeared" : " changed");
      }
    }
    return before.isEmpty() ? null : before.keySet().iterator().next() + " disappeared";
  }

  private static boolean under(String path, Set<String> folders) {
    for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      if (folders.contains(path.substring(0, slash))) {
        return true;
      }
    }
    return false;
  }

  private ColdResult report(BuildContext ctx, ColdResult r, List<ColdProof.Outcome> outcomes) {
    ctx.reportSection(ColdReport.section(r, apply, outcomes));
    if (apply) {
      ctx.markdownSection(58, ColdReport.markdown(r));
    }
    ctx.stepSummary(ColdReport.summary(r, apply));
    return r;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ColdStorageStep.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + name + " is missing from layerslim's build");
      }
      return in.readAllBytes();
    }
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
