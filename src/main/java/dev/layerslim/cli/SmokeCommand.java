package dev.layerslim.cli;

import dev.layerslim.layer.Arch;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Target;
import dev.layerslim.layer.Trees;
import dev.layerslim.pipeline.Removals;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.python.ImportProbe;
import dev.layerslim.python.SystemProcessRunner;
import dev.layerslim.python.TargetPython;
import dev.layerslim.smoke.SmokeSpecs;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code layerslim smoke}: one run of the smoke test over a layer folder, as build runs it, without
 * pruning or healing. The folder is only read: the interpreter runs with {@code -B}, and the driver
 * and its config go to a temporary folder outside it.
 */
@Command(name = "smoke", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {"Smoke-tests a layer folder once, read only.",
        "Imports the handler's modules (and --smoke-import), resolves --handler-function, runs --smoke-script,",
        "dlopens every ELF object; prints pass or fail, the failures, the dlopen failures, the import time and",
        "the ten slowest imports.", ""},
    footerHeading = "%nExample:%n",
    footer = {"  layerslim smoke --layer layerslim-out/layer --handler src/app.py --handler-function app.handler",
        "", "Exit codes: 0 passed, 2 bad usage or input (or no target interpreter here), 3 failed, 4 an internal error."})
public final class SmokeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin Options.Layer layer = new Options.Layer();
  @CommandLine.Mixin Options.Handler handler = new Options.Handler();
  @CommandLine.Mixin Options.HandlerFunction handlerFunction = new Options.HandlerFunction();
  @CommandLine.Mixin Options.Smoke smoke = new Options.Smoke();
  @CommandLine.Mixin Options.Python python = new Options.Python();

  @Override
  public Integer call() throws Exception {
    Path root = layer.root();
    Path scratch = Files.createTempDirectory("layerslim-smoke");
    BuildOptions o;
    try {
      o = options(scratch);
    } catch (RuntimeException e) {
      Trees.deleteRecursively(scratch);
      throw e;
    }
    PrintWriter out = spec.commandLine().getOut();
    SystemProcessRunner processes = new SystemProcessRunner();
    TargetPython tp = TargetPython.find(processes, o.target(), o.pythonExe());
    ImportProbe.Result r;
    try {
      if (tp.problem() != null) {
        throw LayerslimException.usage("cannot smoke-test here: " + tp.problem());
      }
      r = ImportProbe.run(processes, SmokeSpecs.forSource(dev.layerslim.smoke.SmokeInputs.of(o), scratch, root, LayerTree.scan(root), Removals.none(),
          tp.interpreter().command()));
    } finally {
      Trees.deleteRecursively(scratch);
    }
    print(out, r);
    return r.passed() ? LayerslimException.EXIT_OK : LayerslimException.EXIT_STEP_FAILED;
  }

  /** The options the smoke spec reads, validated like build's. */
  private BuildOptions options(Path scratch) {
    if (handler.handlers.isEmpty()) {
      throw LayerslimException.usage("smoke needs --handler PATH: its modules are what the smoke test imports");
    }
    BuildOptions.Builder b = BuildOptions.builder().output(scratch);
    handler.applyTo(b);
    handlerFunction.applyTo(b);
    smoke.applyTo(b, handlerFunction.handlerFunction);
    // the layer's objects have to load on this machine, so the target architecture is the host's
    Arch host = Arch.host();
    return b.target(Target.of(python.python, host == null ? "x86_64" : host.lambdaName(), null))
        .pythonExe(python.pythonExe).build();
  }

  private static void print(PrintWriter out, ImportProbe.Result r) {
    out.println(r.passed() ? "PASSED" : "FAILED");
    for (ImportProbe.Failure f : r.failures()) {
      out.println("  failed: " + f);
    }
    out.println("imports: " + (r.imports().isEmpty() ? "none" : String.join(", ", r.imports())));
    out.println("dlopen:  " + (r.dlopenChecked() - r.dlopenFailed().size()) + " of " + dev.layerslim.layer.Plural.count(r.dlopenChecked(), "ELF object")
        + (r.dlopenChecked() - r.dlopenFailed().size() == 1 ? " loads" : " load") + (r.dlopenFailed().isEmpty() ? "" : " (a failure here fails a build only when"
        + " layerslim's changes caused it)"));
    r.dlopenFailed().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
        .forEach(e -> out.println("  dlopen failed: " + e.getKey() + ": " + e.getValue()));
    out.println("import time: " + r.importMillis() + " ms");
    if (!r.slowest().isEmpty()) {
      out.println("slowest imports (self, cumulative):");
      for (ImportProbe.ModuleTime t : r.slowest()) {
        out.println(String.format(Locale.ROOT, "  %8.1f ms %8.1f ms  %s", t.selfMicros() / 1000.0,
            t.cumulativeMicros() / 1000.0, t.module()));
      }
    }
    out.flush();
  }
}
