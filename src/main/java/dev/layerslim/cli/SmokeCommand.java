package dev.layerslim.cli;

import dev.layerslim.layer.Arch;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Target;
import dev.layerslim.layer.Trees;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.LayerslimException;
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
        "", "Exit codes: 0 passed, 2 bad usage or input (or no target interpreter here), 3 failed."})
public final class SmokeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--layer", paramLabel = "DIR", required = true,
      description = "the layer: its python/ folder, or the folder that holds python/")
  Path layer;

  @Option(names = "--handler", paramLabel = "PATH", required = true,
      description = "handler source file or folder (repeatable): its modules are imported")
  List<Path> handlers = new ArrayList<>();

  @Option(names = "--handler-function", paramLabel = "MODULE.FUNCTION",
      description = "Lambda's handler string, e.g. app.handler: it must resolve to a callable")
  String handlerFunction;

  @Option(names = "--smoke-import", paramLabel = "MODULE", description = "another module to import (repeatable)")
  List<String> smokeImports = new ArrayList<>();

  @Option(names = "--smoke-script", paramLabel = "FILE",
      description = "your own check, run as __main__ with the layer on sys.path")
  Path smokeScript;

  @Option(names = "--python", paramLabel = "VERSION", defaultValue = Target.DEFAULT_PYTHON,
      description = "the layer's Python runtime: 3.9 … 3.14 (default: ${DEFAULT-VALUE})")
  String python;

  @Option(names = "--python-exe", paramLabel = "EXE",
      description = "the interpreter to run (default: python3.X, then python3)")
  String pythonExe;

  @Option(names = "--smoke-timeout", paramLabel = "SECONDS", defaultValue = "120",
      description = "kill the run after this many seconds (default: ${DEFAULT-VALUE})")
  int smokeTimeout;

  @Option(names = "--stacktrace", description = "print stack traces of errors")
  boolean stacktrace;

  @Override
  public Integer call() throws Exception {
    Path root = LayerFolder.resolve(layer);
    BuildOptions o = options();
    PrintWriter out = spec.commandLine().getOut();
    SystemProcessRunner processes = new SystemProcessRunner();
    TargetPython tp = TargetPython.find(processes, o.target, o.pythonExe);
    if (tp.problem() != null) {
      throw LayerslimException.usage("cannot smoke-test here: " + tp.problem());
    }
    Path scratch = Files.createTempDirectory("layerslim-smoke");
    ImportProbe.Result r;
    try {
      o.output = scratch;
      BuildContext ctx = new BuildContext(o, new ConsoleRenderer(out, spec.commandLine().getErr(), false, false),
          processes);
      ctx.sourceRoot = root;
      ctx.sourceTree = LayerTree.scan(root);
      r = ImportProbe.run(processes, SmokeSpecs.forSource(ctx, tp.interpreter().exe()));
    } finally {
      Trees.deleteRecursively(scratch);
    }
    print(out, r);
    return r.passed() ? LayerslimException.EXIT_OK : LayerslimException.EXIT_STEP_FAILED;
  }

  /** The options the smoke spec reads, validated like build's. */
  private BuildOptions options() {
    BuildOptions o = new BuildOptions();
    for (Path h : handlers) {
      Path a = h.toAbsolutePath().normalize();
      if (!Files.exists(a)) {
        throw LayerslimException.usage("--handler " + h + ": no such file or folder");
      }
      o.handlers.add(a);
    }
    o.handlerFunction = handlerFunction;
    o.smokeImports.addAll(smokeImports);
    if (smokeScript != null) {
      o.smokeScript = BuildCommand.Inputs.existingFile(smokeScript, "--smoke-script");
    }
    if (smokeTimeout < 1) {
      throw LayerslimException.usage("--smoke-timeout must be at least 1 second");
    }
    o.smokeTimeoutSeconds = smokeTimeout;
    // the layer's objects have to load on this machine, so the target architecture is the host's
    Arch host = Arch.host();
    o.target = Target.of(python, host == null ? "x86_64" : host.lambdaName(), null);
    o.pythonExe = pythonExe;
    return o;
  }

  private static void print(PrintWriter out, ImportProbe.Result r) {
    out.println(r.passed() ? "PASSED" : "FAILED");
    for (ImportProbe.Failure f : r.failures()) {
      out.println("  failed: " + f);
    }
    out.println("imports: " + (r.imports().isEmpty() ? "none" : String.join(", ", r.imports())));
    out.println("dlopen:  " + (r.dlopenChecked() - r.dlopenFailed().size()) + " of " + r.dlopenChecked()
        + " ELF objects load" + (r.dlopenFailed().isEmpty() ? "" : " (a failure here fails a build only when"
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
