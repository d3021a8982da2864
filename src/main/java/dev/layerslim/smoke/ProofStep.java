package dev.layerslim.smoke;

import dev.layerslim.layer.Plural;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.Ownership;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BytecodeMode;
import dev.layerslim.pipeline.ColdResult;
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.pipeline.SmokeResult;
import dev.layerslim.pipeline.StagedLayer;
import dev.layerslim.pipeline.Step;
import dev.layerslim.reportfile.Report;
import dev.layerslim.python.ImportProbe;
import dev.layerslim.python.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Proofs that the final layer behaves like its input, each run in fresh processes with an empty temp
 * dir (what a cold start on Lambda has), over the layer as it will be zipped, read only:
 *
 * <ul>
 *   <li><b>the handler's result</b> ({@code --smoke-event}): the handler is called on the event over the
 *       input and over the layer, and the two JSON results (keys sorted) must be equal; a layer that
 *       answers otherwise is healed as the smoke test heals (the removals bisected to the ones the
 *       answer needs, kept), and when nothing heals it the build fails naming both answers;
 *   <li><b>import equivalence</b> (with {@code --prune-modules}, {@code --cold-storage} or
 *       {@code --bytecode sourceless}, the levers that change which modules a call finds): every
 *       module of the distributions in the layer whose file ships is imported over the input and over
 *       the layer; one that imports in the input must import in the layer (else healed, or named in a
 *       failed build), and one that fails in both must fail with the same exception type. Test modules
 *       ({@code tests/}, {@code test/}, {@code test_*}, {@code conftest}) and scripts
 *       ({@code __main__}, {@code setup}) are never imported: only a test runner or a shell runs them.
 * </ul>
 */
public final class ProofStep implements Step<StagedLayer> {
  private final InstallResult install;
  private final SmokeResult smoke;
  private final ColdResult cold;
  private final boolean proveImports;

  /**
   * Proves {@code cold.layer()}, built from {@code install}, which {@code smoke} tested; the imports
   * are proved when a lever changes which modules a call finds ({@link #importsProved}).
   */
  public ProofStep(InstallResult install, SmokeResult smoke, ColdResult cold, boolean proveImports) {
    this.install = install;
    this.smoke = smoke;
    this.cold = cold;
    this.proveImports = proveImports;
  }

  @Override
  public String name() {
    return "proof";
  }

  @Override
  public String title() {
    return "Proving the layer behaves like its input";
  }

  /** Whether the import-equivalence proof runs for these options. */
  public static boolean importsProved(dev.layerslim.pipeline.BuildOptions o) {
    return o.prune().pruneModules() || o.coldStorage() || o.bytecode() == BytecodeMode.SOURCELESS;
  }

  @Override
  public StagedLayer run(BuildContext ctx) throws IOException {
    StagedLayer layer = cold.layer();
    ImportProbe.Spec spec = smoke.spec();
    Section section = new Section();
    StringBuilder md = new StringBuilder("## Proofs: the layer behaves like its input\n\n");
    List<String> summary = new ArrayList<>();
    Path work = ctx.workDir().resolve("proof");
    BuildContext fresh = ctx.withProcesses(emptyTempDir(ctx.processes(), work.resolve("tmp")));
    boolean healed = false;
    if (spec.handlerFunction() != null && spec.event() != null) {
      healed |= handlerResult(ctx, fresh, layer, spec, work, section, md, summary);
    }
    if (proveImports) {
      healed |= imports(ctx, fresh, healed ? layer.rescan() : layer, spec, work, section, md, summary);
    }
    if (section.handler == null && section.imports == null) {
      ctx.stepSummary("nothing to prove: no --smoke-event, and no lever that changes which modules a call finds");
      return layer;
    }
    ctx.reportSection(new Report.Proofs(section.handler, section.imports));
    ctx.markdownSection(62, md.toString());
    ctx.stepSummary(String.join("; ", summary));
    return healed ? layer.rescan() : layer;
  }

  /**
   * Runs through {@code runner} with {@code TMPDIR} set to a new empty folder below {@code base} for
   * each process, deleted after it.
   */
  static ProcessRunner emptyTempDir(ProcessRunner runner, Path base) {
    return request -> {
      Files.createDirectories(base);
      Path tmp = Files.createTempDirectory(base, "tmp-");
      try {
        Map<String, String> env = new HashMap<>(request.env());
        env.put("TMPDIR", tmp.toString());
        return runner.run(request.withEnv(env));
      } finally {
        deleteTree(tmp);
      }
    };
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        if (!Files.isWritable(p.getParent())) {
          p.getParent().toFile().setWritable(true);
        }
        Files.deleteIfExists(p);
      }
    }
  }

  /** (a) The handler's answer on the event, input against layer; true when healing changed the layer. */
  private boolean handlerResult(BuildContext ctx, BuildContext fresh, StagedLayer layer, ImportProbe.Spec spec,
      Path work, Section section, StringBuilder md, List<String> summary) throws IOException {
    long start = System.nanoTime();
    Files.createDirectories(work);
    Path answer = work.resolve("input-answer.json");
    Files.deleteIfExists(answer);
    ImportProbe.Spec input = withScript(spec.withTree(install.sourceRoot(), List.of()),
        script(work.resolve("record_answer.py"), spec, null, answer));
    ImportProbe.Result in = ImportProbe.run(fresh.processes(), input);
    if (!in.passed() || !Files.isRegularFile(answer)) {
      section.handler = new Report.HandlerResult(false, "the handler fails on the input: "
          + Healer.failureDetails(in, in), null, null, null, null);
      ctx.warn(name(), "the handler's answer is not compared: it fails on the input ("
          + Healer.failureDetails(in, in) + ")");
      return false;
    }
    String expected = Files.readString(answer, StandardCharsets.UTF_8);
    ImportProbe.Spec onLayer = withScript(spec.withTree(layer.root(), List.of()),
        script(work.resolve("compare_answer.py"), spec, expected, null));
    ImportProbe.Result after = ImportProbe.run(fresh.processes(), onLayer);
    List<Healer.Healed> healed = List.of();
    if (!after.passed()) {
      ctx.warn(name(), "the layer answers otherwise than its input (" + Healer.failureDetails(in, after)
          + "): looking for the change that broke it");
      Healer.Outcome outcome = new Healer(fresh, install, layer.root(), smoke.removals(), onLayer, in).heal(after);
      healed = outcome.healed();
      healed.forEach(h -> ctx.warn(name(), h.sentence()));
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    section.handler = new Report.HandlerResult(true, null, true, abbreviate(expected, 2000), millis, healed(healed));
    md.append("- ✅ The handler's answer on the sample event is the same as on the input (`")
        .append(abbreviate(expected, 200).replace("`", "'")).append("`), ").append(millis).append(" ms")
        .append(healed.isEmpty() ? "" : "; healed: " + String.join("; ", healed.stream().map(Healer.Healed::sentence)
            .toList())).append(".\n");
    summary.add("same answer as the input" + (healed.isEmpty() ? "" : " after healing " + Plural.count(healed.size(), "removal")));
    return !healed.isEmpty();
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }

  private static ImportProbe.Spec withScript(ImportProbe.Spec s, Path script) {
    return new ImportProbe.Spec(s.python(), s.root(), s.sitePackages(), s.handlerDirs(), s.imports(),
        s.handlerFunction(), script, s.elf(), s.timeout(), s.workDir(), s.event());
  }

  /**
   * The smoke script that calls the handler on the event as Lambda would and writes its answer,
   * JSON with sorted keys, to {@code out}; or, given {@code expected}, raises naming both answers when
   * they differ.
   */
  private static Path script(Path file, ImportProbe.Spec spec, String expected, Path out) throws IOException {
    String text = String.join("\n",
        "import importlib, json",
        "HF = " + pyString(spec.handlerFunction()),
        "EVENT = " + pyString(spec.event().toString()),
        "EXPECTED = " + (expected == null ? "None" : pyString(expected)),
        "OUT = " + (out == null ? "None" : pyString(out.toString())),
        "class Context:",
        "    function_name = 'layerslim-proof'",
        "    function_version = '$LATEST'",
        "    invoked_function_arn = 'arn:aws:lambda:us-east-1:000000000000:function:layerslim-proof'",
        "    memory_limit_in_mb = '1024'",
        "    aws_request_id = '00000000-0000-0000-0000-000000000000'",
        "    log_group_name = '/aws/lambda/layerslim-proof'",
        "    log_stream_name = 'proof'",
        "    def get_remaining_time_in_millis(self):",
        "        return 60000",
        "module, _, function = HF.rpartition('.')",
        "handler = getattr(importlib.import_module(module.replace('/', '.')), function)",
        "with open(EVENT, encoding='utf-8') as f:",
        "    event = json.load(f)",
        "result = handler(event, Context())",
        "try:",
        "    answer = json.dumps(result, sort_keys=True, separators=(',', ':'), ensure_ascii=False)",
        "except (TypeError, ValueError) as e:",
        "    answer = 'not JSON (' + type(e).__name__ + '): ' + type(result).__name__",
        "if OUT is not None:",
        "    with open(OUT, 'w', encoding='utf-8') as f:",
        "        f.write(answer)",
        "if EXPECTED is not None and answer != EXPECTED:",
        "    def cut(s):",
        "        return s if len(s) <= 1500 else s[:1500] + '...'",
        "    raise AssertionError(HF + ' answers ' + cut(answer) + ' in the layer but ' + cut(EXPECTED)"
            + " + ' on the input')",
        "");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static String pyString(String s) {
    StringBuilder b = new StringBuilder("'");
    for (char c : s.toCharArray()) {
      if (c == '\\' || c == '\'') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('\'').toString();
  }

  /** (b) Import equivalence; true when healing changed the layer. */
  private boolean imports(BuildContext ctx, BuildContext fresh, StagedLayer layer, ImportProbe.Spec spec, Path work,
      Section section, StringBuilder md, List<String> summary) throws IOException {
    List<String> modules = ImportEquivalence.modules(shippedModuleFiles(layer));
    String sp = spec.sitePackages();
    long t0 = System.nanoTime();
    Map<String, ImportEquivalence.Outcome> in = ImportEquivalence.run(fresh.processes(), spec.python(),
        List.of(install.sourceRoot().resolve(sp), install.sourceRoot()), modules, work.resolve("imports-input"),
        spec.timeout().multipliedBy(2));
    long t1 = System.nanoTime();
    Map<String, ImportEquivalence.Outcome> out = ImportEquivalence.run(fresh.processes(), spec.python(),
        List.of(layer.root().resolve(sp), layer.root()), modules, work.resolve("imports-layer"),
        spec.timeout().multipliedBy(2));
    long t2 = System.nanoTime();
    List<String> broken = new ArrayList<>();
    List<String> different = new ArrayList<>();
    Map<String, String> needsRemoved = new java.util.TreeMap<>();
    Map<String, String> removedTop = removedDistributionsByTopLevel(layer);
    int both = 0;
    int failBoth = 0;
    int onlyLayer = 0;
    for (String m : modules) {
      ImportEquivalence.Outcome a = in.get(m);
      ImportEquivalence.Outcome b = out.get(m);
      if (a.ok() && b.ok()) {
        both++;
      } else if (a.ok() && b.missing() != null && removedTop.containsKey(b.missing().split("\\.")[0])) {
        // it needs a distribution the build removed whole (--prune-unused, --drop-runtime-provided): expected
        needsRemoved.put(m, removedTop.get(b.missing().split("\\.")[0]));
      } else if (a.ok()) {
        broken.add(m);
      } else if (b.ok()) {
        onlyLayer++;
      } else if (a.error().equals(b.error())) {
        failBoth++;
      } else {
        different.add(m);
      }
    }
    List<Healer.Healed> healed = List.of();
    if (!broken.isEmpty()) {
      String named = describe(broken, out);
      ctx.warn(name(), Plural.count(broken.size(), "module") + (broken.size() == 1 ? " imports" : " import")
          + " in the input but not in the layer (" + named
          + "): looking for the change that broke them");
      ImportProbe.Spec check = new ImportProbe.Spec(spec.python(), layer.root(), sp, List.of(), broken, null, null,
          List.of(), spec.timeout(), spec.workDir());
      ImportProbe.Result before = ImportProbe.run(fresh.processes(), check.withTree(install.sourceRoot(), List.of()));
      ImportProbe.Result after = ImportProbe.run(fresh.processes(), check);
      if (!before.passed()) {
        throw LayerslimException.stepFailed("import equivalence: " + named + " import in the input when imported "
            + "with every other module, but not alone (" + Healer.failureDetails(before, before) + ")");
      }
      if (!after.passed()) {
        healed = new Healer(fresh, install, layer.root(), smoke.removals(), check, before).heal(after).healed();
        healed.forEach(h -> ctx.warn(name(), h.sentence()));
      } else {
        throw LayerslimException.stepFailed("import equivalence: " + named + " fail in the layer after the other "
            + "modules' imports but import alone: an import order the layer changed (see report.json proofs)");
      }
    }
    if (!different.isEmpty()) {
      List<String> lines = different.stream().limit(5).map(m -> m + " fails with " + in.get(m).error() + " in the input "
          + "but " + out.get(m).error() + " (" + out.get(m).message() + ") in the layer").toList();
      throw LayerslimException.stepFailed("import equivalence: " + Plural.count(different.size(), "module") + (different.size() == 1 ? " fails" : " fail")
          + " differently in "
          + "the layer than in the input: " + String.join("; ", lines));
    }
    section.imports = new Report.ImportEquivalence(modules.size(), both, failBoth, onlyLayer, needsRemoved.size(),
        ImportEquivalence.BATCH, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, broken, healed(healed));
    md.append("- ✅ Import equivalence: ").append(Plural.count(modules.size(), "module")).append(" of the distributions in the layer, ")
        .append(both).append(" import in both, ").append(failBoth).append(" fail in both the same way")
        .append(onlyLayer > 0 ? ", " + onlyLayer + " import only in the layer" : "")
        .append(needsRemoved.isEmpty() ? "" : ", " + needsRemoved.size() + " need a distribution the build removed whole ("
            + String.join(", ", new java.util.TreeSet<>(needsRemoved.values())) + ")")
        .append(" (input ").append(seconds(t1 - t0)).append(", layer ")
        .append(seconds(t2 - t1)).append(", fresh processes of ").append(ImportEquivalence.BATCH)
        .append(" modules, empty temp dir)")
        .append(healed.isEmpty() ? "" : "; healed: " + String.join("; ", healed.stream().map(Healer.Healed::sentence)
            .toList())).append(".\n");
    summary.add(Plural.count(modules.size(), "module") + (modules.size() == 1 ? " imports" : " import") + " as in the input (" + both + " in both, " + failBoth
        + " fail in both)" + (healed.isEmpty() ? "" : " after healing " + broken.size()));
    return !healed.isEmpty();
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  /**
   * The top-level import names of the distributions that have no file left in the layer (removed
   * whole: unused, or provided by the runtime), each with its distribution.
   */
  private Map<String, String> removedDistributionsByTopLevel(StagedLayer layer) {
    Ownership own = install.ownership();
    Map<String, String> out = new HashMap<>();
    if (own == null) {
      return out;
    }
    Set<String> kept = new HashSet<>();
    layer.tree().files().forEach(f -> kept.add(own.ownerOf(f.path())));
    for (FileEntry f : install.tree().files()) {
      String owner = own.ownerOf(f.path());
      if (kept.contains(owner) || owner.equals(Ownership.UNATTRIBUTED)) {
        continue;
      }
      String p = f.path();
      int slash = p.indexOf('/');
      String top = slash > 0 ? p.substring(0, slash) : p.endsWith(".py") ? p.substring(0, p.length() - 3)
          : p.indexOf('.') > 0 ? p.substring(0, p.indexOf('.')) : p;
      if (!top.endsWith(".dist-info") && !top.endsWith(".libs")) {
        out.putIfAbsent(top, owner);
      }
    }
    return out;
  }

  private static String describe(List<String> broken, Map<String, ImportEquivalence.Outcome> out) {
    List<String> parts = broken.stream().limit(5).map(m -> m + ": " + out.get(m).error() + ": "
        + out.get(m).message()).toList();
    return String.join("; ", parts) + (broken.size() > 5 ? " and " + (broken.size() - 5) + " more" : "");
  }

  /**
   * The input's module files whose module ships in the layer: the file itself, its sourceless pyc
   * ({@code --bytecode sourceless}), or a cold sub-package's archive holds it; only of distributions
   * that are in the layer.
   */
  private List<String> shippedModuleFiles(StagedLayer layer) {
    Set<String> present = new HashSet<>();
    layer.tree().files().forEach(f -> present.add(f.path()));
    Ownership own = install.ownership();
    Set<String> kept = new HashSet<>();
    for (String p : present) {
      kept.add(own == null ? Ownership.UNATTRIBUTED : own.ownerOf(p));
    }
    Set<String> beforeCold = new HashSet<>();
    smoke.layer().tree().files().forEach(f -> beforeCold.add(f.path()));
    List<String> coldFolders = cold.applied() ? cold.units().stream().map(u -> u.folder() + "/").toList() : List.of();
    List<String> out = new ArrayList<>();
    for (FileEntry f : install.tree().files()) {
      String p = f.path();
      if (!kept.contains(own == null ? Ownership.UNATTRIBUTED : own.ownerOf(p))) {
        continue;
      }
      // a cold folder's archive holds what the layer held there before it went cold: not the files a prune
      // rule removed from it (the test-extensions rule's scipy/ndimage/_ctest is in neither tree)
      boolean archived = beforeCold.contains(p) && coldFolders.stream().anyMatch(p::startsWith);
      if (present.contains(p) || present.contains(p + "c") || archived) {
        out.add(p);
      }
    }
    return out;
  }

  /** The proofs that ran, for report.json's {@code proofs}. */
  private static final class Section {
    Report.HandlerResult handler;
    Report.ImportEquivalence imports;
  }

  private static List<Report.ProofHealed> healed(List<Healer.Healed> healed) {
    return healed.stream().map(x -> new Report.ProofHealed(x.rule(), x.path(), x.files().size())).toList();
  }
}
