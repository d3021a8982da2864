package dev.layerslim.cli;

import dev.layerslim.error.LayerslimException;
import dev.layerslim.github.ActionInputs;
import dev.layerslim.github.RetryPolicy;
import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.ZipResult;
import dev.layerslim.report.ReportStep;
import dev.layerslim.pipeline.ZipResult;
import dev.layerslim.python.SystemProcessRunner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code layerslim build}: the whole pipeline, from requirements (or an installed tree) to layer.zip. */
@Command(name = "build", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false, defaultValueProvider = OptionSources.class,
    description = {"Builds a Lambda layer: install → audit → prune → strip → smoke-test → bytecode → compat → zip → report.",
        "Writes OUTPUT/layer/python/…, OUTPUT/layer.zip, OUTPUT/report.json and OUTPUT/report.md.", ""},
    footerHeading = "%nExamples:%n",
    footer = {"  layerslim build -r requirements.txt --handler app.py",
        "  layerslim build --site-packages .venv/lib/python3.11/site-packages --max-unzipped 200MiB",
        "", "Exit codes: 0 within limits, 1 a limit exceeded, 2 bad usage or input, 3 a step failed, 4 an internal error."})
public final class BuildCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin Options.Source source = new Options.Source();
  @CommandLine.Mixin Options.Handler handler = new Options.Handler();
  @CommandLine.Mixin Options.HandlerFunction handlerFunction = new Options.HandlerFunction();
  @CommandLine.Mixin Options.TargetRuntime target = new Options.TargetRuntime();
  @CommandLine.Mixin Options.Output output = new Options.Output();
  @CommandLine.Mixin Options.Pip pip = new Options.Pip();
  @CommandLine.Mixin Options.Limits limits = new Options.Limits();
  @CommandLine.Mixin Options.Steps steps = new Options.Steps();
  @CommandLine.Mixin Options.Smoke smoke = new Options.Smoke();
  @CommandLine.Mixin Options.Prune prune = new Options.Prune();

  @Option(names = "--dry-run", fallbackValue = "true", description = "install and plan the prune only: print the plan, write only the report")
  boolean dryRun;

  @CommandLine.Mixin LogOptions log = new LogOptions();

  /** The environment {@code --baseline auto} reads; tests play a runner. */
  Map<String, String> env = System.getenv();
  RetryPolicy retry = RetryPolicy.DEFAULT;

  /**
   * {@code layerslim action}'s options: these same options, read from the action's inputs and then
   * layerslim.toml in the workspace ({@link OptionSources}), with the action's own rules on top
   * ({@link ActionInputs#finish}). Bad input is a usage error naming the input.
   */
  static BuildOptions fromInputs(ActionInputs inputs) {
    // first of all: in the wrong image nothing else is worth checking
    inputs.checkImage();
    inputs.layerKey(); // a comment-key no artifact can be named after is refused before anything is built
    BuildCommand build = new BuildCommand();
    CommandLine cl = new CommandLine(build);
    cl.setDefaultValueProvider(new OptionSources(inputs));
    try {
      cl.parseArgs();
    } catch (CommandLine.ParameterException e) {
      throw e.getCause() instanceof LayerslimException le ? le : LayerslimException.usage(e.getMessage());
    }
    return inputs.finish(build.toOptions());
  }

  /** The build's options from every group; bad input is a usage error naming the option. */
  BuildOptions toOptions() {
    BuildOptions.Builder b = BuildOptions.builder();
    source.applyTo(b);
    handler.applyTo(b);
    handlerFunction.applyTo(b);
    target.applyTo(b);
    output.applyTo(b);
    pip.applyTo(b);
    limits.applyTo(b);
    steps.applyTo(b);
    smoke.applyTo(b, handlerFunction.handlerFunction);
    prune.applyTo(b);
    return b.dryRun(dryRun).build();
  }

  @Override
  public Integer call() throws Exception {
    BuildOptions o = toOptions();
    CommandSafeWriter.redact(spec.commandLine(), o, env);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (AutoBaseline.asked(limits.baseline)) {
      AutoBaseline.Found found = AutoBaseline.find(env, output.output.toString(), retry);
      out.println(found.note());
      out.flush();
      if (found.report() == null) {
        return build(o, out, err);
      }
      try {
        return build(o.toBuilder().baseline(found.report()).build(), out, err);
      } finally {
        Files.deleteIfExists(found.report());
      }
    }
    return build(o, out, err);
  }

  private int build(BuildOptions o, PrintWriter out, PrintWriter err) throws Exception {
    ConsoleRenderer renderer = log.console(spec);
    if (o.dryRun()) {
      return plan(o, renderer, out);
    }
    BuildRunner.Outcome<Workflows.Built> built = BuildRunner.run(o, Workflows::build, renderer,
        new SystemProcessRunner());
    ZipResult zip = built.result().zip();
    out.println();
    out.println("layer:  " + zip.file() + " (" + Sizes.human(zip.zippedBytes()) + " zipped, "
        + Sizes.human(zip.tree().totalBytes()) + " unzipped)");
    out.println("report: " + built.result().report().markdown());
    int code = built.exitCode();
    for (String f : built.ctx().failures()) {
      err.println("FAILED: " + f);
    }
    if (code == 0) {
      String notRun = built.result().smokeNotRun();
      out.println("OK: within limits" + (notRun == null ? "" : "; not smoke-tested: " + notRun)
          + (o.target().aboveRuntime() ? "; but " + o.target().customImageWarning() : ""));
    }
    out.flush();
    return code;
  }

  /** {@code --dry-run}: install and plan the prune; the plan is printed, only the report is written. */
  static int plan(BuildOptions o, ConsoleRenderer renderer, PrintWriter out) throws java.io.IOException {
    BuildRunner.Outcome<ReportStep.Written> planned = BuildRunner.run(o, Workflows::plan, renderer,
        new SystemProcessRunner());
    out.println();
    out.println("dry run: no layer and no zip written");
    out.println("report: " + planned.result().markdown());
    out.flush();
    return planned.exitCode();
  }
}
