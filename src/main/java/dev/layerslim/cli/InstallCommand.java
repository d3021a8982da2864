package dev.layerslim.cli;

import dev.layerslim.install.InstallStep;
import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.python.SystemProcessRunner;
import dev.layerslim.stage.StageStep;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code layerslim install}: install → stage only. {@code OUTPUT/layer/python} ends with the
 * installed tree as pip left it (nothing pruned, stripped or compiled), beside pip.log.
 */
@Command(name = "install", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {"Installs and stages only, to see what pip installs for the target.",
        "OUTPUT/layer/python/ gets the installed tree as it is, OUTPUT/pip.log pip's output. Prints the install",
        "mode (plain or targeted) and the sizes. Takes build's inputs; the prune, strip, smoke, bytecode and",
        "limit options are not used here.", ""},
    footerHeading = "%nExample:%n",
    footer = {"  layerslim install -r requirements.txt --python 3.12 --arch arm64 -o out",
        "", "Exit codes: 0 installed, 2 bad usage or input, 3 pip failed."})
public final class InstallCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin BuildCommand.Inputs inputs = new BuildCommand.Inputs();

  @CommandLine.Mixin LogOptions log = new LogOptions();

  @Override
  public Integer call() throws Exception {
    BuildOptions o = inputs.toOptions();
    PrintWriter out = spec.commandLine().getOut();
    ConsoleRenderer renderer = log.console(spec);
    // stage with no prune plan keeps every file: the layer is the installed tree, hard-linked or copied
    BuildContext ctx = BuildRunner.run(o, List.of(new InstallStep(), new StageStep()), renderer,
        new SystemProcessRunner());
    out.println();
    out.println("install mode: " + ctx.installMode);
    out.println("installed:    " + ctx.distributions.size() + " distributions, " + ctx.sourceTree.files().size()
        + " files, " + Sizes.human(ctx.sourceTree.totalBytes()));
    out.println("layer:        " + ctx.layerRoot + " (" + Sizes.human(ctx.finalTree.totalBytes()) + ", "
        + ctx.finalTree.files().stream().filter(f -> f.elf()).count() + " ELF objects)");
    if (o.requirements != null) {
      out.println("pip log:      " + o.output.resolve("pip.log"));
    }
    out.flush();
    return 0;
  }
}
