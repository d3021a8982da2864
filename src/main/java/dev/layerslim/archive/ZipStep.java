package dev.layerslim.archive;

import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.Step;
import java.io.IOException;
import java.nio.file.Path;

/** Zip: writes {@code <output>/layer.zip} reproducibly from the final layer tree. */
public final class ZipStep implements Step {
  static final String PREFIX = "python/";
  private static final int LEVEL = 6;

  static ReproducibleZip zip(BuildContext ctx) {
    return new ReproducibleZip(ctx.options().threads, LEVEL);
  }

  static Path scratch(BuildContext ctx) {
    return ctx.workDir().resolve("zip");
  }

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
    ZipPrefetch prefetch = ctx.attachment(ZipPrefetch.class);
    ReproducibleZip.Result r = zip(ctx).write(tree, PREFIX, zip, scratch(ctx), n -> {
      if (n % 500 == 0 || n == total) {
        ctx.progress(name(), n, total, "files");
      }
    }, prefetch == null ? java.util.Map.of() : prefetch.started());
    if (prefetch != null) {
      prefetch.close();
    }
    ctx.zipFile = zip;
    ctx.zippedBytes = r.zipBytes();
    java.util.Map<String, Long> byPath = new java.util.HashMap<>();
    r.compressedByName().forEach((n, c) -> {
      if (!n.endsWith("/")) {
        byPath.put(n.substring(PREFIX.length()), c);
      }
    });
    ctx.compressedBytes = byPath;
    ctx.stepSummary(zip + ": " + Sizes.human(r.zipBytes()) + ", " + r.entries() + " entries");
  }
}
