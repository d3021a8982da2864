package dev.layerslim.cli;

import dev.layerslim.layer.Plural;
import dev.layerslim.archive.ReproducibleZip;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Sizes;
import dev.layerslim.layer.Trees;
import dev.layerslim.error.LayerslimException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code layerslim zip}: the zip step alone, the same reproducible zip build writes, over any
 * layer folder. The entries lie under {@code python/}.
 */
@Command(name = "zip", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {"Zips a layer folder reproducibly, its files under python/.",
        "Sorted entries, one fixed time, normalised modes, as build writes layer.zip: the same folder always",
        "gives the same bytes.", ""},
    footerHeading = "%nExample:%n",
    footer = {"  layerslim zip --layer layerslim-out/layer -o layer.zip",
        "", "Exit codes: 0 written, 2 bad usage or input (a link out of the folder, an output inside it), 4 an internal error."})
public final class ZipCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin Options.Layer layer = new Options.Layer();

  @Option(names = {"-o", "--output"}, paramLabel = "FILE.zip", required = true, description = "the zip to write")
  Path output;

  @CommandLine.Mixin Options.Threads threads = new Options.Threads();

  @Override
  public Integer call() throws Exception {
    Path root = layer.root();
    Path zip = output.toAbsolutePath().normalize();
    Path given = layer.layer.toAbsolutePath().normalize();
    Path parent = zip.getParent();
    // compared through real paths, so a link to the layer folder is no way around it
    Path realZipDir = parent != null && Files.isDirectory(parent) ? parent.toRealPath() : parent;
    if (realZipDir != null && (realZipDir.startsWith(given.toRealPath()) || realZipDir.startsWith(root.toRealPath()))) {
      throw LayerslimException.usage("-o " + output + " lies inside the layer folder " + layer.layer
          + ": the input is never written to; pick a path outside it");
    }
    if (Files.isDirectory(zip, LinkOption.NOFOLLOW_LINKS)) {
      throw LayerslimException.usage("-o " + output + " is a folder; name the zip file to write");
    }
    if (!zip.getFileName().toString().endsWith(".zip")) {
      throw LayerslimException.usage("-o " + output + ": name a .zip file");
    }
    int n = threads.count();
    PrintWriter out = spec.commandLine().getOut();
    LayerTree tree = LayerTree.scan(root);
    tree.skipped().forEach(s -> spec.commandLine().getErr().println("warning: left out " + s));
    Files.createDirectories(parent);
    Path scratch = Files.createTempDirectory("layerslim-zip");
    ReproducibleZip.Result r;
    try {
      // level 6, as the build's zip step
      r = new ReproducibleZip(n, 6).write(tree, "python/", zip, scratch, null);
    } finally {
      Trees.deleteRecursively(scratch);
    }
    out.println(zip + ": " + Sizes.human(r.zipBytes()) + " (" + Sizes.grouped(r.zipBytes()) + " bytes), "
        + Plural.count(r.entries(), "entry") + ", " + Plural.count(tree.files().size(), "file") + ", " + Sizes.human(tree.totalBytes()) + " unzipped");
    out.flush();
    return 0;
  }
}
