package dev.layerslim.cli;

import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.StagedLayer;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.python.SystemProcessRunner;
import dev.layerslim.strip.SafeStripper;
import dev.layerslim.strip.StripOutcome;
import dev.layerslim.strip.StripSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code layerslim strip}: the strip step alone over an existing layer folder. By default the
 * folder is staged into {@code OUTPUT/layer/python} first and the copy is stripped; the given
 * folder is changed only with {@code --in-place}.
 */
@Command(name = "strip", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {"Strips the ELF objects of a layer folder, on a copy unless --in-place.",
        "strip --strip-unneeded, keeping a stripped object only when it still validates. The copy goes to",
        "OUTPUT/layer/python/. Prints what happened to each object and the bytes saved.", ""},
    footerHeading = "%nExamples:%n",
    footer = {"  layerslim strip --layer layerslim-out/layer -o stripped",
        "  layerslim strip --layer my-layer/python --in-place",
        "", "Exit codes: 0 done, 2 bad usage or input, 3 strip could not run, 4 an internal error."})
public final class StripCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin Options.Layer layer = new Options.Layer();

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "layerslim-strip-out",
      description = "where the stripped copy goes: OUTPUT/layer/python/ (default: ${DEFAULT-VALUE})")
  Path output;

  @Option(names = "--in-place", description = "strip the given folder itself instead of a copy (changes it)")
  boolean inPlace;

  @CommandLine.Mixin Options.Threads threads = new Options.Threads();
  @CommandLine.Mixin LogOptions log = new LogOptions();

  @Override
  public Integer call() throws Exception {
    Path root = layer.root();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (inPlace && spec.commandLine().getParseResult().hasMatchedOption("--output")) {
      throw LayerslimException.usage("--in-place strips --layer itself: leave out -o/--output");
    }
    int n = threads.count();
    Path target;
    LayerTree tree;
    if (inPlace) {
      target = root;
      tree = LayerTree.scan(root);
      tree.skipped().forEach(s -> err.println("warning: left out " + s));
    } else {
      // the copy is made the way build makes its layer: the folder is read as an installed tree and staged
      BuildOptions o = BuildOptions.builder().sitePackages(root).output(output.toAbsolutePath().normalize())
          .threads(n).build();
      OutputDir.check(o.output(), layer.layer);
      StagedLayer staged = BuildRunner.run(o, Workflows::installOnly,
          new ConsoleRenderer(err, err, false, log.verbose), new SystemProcessRunner()).result().layer();
      target = staged.root();
      tree = staged.tree();
    }
    List<FileEntry> elf = tree.files().stream().filter(FileEntry::elf).toList();
    StripSummary s = new SafeStripper(new SystemProcessRunner(), SafeStripper.DEFAULT_EXECUTABLE, n)
        .strip(target, elf, o -> { });
    if (s.skipped()) {
      throw LayerslimException.stepFailed(s.skipReason());
    }
    for (StripOutcome o : s.outcomes()) {
      out.println(line(o));
    }
    out.println();
    out.println(s.count(StripOutcome.Status.STRIPPED) + " of " + dev.layerslim.layer.Plural.count(elf.size(), "ELF object") + " stripped, "
        + Sizes.human(s.bytesSaved()) + " saved (" + Sizes.grouped(s.bytesSaved()) + " bytes); "
        + (s.count(StripOutcome.Status.REJECTED) + s.count(StripOutcome.Status.FAILED)) + " kept as they were");
    out.println("layer: " + target + (inPlace ? " (stripped in place)" : ""));
    out.flush();
    return 0;
  }

  private static String line(StripOutcome o) {
    return switch (o.status()) {
      case STRIPPED -> String.format(Locale.ROOT, "stripped          %s: %s → %s", o.path(), Sizes.human(o.before()),
          Sizes.human(o.after()));
      case STRIPPED_KEEPING_LAYOUT -> String.format(Locale.ROOT, "stripped, layout  %s: %s → %s (%s)", o.path(),
          Sizes.human(o.before()), Sizes.human(o.after()), o.reason());
      case NOTHING_TO_STRIP -> "nothing to strip  " + o.path() + ": " + o.reason();
      case REJECTED, FAILED -> "kept original     " + o.path() + ": " + o.reason();
    };
  }
}
