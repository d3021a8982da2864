package dev.layerslim.archive;

import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.StagedLayer;
import dev.layerslim.pipeline.Step;
import dev.layerslim.pipeline.ZipResult;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Zip: writes {@code <output>/layer.zip} reproducibly from the final layer, using what the
 * prefetch already deflated where the file is still the same.
 */
public final class ZipStep implements Step<ZipResult> {
  static final String PREFIX = "python/";
  private static final int LEVEL = 6;

  /** The zip's deflater: the prefetch must use the same one (same threads, same level) as the zip. */
  static ReproducibleZip zip(int threads, MemoryBudget budget) {
    return new ReproducibleZip(threads, LEVEL, budget);
  }

  static Path scratch(BuildContext ctx) {
    return ctx.workDir().resolve("zip");
  }

  private final StagedLayer layer;
  private final ZipPrefetch.Queue prefetched;
  private final int threads;

  /**
   * Zips {@code layer} with {@code threads} deflaters (the value the prefetch got);
   * {@code prefetched} is closed when the zip is written.
   */
  public ZipStep(StagedLayer layer, ZipPrefetch.Queue prefetched, int threads) {
    this.layer = layer;
    this.prefetched = prefetched;
    this.threads = threads;
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
  public ZipResult run(BuildContext ctx) throws IOException {
    LayerTree tree = LayerTree.scan(layer.root());
    Path zip = ctx.outputDir().resolve("layer.zip");
    int total = tree.files().size();
    ReproducibleZip.Result r = zip(threads, prefetched.budget()).write(tree, PREFIX, zip, scratch(ctx), n -> {
      if (n % 500 == 0 || n == total) {
        ctx.progress(name(), n, total, "files");
      }
    }, prefetched.started());
    prefetched.close();
    java.util.Map<String, Long> byPath = new java.util.HashMap<>();
    r.compressedByName().forEach((n, c) -> {
      if (!n.endsWith("/")) {
        byPath.put(n.substring(PREFIX.length()), c);
      }
    });
    ctx.stepSummary(zip + ": " + Sizes.human(r.zipBytes()) + ", " + dev.layerslim.layer.Plural.count(r.entries(), "entry"));
    return new ZipResult(zip, r.zipBytes(), byPath, tree);
  }
}
