package dev.layerslim.bytecode;

import dev.layerslim.layer.Plural;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layerslim.reportfile.Markdown;
import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Sizes;
import dev.layerslim.layer.Trees;
import dev.layerslim.pipeline.Lever;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BytecodeMode;
import dev.layerslim.pipeline.SmokeResult;
import dev.layerslim.pipeline.StagedLayer;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.pipeline.Step;
import dev.layerslim.reportfile.Report;
import dev.layerslim.python.DriverNoSpace;
import dev.layerslim.python.DriverScript;
import dev.layerslim.python.ImportProbe;
import dev.layerslim.python.ProcessRunner;
import dev.layerslim.python.TargetPython;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Bytecode: Lambda mounts layers read-only under {@code /opt}, so a module without a valid pyc is
 * compiled again at every cold start. This step drops every pyc the layer holds and compiles, with the
 * target interpreter in one process, {@code unchecked-hash} pycs (PEP 552: valid whatever the zip
 * does to timestamps) for the modules {@code --bytecode} selects: {@code cold-path} (default) the
 * modules the smoke test loaded from the layer, {@code all} every module, {@code none} no module.
 * Then it times the imports again, with and without the pycs.
 */
public final class BytecodeStep implements Step<StagedLayer> {
  /** Where Lambda mounts a layer's {@code python/} folder. */
  static final String LAMBDA_ROOT = dev.layerslim.layer.Names.LAMBDA_LAYER_PYTHON;

  private final SmokeResult smoke;
  private final BytecodeMode mode;
  private final dev.layerslim.layer.Target target;
  private final String pythonExe;
  private final boolean coldStorage;

  /**
   * Compiles pycs into {@code smoke.layer()}, the cold path being what {@code smoke} loaded, with the
   * {@code target}'s python ({@code pythonExe} when given); {@code coldStorage} only words the report.
   */
  public BytecodeStep(SmokeResult smoke, BytecodeMode mode, dev.layerslim.layer.Target target, String pythonExe,
      boolean coldStorage) {
    this.smoke = smoke;
    this.mode = mode;
    this.target = target;
    this.pythonExe = pythonExe;
    this.coldStorage = coldStorage;
  }

  @Override
  public String name() {
    return "bytecode";
  }

  @Override
  public String title() {
    return "Compiling cold-start bytecode";
  }

  @Override
  public StagedLayer run(BuildContext ctx) throws IOException {
    StagedLayer layer = smoke.layer();
    int dropped = dropPycs(layer.root(), layer.tree());
    List<String> sources = switch (mode) {
      case ALL -> allSources(layer);
      case COLD_PATH -> coldPath(ctx, layer);
      case SOURCELESS -> hotPathForSourceless(ctx, layer);
      case NONE -> List.of();
    };
    String python = null;
    if (!sources.isEmpty()) {
      python = smoke.spec() != null ? smoke.spec().python() : interpreter(ctx);
      if (python == null) {
        sources = List.of();
      }
    }
    ImportProbe.Result noPyc = null;
    boolean measure = smoke.ran();
    if (measure && !sources.isEmpty()) {
      // smoke-after already imported this very layer with no pyc in it (pycs are pruned before
      // staging): its time is the no-pyc time, and one python start is saved
      noPyc = dropped == 0 ? smoke.after() : time(ctx);
    }
    List<String> toCompile = sources.isEmpty() ? sources : placeCaptured(layer.root(), sources);
    int reused = sources.size() - toCompile.size();
    int notCompiled = toCompile.isEmpty() ? 0 : compile(ctx, layer.root(), python, toCompile);
    Sourceless sourceless = null;
    Sourceless.Outcome sourcelessOutcome = null;
    if (mode == BytecodeMode.SOURCELESS && !sources.isEmpty()) {
      sourceless = new Sourceless(layer.root(), Trees.emptyFolder(ctx.workDir().resolve("sourceless")));
      sourcelessOutcome = sourceless.apply(sources);
    } else if (smoke.ran() && (mode == BytecodeMode.COLD_PATH || mode == BytecodeMode.ALL)) {
      measureSourceless(ctx, layer);
    }
    StagedLayer compiled = layer.rescan();
    long pycBytes = 0;
    int pycFiles = 0;
    for (FileEntry f : compiled.tree().files()) {
      if (f.path().endsWith(".pyc")) {
        pycBytes += f.size();
        pycFiles++;
      }
    }
    ImportProbe.Result timed = measure ? time(ctx) : null;
    if (timed != null && !timed.passed() && pycFiles > 0) {
      // the layer passed without pycs: a failure now is the pycs' own, and a layer that imports without
      // them beats one that does not import
      ctx.warn(name(), "the layer's imports fail with the compiled pycs (" + timed.failures().get(0)
          + "): shipping it without pycs" + (sourcelessOutcome != null ? " and with every source" : ""));
      if (sourcelessOutcome != null) {
        sourceless.restore(sourcelessOutcome);
        sourcelessOutcome = null;
        compiled = layer.rescan();
      }
      dropPycs(layer.root(), compiled.tree());
      compiled = layer.rescan();
      pycFiles = 0;
      pycBytes = 0;
      timed = time(ctx);
    }
    // with a smoke test the report shows these figures in its smoke section: the report step puts them there
    Report.Bytecode section = new Report.Bytecode(mode.label(), pycFiles, pycBytes,
        // compiled once, by the smoke test's own import of the layer, rather than a second time here
        pycFiles == 0 ? 0 : reused,
        mode == BytecodeMode.SOURCELESS ? sourcelessSection(sourcelessOutcome) : null,
        timed != null ? timed.importMillis() : null, timed != null && noPyc != null ? noPyc.importMillis() : null,
        timed != null ? slowest(timed) : null);
    ctx.reportSection(section);
    ctx.markdownSection(55, markdown(ctx.reportSection(Report.Smoke.class), section, compiled.tree().totalBytes(),
        coldStorage));
    if (sourcelessOutcome != null && !sourcelessOutcome.moved().isEmpty()) {
      ctx.info(name(), Plural.count(sourcelessOutcome.moved().size(), "hot module") + " ship as pycs without their source ("
          + Sizes.human(sourcelessOutcome.savedBytes()) + " of sources dropped): "
          + Sourceless.TRADE_OFF);
    }
    if (notCompiled > 0) {
      ctx.warn(name(), Plural.count(notCompiled, "module") + " do not compile with " + python + ": shipped as sources only");
    }
    ctx.stepSummary(Plural.count(pycFiles, "unchecked-hash pyc") + " (" + Sizes.human(pycBytes) + ", " + mode
        + (reused > 0 ? ", " + reused + " of them compiled by the smoke test's import" : "") + ")"
        + (dropped > 0 ? ", " + Plural.count(dropped, "other pyc") + " dropped" : "")
        + (timed != null ? ", imports " + timed.importMillis() + " ms"
            + (noPyc != null ? " (" + noPyc.importMillis() + " ms without)" : "") : ""));
    return compiled;
  }

  /**
   * {@code --bytecode sourceless}: the modules the smoke test loaded, which alone go sourceless.
   * Without a smoke run nothing says which modules are hot, nor proves they import without their
   * source: every module keeps its source, with pycs as {@code --bytecode all} would give.
   */
  private List<String> hotPathForSourceless(BuildContext ctx, StagedLayer layer) {
    if (!smoke.ran() || smoke.after().imports().isEmpty()) {
      ctx.warn(name(), "--bytecode sourceless needs the smoke test to know which modules load: every module keeps "
          + "its source, compiled as --bytecode all");
      return allSources(layer);
    }
    return coldPath(ctx, layer);
  }

  /** The lever {@code --bytecode sourceless} on this layer: the hot sources whose pyc is smaller. */
  private void measureSourceless(BuildContext ctx, StagedLayer layer) throws IOException {
    Set<String> present = new TreeSet<>();
    layer.tree().files().forEach(f -> present.add(f.path()));
    List<String> hot = smoke.after().loaded().stream().filter(present::contains).toList();
    long saved = Sourceless.measure(layer.root(), hot);
    if (saved > 0) {
      ctx.lever(new Lever("bytecode", "sourceless", saved, "no source lines in tracebacks of the "
          + Plural.count(hot.size(), "module") + " the smoke test loads"));
    }
  }

  private static Report.Sourceless sourcelessSection(Sourceless.Outcome outcome) {
    return new Report.Sourceless(outcome == null ? 0 : outcome.moved().size(),
        outcome == null ? 0 : outcome.sourceBytes(), outcome == null ? 0 : outcome.pycBytes(),
        outcome == null ? 0 : outcome.pycLarger(), Sourceless.TRADE_OFF);
  }

  private static List<Report.ModuleTime> slowest(ImportProbe.Result r) {
    return r.slowest().stream().map(t -> new Report.ModuleTime(t.module(), t.selfMicros(), t.cumulativeMicros()))
        .toList();
  }

  private List<String> coldPath(BuildContext ctx, StagedLayer layer) {
    if (!smoke.ran() || smoke.after().imports().isEmpty()) {
      // Shipping no pyc at all would make every cold start compile every module: without a list
      // of what loads, compiling everything is the better default.
      String why = !smoke.ran()
          ? "no smoke test ran" + (smoke.notRun() != null ? " (" + smoke.notRun() + ")" : "")
          : "nothing was imported (give " + ctx.vocabulary().option("handler") + " or "
              + ctx.vocabulary().option("smoke-import") + ")";
      ctx.warn(name(), ctx.vocabulary().set("bytecode", "cold-path")
          + " needs the smoke test to know which modules load, and " + why
          + ": compiling every module instead, as " + ctx.vocabulary().set("bytecode", "all"));
      return allSources(layer);
    }
    Set<String> present = new TreeSet<>();
    layer.tree().files().forEach(f -> present.add(f.path()));
    return smoke.after().loaded().stream().filter(present::contains).toList();
  }

  private static List<String> allSources(StagedLayer layer) {
    return layer.tree().files().stream().map(FileEntry::path).filter(p -> p.endsWith(".py")).toList();
  }

  private String interpreter(BuildContext ctx) {
    // a pyc depends on the Python version, not the architecture: an arm64 layer built on x86_64 gets them too
    TargetPython tp = TargetPython.findForBytecode(ctx.processes(), target, pythonExe);
    if (tp.problem() != null) {
      ctx.warn(name(), "no pycs compiled: " + tp.problem() + " (pycs are specific to the Python version)");
      return null;
    }
    return tp.interpreter().command();
  }

  /**
   * Deletes every pyc in the layer that has a source to be compiled from (stale or timestamp-based
   * ones would be recompiled on Lambda anyway). A bytecode-only module (a {@code x.pyc} with no
   * {@code x.py} beside it) stays: nothing could bring it back.
   */
  static int dropPycs(Path root, LayerTree tree) throws IOException {
    int n = 0;
    Set<Path> cacheDirs = new TreeSet<>();
    for (FileEntry f : tree.files()) {
      boolean inCache = f.path().contains("__pycache__/");
      boolean compiled = f.path().endsWith(".pyc") || f.path().endsWith(".pyo");
      String source = compiled ? f.path().substring(0, f.path().length() - 4) + ".py" : null;
      if (compiled && (inCache || tree.get(source) != null)) {
        Path p = root.resolve(f.path());
        Files.deleteIfExists(p);
        n++;
        if (p.getParent().getFileName().toString().equals("__pycache__")) {
          cacheDirs.add(p.getParent());
        }
      }
    }
    for (Path d : cacheDirs) {
      try (var s = Files.list(d)) {
        if (s.findAny().isEmpty()) {
          Files.delete(d);
        }
      }
    }
    return n;
  }

  /**
   * Moves into the layer the pycs the smoke test wrote while it imported the layer (compiled from these
   * very sources, named as on Lambda), and returns the sources that still need compiling.
   */
  private List<String> placeCaptured(Path layerRoot, List<String> sources) throws IOException {
    Path captured = smoke.ran() ? smoke.after().pycs() : null;
    if (captured == null) {
      return sources;
    }
    java.util.Map<String, Path> bySource = new java.util.HashMap<>();
    try (var walk = Files.walk(captured)) {
      walk.filter(Files::isRegularFile).forEach(p -> {
        Path rel = captured.relativize(p);
        String name = p.getFileName().toString();
        Path dir = rel.getParent();
        int tag = name.lastIndexOf('.', name.length() - ".pyc".length() - 1);
        if (dir != null && dir.getFileName().toString().equals("__pycache__") && name.endsWith(".pyc") && tag > 0) {
          Path folder = dir.getParent();
          String source = (folder == null ? "" : folder.toString().replace(java.io.File.separatorChar, '/') + "/")
              + name.substring(0, tag) + ".py";
          bySource.put(source, p);
        }
      });
    }
    List<String> rest = new java.util.ArrayList<>();
    for (String s : sources) {
      Path pyc = bySource.get(s);
      if (pyc == null) {
        rest.add(s);
        continue;
      }
      Path target = layerRoot.resolve(captured.relativize(pyc).toString());
      Files.createDirectories(target.getParent());
      Files.move(pyc, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return rest;
  }

  private int compile(BuildContext ctx, Path layerRoot, String python, List<String> sources) throws IOException {
    Path dir = ctx.workDir().resolve("bytecode");
    Path script = DriverScript.write(DriverScript.COMPILER, dir);
    Path list = dir.resolve("sources.json");
    // Each pyc names its source as Lambda will see it (/opt/python/...), not where this build put
    // it: tracebacks on Lambda point at real paths, and the bytes do not depend on the output folder.
    // JSON, not lines: a file name may hold a newline or a tab.
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    ArrayNode pairs = request.putArray("sources");
    new java.util.TreeSet<>(sources).forEach(s -> pairs.addObject().put("src", layerRoot.resolve(s).toString())
        .put("shown", LAMBDA_ROOT + s));
    Files.write(list, new ObjectMapper().writeValueAsBytes(request));
    // -I keeps the user's PYTHON* settings out; the script then restarts itself with the hash seed
    // fixed, so two builds of one layer write the same pycs (see compile_pycs.py).
    ProcessRunner.ProcessResult r = ctx.processes().run(ProcessRunner.ProcessRequest.of(
        List.of(python, "-I", script.toString(), list.toString()))
        .withTimeout(Duration.ofMinutes(30)));
    DriverNoSpace.checkNoSpace(r);
    if (!r.ok()) {
      throw LayerslimException.stepFailed("compiling " + Plural.count(sources.size(), "module") + " with " + python + " failed"
          + (r.timedOut() ? " (timed out)" : " (exit " + r.exitCode() + ")") + ": " + r.tail(8));
    }
    return (int) r.output().lines().filter(l -> l.startsWith("NOT-COMPILED ")).count();
  }

  private ImportProbe.Result time(BuildContext ctx) throws IOException {
    return ImportProbe.run(ctx.processes(), smoke.spec().importsOnly());
  }

  /**
   * The cold-start table. Its size is the layer the imports were timed on: with cold storage, the
   * layer before it compressed what the hot path never loads, so the column says so, and the built
   * layer's size is the limits table's. {@code smoke} is the smoke test's section, null when none ran.
   */
  static String markdown(Report.Smoke smoke, Report.Bytecode b, long layerBytes, boolean coldStorageFollows) {
    StringBuilder md = new StringBuilder("## Cold start\n\n");
    // the input is imported only when the layer failed the smoke test: no column for a figure not measured
    Long importBefore = smoke == null ? null : smoke.importMillisBefore();
    boolean before = importBefore != null;
    Long importMillis = b.importMillis() != null ? b.importMillis() : smoke == null ? null : smoke.importMillis();
    List<Report.ModuleTime> slowest = b.slowest() != null ? b.slowest()
        : smoke == null || smoke.slowest() == null ? List.of() : smoke.slowest();
    md.append(coldStorageFollows ? "| layer timed (before cold storage) |" : "| layer timed |")
        .append(" imports (cold start) | without pyc |").append(before ? " before pruning |" : "")
        .append(" pycs |\n");
    md.append("| ---: | ---: | ---: |").append(before ? " ---: |" : "").append(" ---: |\n");
    md.append("| ").append(Sizes.human(layerBytes)).append(" | ").append(millis(importMillis)).append(" | ")
        .append(millis(b.importMillisNoPyc())).append(" | ")
        .append(before ? millis(importBefore) + " | " : "")
        .append(b.pycFiles()).append(" (").append(Sizes.human(b.pycBytes()))
        .append(", ").append(b.mode()).append(") |\n");
    if (coldStorageFollows) {
      md.append("\nTimed before cold storage: the built layer's size is the limits table's. Its hot path imports ")
          .append("the same modules; the first import of a cold sub-package also unpacks it (Cold storage below).\n");
    }
    Report.Sourceless sl = b.sourceless();
    if (sl != null) {
      md.append("\n`--bytecode sourceless`: ").append(sl.modules())
          .append(" modules the smoke test loaded ship as pycs without their source (")
          .append(Sizes.human(sl.sourceBytesDropped())).append(" of sources dropped, ")
          .append(Sizes.human(sl.pycBytes())).append(" of pycs in their place); ")
          .append("modules the smoke test did not load keep their source, without a pyc. Trade-off: ").append(Sourceless.TRADE_OFF)
          .append(".\n");
    }
    if (!slowest.isEmpty()) {
      md.append("\nSlowest imports (own time):\n\n| module | ms | with its imports, ms |\n| --- | ---: | ---: |\n");
      for (Report.ModuleTime t : slowest) {
        md.append("| ").append(Markdown.code(t.module())).append(" | ")
            .append(String.format(Locale.ROOT, "%.1f", t.micros() / 1000.0)).append(" | ")
            .append(String.format(Locale.ROOT, "%.1f", t.cumulativeMicros() / 1000.0)).append(" |\n");
      }
    }
    return md.toString();
  }

  private static String millis(Long millis) {
    return millis != null ? millis + " ms" : "–";
  }
}
