package dev.layerslim.archive;

import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.StagedLayer;
import dev.layerslim.pipeline.Step;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts deflating the layer's large files right after strip, on one background thread, while
 * the smoke test and the bytecode compiler keep the other core busy with Python. The zip step
 * uses each result only if its file is still the same; files the later steps touch (pycs, a file
 * healing put back) are deflated again. Deflating is the largest single cost of a build (bench/).
 */
public final class ZipPrefetch implements Step<ZipPrefetch.Queue> {
  /** Smaller files are cheap and stay with the zip step (they would only hold memory meanwhile). */
  static final long MIN_BYTES = 256 * 1024;
  /**
   * Source bytes queued at most: the results wait for the zip step, in memory within the queue's
   * {@link MemoryBudget} and in scratch beyond it, so scratch stays bounded too; the
   * files past this are left to the zip step.
   */
  static final long MAX_QUEUED_BYTES = 512L * 1024 * 1024;

  /**
   * The deflates under way, for the zip step, and the memory budget their results and the zip
   * share. Close it on every path: it stops the worker (results not picked up are dropped with the
   * build's scratch folder).
   */
  public static final class Queue implements AutoCloseable {
    private final ExecutorService pool;
    private final Map<String, ReproducibleZip.Prefetched> started;
    private final MemoryBudget budget;

    Queue(ExecutorService pool, Map<String, ReproducibleZip.Prefetched> started, MemoryBudget budget) {
      this.pool = pool;
      this.started = started;
      this.budget = budget;
    }

    /** Nothing queued: the zip step deflates every file itself. */
    public static Queue empty() {
      return new Queue(null, Map.of(), MemoryBudget.forHeap());
    }

    /** The memory budget of this build's zip: the prefetched results hold part of it. */
    MemoryBudget budget() {
      return budget;
    }

    /** What was queued, by path relative to the layer root. */
    Map<String, ReproducibleZip.Prefetched> started() {
      return started;
    }

    @Override
    public void close() {
      // results the zip step did not use give their memory budget back (used ones were released),
      // and tasks still running give theirs back when they end
      started.values().forEach(ReproducibleZip.Prefetched::abandon);
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  private final StagedLayer layer;
  private final int threads;

  /**
   * Queues the large files of {@code layer} as it is after strip, deflated as {@link ZipStep}
   * will with the same {@code threads}.
   */
  public ZipPrefetch(StagedLayer layer, int threads) {
    this.layer = layer;
    this.threads = threads;
  }

  @Override
  public String name() {
    return "zip-prefetch";
  }

  @Override
  public String title() {
    return "Deflating large files in the background";
  }

  @Override
  public Queue run(BuildContext ctx) throws IOException {
    LayerTree tree = layer.tree();
    List<FileEntry> big = tree.files().stream()
        .filter(f -> f.size() >= MIN_BYTES && !f.path().endsWith(".pyc"))
        .sorted(Comparator.comparingLong(FileEntry::size).reversed()).toList();
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "zip-prefetch");
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY);
      return t;
    });
    Map<String, ReproducibleZip.Prefetched> started = new HashMap<>();
    Queue queue = new Queue(pool, started, MemoryBudget.forHeap());
    try {
      ReproducibleZip zip = ZipStep.zip(threads, queue.budget());
      Path scratch = ZipStep.scratch(ctx);
      java.nio.file.Files.createDirectories(scratch);
      long bytes = 0;
      for (FileEntry f : big) {
        if (bytes + f.size() > MAX_QUEUED_BYTES) {
          continue; // smaller ones may still fit
        }
        started.put(f.path(), zip.prefetch(tree, ZipStep.PREFIX, f, scratch, pool));
        bytes += f.size();
      }
      ctx.stepSummary(dev.layerslim.layer.Plural.count(big.size(), "file") + " (" + dev.layerslim.layer.Sizes.human(bytes) + ") queued");
      return queue;
    } catch (IOException | RuntimeException e) {
      queue.close();
      throw e;
    }
  }
}
