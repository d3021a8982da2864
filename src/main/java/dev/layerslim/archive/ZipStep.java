package dev.layerslim.archive;

import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.Step;
import java.io.IOException;
import java.nio.file.Path;

/** Zip: writes {@code <output>/layer.zip} reproducibly from the final layer tree. */
public final class ZipStep implements Step {

  @Override
  public String name() {
    return "zip";
  }

  @Override
  public String title() {
    return "Zipping the layer";
  }

  @Override
  public void run(BuildContext ctx) throws IOException {
    LayerTree tree = LayerTree.scan(ctx.layerRoot);
    ctx.finalTree = tree;
    Path zip = ctx.outputDir().resolve("layer.zip");
    int total = tree.files().size();
    ReproducibleZip.Result r = new ReproducibleZip(ctx.options().threads, 6).write(tree, "python/", zip,
        ctx.workDir().resolve("zip"), n -> {
          if (n % 500 == 0 || n == total) {
            ctx.progress(name(), n, total, "files");
          }
        });
    ctx.zipFile = zip;
    ctx.zippedBytes = r.zipBytes();
    java.util.Map<String, Long> byPath = new java.util.HashMap<>();
    r.compressedByName().forEach((n, c) -> {
      if (!n.endsWith("/")) {
        byPath.put(n.substring("python/".length()), c);
      }
    });
    ctx.compressedBytes = byPath;
    ctx.stepSummary(zip + ": " + Sizes.human(r.zipBytes()) + ", " + r.entries() + " entries");
  }
}
