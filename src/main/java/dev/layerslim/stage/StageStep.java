package dev.layerslim.stage;

import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Sizes;
import dev.layerslim.layer.Trees;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.pipeline.Removals;
import dev.layerslim.pipeline.StagedLayer;
import dev.layerslim.pipeline.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stage: puts every file the prune plan keeps into {@code <output>/layer/python}. Deleted bytes are
 * never copied. Files of layerslim's own pip install are hard-linked; a user's tree is copied and
 * never changed.
 */
public final class StageStep implements Step<StagedLayer> {
  private final InstallResult install;
  private final Removals removals;
  private final int threads;

  /** Stages what {@code removals} leaves of {@code install}, copying with up to {@code threads} (2 to 4) workers. */
  public StageStep(InstallResult install, Removals removals, int threads) {
    this.install = install;
    this.removals = removals;
    this.threads = threads;
  }


  @Override
  public String name() {
    return "stage";
  }

  @Override
  public String title() {
    return "Staging the kept files";
  }

  @Override
  public StagedLayer run(BuildContext ctx) throws IOException {
    Path layer = ctx.outputDir().resolve("layer");
    Trees.deleteRecursively(layer);
    Path root = layer.resolve("python");
    Files.createDirectories(root);
    List<FileEntry> kept = new ArrayList<>();
    for (FileEntry f : install.tree().files()) {
      if (!removals.contains(f.path())) {
        kept.add(f);
      }
    }
    // create folders first (single-threaded: cheap, and avoids races between workers)
    java.util.Set<Path> dirs = new java.util.HashSet<>();
    for (FileEntry f : kept) {
      Path parent = root.resolve(f.path()).getParent();
      if (dirs.add(parent)) {
        Files.createDirectories(parent);
      }
    }
    long total = kept.size();
    AtomicLong done = new AtomicLong();
    // layerslim's own install is hard-linked, not copied: no bytes move, and its originals stay
    // for healing (strip replaces a file by renaming over it, which leaves the other link alone)
    boolean link = install.owned();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(4, Math.max(2, threads)));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (FileEntry f : kept) {
        futures.add(pool.submit(() -> {
          place(install.sourceRoot().resolve(f.path()), root.resolve(f.path()), f, link);
          long n = done.incrementAndGet();
          if (n % 500 == 0 || n == total) {
            ctx.progress(name(), n, total, "files");
          }
        }));
      }
      for (Future<?> fu : futures) {
        fu.get();
      }
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw new IOException(c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while staging", e);
    } finally {
      pool.shutdownNow();
    }
    LayerTree tree = LayerTree.scan(root);
    ctx.stepSummary(dev.layerslim.layer.Plural.count(kept.size(), "file") + " kept (" + Sizes.human(tree.totalBytes()) + "), "
        + removals.size() + " left out");
    return new StagedLayer(root, tree);
  }

  private static void place(Path from, Path to, FileEntry f, boolean link) {
    try {
      if (link && !f.link()) {
        Files.deleteIfExists(to);
        Files.createLink(to, from);
      } else {
        // copy follows a link inside the tree: the layer holds the file it points to
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
