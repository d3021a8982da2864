package dev.layerslim.cli;

import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.LayerslimException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code layerslim prune --dry-run}: installs (or reads an installed tree) and shows what pruning
 * would remove, by rule and distribution; writes only report.json and report.md. Takes the same
 * inputs as {@code build}.
 */
@Command(name = "prune", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {"Shows what pruning would remove, by rule and distribution (with --dry-run).",
        "Runs install, audit and the prune plan; 'layerslim build' applies the plan. --verbose lists every file.",
        ""},
    footerHeading = "%nExamples:%n",
    footer = {"  layerslim prune --dry-run --site-packages .venv/lib/python3.11/site-packages",
        "  layerslim prune --dry-run -r requirements.txt --exclude 'botocore/data/**' --verbose"})
public final class PruneCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin BuildCommand.Inputs inputs = new BuildCommand.Inputs();

  @CommandLine.Mixin LogOptions log = new LogOptions();

  @Override
  public Integer call() throws Exception {
    BuildOptions o = inputs.toOptions();
    if (!o.dryRun) {
      throw LayerslimException.usage("layerslim prune only plans: add --dry-run (layerslim build applies the plan)");
    }
    return BuildCommand.plan(o, log.console(spec), spec.commandLine().getOut());
  }
}
