package dev.layerslim.cli;

import dev.layerslim.layer.Plural;
import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.pipeline.StagedLayer;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.python.SystemProcessRunner;
import java.io.PrintWriter;
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
        "mode (plain or targeted) and the sizes.", ""},
    footerHeading = "%nExample:%n",
    footer = {"  layerslim install -r requirements.txt --python 3.12 --arch arm64 -o out",
        "", "Exit codes: 0 installed, 2 bad usage or input, 3 pip failed, 4 an internal error."})
public final class InstallCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin Options.Source source = new Options.Source();
  @CommandLine.Mixin Options.TargetRuntime target = new Options.TargetRuntime();
  @CommandLine.Mixin Options.Output output = new Options.Output();
  @CommandLine.Mixin Options.Pip pip = new Options.Pip();

  @CommandLine.Mixin LogOptions log = new LogOptions();

  @Override
  public Integer call() throws Exception {
    BuildOptions.Builder b = BuildOptions.builder();
    source.applyTo(b);
    target.applyTo(b);
    output.applyTo(b);
    pip.applyTo(b);
    BuildOptions o = b.build();
    CommandSafeWriter.redact(spec.commandLine(), o, System.getenv());
    PrintWriter out = spec.commandLine().getOut();
    ConsoleRenderer renderer = log.console(spec);
    // stage with no prune plan keeps every file: the layer is the installed tree, hard-linked or copied
    Workflows.Installed installed = BuildRunner.run(o, Workflows::installOnly, renderer, new SystemProcessRunner())
        .result();
    InstallResult install = installed.install();
    StagedLayer layer = installed.layer();
    out.println();
    out.println("install mode: " + install.mode().label());
    out.println("installed:    " + Plural.count(install.distributions().size(), "distribution") + ", "
        + Plural.count(install.tree().files().size(), "file") + ", " + Sizes.human(install.tree().totalBytes()));
    out.println("layer:        " + layer.root() + " (" + Sizes.human(layer.tree().totalBytes()) + ", "
        + Plural.count(layer.tree().files().stream().filter(f -> f.elf()).count(), "ELF object") + ")");
    if (o.install().requirements() != null) {
      out.println("pip log:      " + o.output().resolve("pip.log"));
    }
    out.flush();
    return 0;
  }
}
