package dev.layerslim.cli;

import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.error.LayerslimException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code layerslim prune --dry-run}: installs (or reads an installed tree) and shows what pruning
 * would remove, by rule and distribution; writes only report.json and report.md. Takes the same
 * inputs as {@code build}.
 */
@Command(name = "prune", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false, defaultValueProvider = OptionSources.class,
    description = {"Shows what pruning would remove, by rule and distribution (with --dry-run).",
        "Runs install, audit and the prune plan; 'layerslim build' applies the plan. --verbose lists every file.",
        ""},
    footerHeading = "%nExamples:%n",
    footer = {"  layerslim prune --dry-run --site-packages .venv/lib/python3.11/site-packages",
        "  layerslim prune --dry-run -r requirements.txt --exclude 'botocore/data/**' --verbose",
        "", "Exit codes: 0 shown, 2 bad usage or input, 3 a step failed (pip), 4 an internal error."})
public final class PruneCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin Options.Source source = new Options.Source();
  @CommandLine.Mixin Options.Handler handler = new Options.Handler();
  @CommandLine.Mixin Options.TargetRuntime target = new Options.TargetRuntime();
  @CommandLine.Mixin Options.Output output = new Options.Output();
  @CommandLine.Mixin Options.Pip pip = new Options.Pip();
  @CommandLine.Mixin Options.Prune prune = new Options.Prune();

  @CommandLine.Option(names = "--dry-run", description = "plan only; required (layerslim build applies the plan)")
  boolean dryRun;

  @CommandLine.Mixin LogOptions log = new LogOptions();

  @Override
  public Integer call() throws Exception {
    if (!dryRun) {
      throw LayerslimException.usage("layerslim prune only plans: add --dry-run (layerslim build applies the plan)");
    }
    BuildOptions.Builder b = BuildOptions.builder();
    source.applyTo(b);
    handler.applyTo(b);
    target.applyTo(b);
    output.applyTo(b);
    pip.applyTo(b);
    prune.applyTo(b);
    BuildOptions o = b.dryRun(true).build();
    return BuildCommand.plan(o, log.console(spec), spec.commandLine().getOut());
  }
}
