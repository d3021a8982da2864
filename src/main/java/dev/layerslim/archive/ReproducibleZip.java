package dev.layerslim.archive;

import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.error.LayerslimException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.Zip64Mode;

/**
 * Writes a reproducible zip: entries sorted, one fixed timestamp, normalised permissions, Unix
 * "made by", no extra fields. The same tree gives the same bytes in any time zone.
 *
 * <p>Files are deflated in parallel, each into its own buffer, and written in sorted order as raw
 * entries. A deflated file waits in memory only while the zip's {@link MemoryBudget} (64 MiB, an
 * eighth of the heap at most, shared with the prefetch that feeds this zip) has room; past it, and
 * for large files, it waits in a scratch file. At most {@code 4 × threads} files are in flight, so
 * the heap a zip needs does not grow with the tree.
 */
public final class ReproducibleZip {
  /**
   * The one timestamp of every entry, as the DOS date/time fields store it (local time, no zone).
   * Two days past the DOS epoch: commons-compress adds extended-timestamp extra fields to a time
   * it thinks lies before 1980, and its bound is computed in the zone the JVM started in; with
   * a day of margin on each side no zone (UTC−12 … UTC+14) can push this time below it.
   */
  static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 3, 0, 0, 0);

  private static final int FILE_MODE = 0100644;
  private static final int EXEC_MODE = 0100755;
  private static final int DIR_MODE = 040755;
  /** Files larger than this are deflated to a temporary file instead of memory. */
  private static final long IN_MEMORY_LIMIT = 4L * 1024 * 1024;
  /** Source bytes of large files queued ahead of the writer's window: they spill to scratch. */
  static final long EARLY_SPILL_BYTES = 512L * 1024 * 1024;

  /** Opens a file of the tree for deflating: the files' bytes are read through it and nowhere else. */
  @FunctionalInterface
  interface Opener {
    InputStream open(Path file) throws IOException;
  }

  private final int threads;
  private final int level;
  private final MemoryBudget budget;
  private final Opener opener;

  /** A zip with a memory budget of its own. */
  public ReproducibleZip(int threads, int level) {
    this(threads, level, MemoryBudget.forHeap());
  }

  /** A zip that holds deflated files in memory within {@code budget}, which its prefetch shares. */
  ReproducibleZip(int threads, int level, MemoryBudget budget) {
    this(threads, level, budget, Files::newInputStream);
  }

  /** As above, reading the files through {@code opener} (tests count the reads). */
  ReproducibleZip(int threads, int level, MemoryBudget budget, Opener opener) {
    this.threads = Math.max(1, threads);
    this.level = level;
    this.budget = budget;
    this.opener = opener;
  }

  /** What was written. */
  public record Result(long zipBytes, int entries, java.util.Map<String, Long> compressedByName) {}

  /** One file deflated and waiting for its turn; {@code memory} is what its bytes hold of the budget, or null. */
  record Deflated(ZipArchiveEntry entry, byte[] data, int length, Path spill, MemoryBudget.Reservation memory) {
    /** Gives back what it holds of the memory budget (once). */
    void release() {
      if (memory != null) {
        memory.release();
      }
    }
  }

  /** One entry of the zip, in name order: a folder, or a file of the tree. */
  private sealed interface Slot permits Folder, TreeFile {}

  /** A folder entry, its name ending in {@code /}. */
  private record Folder(String name) implements Slot {}

  /** A file of the tree. */
  private record TreeFile(FileEntry entry) implements Slot {}

  /** What a file looked like when its prefetch was queued: a prefetched result is used only if it still does. */
  record Stamp(long size, java.nio.file.attribute.FileTime modified, String fileKey, boolean executable) {}

  /**
   * A deflater with its buffers, reused from file to file: a fresh one per file made zlib allocate
   * and free its ~256 KiB of state 1,500 times a build (each an mmap and munmap under the native
   * binary's musl), and two 64 KiB Java buffers besides.
   */
  private static final class Worker {
    final Deflater deflater;
    final byte[] in = new byte[64 * 1024];
    final byte[] out = new byte[64 * 1024];

    Worker(int level) {
      deflater = new Deflater(level, true);
    }
  }

  /** Idle workers by level; at most {@link #IDLE_WORKERS} are kept, the rest are ended. */
  private static final java.util.Map<Integer, java.util.concurrent.ConcurrentLinkedDeque<Worker>> IDLE =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final int IDLE_WORKERS = 8;

  private static Worker borrow(int level) {
    Worker w = IDLE.computeIfAbsent(level, l -> new java.util.concurrent.ConcurrentLinkedDeque<>()).pollFirst();
    return w != null ? w : new Worker(level);
  }

  private static void giveBack(int level, Worker w, boolean clean) {
    var idle = IDLE.get(level);
    if (clean && idle.size() < IDLE_WORKERS) {
      w.deflater.reset();
      idle.addFirst(w);
    } else {
      w.deflater.end();
    }
  }

  /** A byte array stream whose buffer is taken as it is: no copy of each deflated file. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(size);
    }

    byte[] array() {
      return buf;
    }
  }

  /**
   * A file deflated ahead of {@link #write}, with what it looked like when the work was queued:
   * the result is used only if the file is still the same (size, modification time, inode, mode).
   */
  record Prefetched(Future<Deflated> result, Stamp stamp, java.util.concurrent.atomic.AtomicInteger state) {
    static final int QUEUED = 0;
    static final int RUNNING = 1;
    static final int ABANDONED = 2;
    static final int DONE = 3;

    /**
     * Nobody will take the result: a task not started never runs, a running one gives its memory
     * back when it ends, and a finished one's is given back here. ({@code Future.cancel} could not
     * say this: it "succeeds" on a running task, whose reservation was then never given back.)
     */
    void abandon() {
      if (!state.compareAndSet(QUEUED, ABANDONED) && !state.compareAndSet(RUNNING, ABANDONED)) {
        releaseDone(result);
      }
    }
  }

  /** Queues {@code f} for deflation on {@code pool} now; {@link #write} picks the result up. */
  Prefetched prefetch(LayerTree tree, String prefix, FileEntry f, Path scratch, ExecutorService pool)
      throws IOException {
    Stamp stamp = stamp(tree.resolve(f.path()), f);
    var state = new java.util.concurrent.atomic.AtomicInteger(Prefetched.QUEUED);
    return new Prefetched(pool.submit(() -> {
      if (!state.compareAndSet(Prefetched.QUEUED, Prefetched.RUNNING)) {
        return null;
      }
      Deflated d = deflate(tree.resolve(f.path()), prefix + f.path(), f, scratch);
      if (!state.compareAndSet(Prefetched.RUNNING, Prefetched.DONE)) { // abandoned while it ran
        discard(d);
        return null;
      }
      return d;
    }), stamp, state);
  }

  private static void discard(Deflated d) throws IOException {
    d.release();
    if (d.spill() != null) {
      Files.deleteIfExists(d.spill());
    }
  }

  private static Stamp stamp(Path file, FileEntry f) throws IOException {
    var a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
    return new Stamp(a.size(), a.lastModifiedTime(), String.valueOf(a.fileKey()), f.executable());
  }

  /**
   * The prefetched result for {@code f} if it is still good. A task that has not started is
   * cancelled (the caller deflates it on its own pool), a file that changed since is done again.
   */
  private Deflated usable(Prefetched p, LayerTree tree, FileEntry f) throws IOException, InterruptedException {
    if (p.state().compareAndSet(Prefetched.QUEUED, Prefetched.ABANDONED)) {
      return null;
    }
    Deflated d;
    try {
      d = p.result().get();
    } catch (ExecutionException | java.util.concurrent.CancellationException e) {
      return null;
    }
    if (d == null) {
      return null;
    }
    if (stamp(tree.resolve(f.path()), f).equals(p.stamp()) && d.entry().getSize() == f.size()) {
      return d;
    }
    discard(d);
    return null;
  }

  /**
   * Zips every file of {@code tree} under {@code prefix} (like {@code python/}) into {@code zip}.
   * The zip is written to a temporary name and moved into place only when complete.
   */
  public Result write(LayerTree tree, String prefix, Path zip, Path scratch, LongConsumer onFileDone)
      throws IOException {
    return write(tree, prefix, zip, scratch, onFileDone, java.util.Map.of());
  }

  /** As {@link #write(LayerTree, String, Path, Path, LongConsumer)}, reusing what was prefetched. */
  Result write(LayerTree tree, String prefix, Path zip, Path scratch, LongConsumer onFileDone,
      java.util.Map<String, Prefetched> prefetched) throws IOException {
    TreeSet<String> dirs = new TreeSet<>();
    addParents(prefix, dirs);
    for (FileEntry f : tree.files()) {
      String name = prefix + f.path();
      checkEntryName(name);
      addParents(name, dirs);
    }
    List<Slot> order = new ArrayList<>();
    TreeSet<String> all = new TreeSet<>(dirs);
    for (FileEntry f : tree.files()) {
      all.add(prefix + f.path());
    }
    java.util.Map<String, FileEntry> byName = new java.util.HashMap<>();
    for (FileEntry f : tree.files()) {
      byName.put(prefix + f.path(), f);
    }
    for (String n : all) {
      order.add(byName.containsKey(n) ? new TreeFile(byName.get(n)) : new Folder(n));
    }
    Files.createDirectories(scratch);
    Path tmp = zip.resolveSibling(zip.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "deflate");
      t.setDaemon(true);
      return t;
    });
    int entries = 0;
    long done = 0;
    java.util.Map<String, Long> compressed = new java.util.HashMap<>();
    boolean ok = false;
    java.util.Map<String, Future<Deflated>> early = new java.util.HashMap<>();
    Deque<Future<Deflated>> window = new ArrayDeque<>();
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(tmp.toFile())) {
      out.setUseZip64(Zip64Mode.AsNeeded);
      out.setCreateUnicodeExtraFields(ZipArchiveOutputStream.UnicodeExtraFieldPolicy.NEVER);
      out.setEncoding("UTF-8");
      // Large files (they spill to disk: they take no memory budget) are queued first, largest first:
      // in name order one big library at the head would hold the writer while the window of small
      // files behind it filled up, leaving cores idle.
      for (FileEntry f : tree.files()) {
        Prefetched p = prefetched.get(f.path());
        Deflated d = p == null ? null : usable(p, tree, f);
        if (d != null) {
          early.put(f.path(), java.util.concurrent.CompletableFuture.completedFuture(d));
        }
      }
      // (up to EARLY_SPILL_BYTES of them: the rest take their turn in the window, so scratch
      // never holds the whole zip at once)
      long earlyBytes = 0;
      for (FileEntry f : tree.files().stream().filter(f -> f.size() > IN_MEMORY_LIMIT && !early.containsKey(f.path()))
          .sorted(java.util.Comparator.comparingLong(FileEntry::size).reversed()).toList()) {
        if (earlyBytes + f.size() > EARLY_SPILL_BYTES && earlyBytes > 0) {
          break;
        }
        earlyBytes += f.size();
        early.put(f.path(), pool.submit(() -> deflate(tree.resolve(f.path()), prefix + f.path(), f, scratch)));
      }
      int next = 0;
      int windowSize = threads * 4;
      while (next < order.size() || !window.isEmpty()) {
        while (next < order.size() && window.size() < windowSize) {
          Slot slot = order.get(next++);
          if (slot instanceof TreeFile file && early.containsKey(file.entry().path())) {
            window.add(early.get(file.entry().path()));
          } else if (slot instanceof TreeFile file) {
            FileEntry f = file.entry();
            window.add(pool.submit(() -> deflate(tree.resolve(f.path()), prefix + f.path(), f, scratch)));
          } else if (slot instanceof Folder folder) {
            window.add(java.util.concurrent.CompletableFuture.completedFuture(
                new Deflated(directoryEntry(folder.name()), new byte[0], 0, null, null)));
          }
        }
        Deflated d = window.poll().get();
        try (InputStream raw = d.spill() == null ? new ByteArrayInputStream(d.data(), 0, d.length()) : Files.newInputStream(d.spill())) {
          out.addRawArchiveEntry(d.entry(), raw);
        } finally {
          d.release();
          if (d.spill() != null) {
            Files.deleteIfExists(d.spill());
          }
        }
        entries++;
        compressed.put(d.entry().getName(), d.entry().getCompressedSize());
        if (!d.entry().isDirectory() && onFileDone != null) {
          onFileDone.accept(++done);
        }
      }
      out.finish();
      ok = true;
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof IOException io ? io : new IOException(c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while zipping", e);
    } finally {
      pool.shutdownNow();
      if (!ok) {
        // workers still deflating would write spills and take memory after the clean-up: let them
        // stop first, then what the window and the early map hold goes back to the budget
        awaitQuietly(pool);
        for (Future<Deflated> fut : early.values()) {
          releaseDone(fut);
        }
        for (Future<Deflated> fut : window) {
          releaseDone(fut);
        }
        cleanSpills(scratch);
        Files.deleteIfExists(tmp);
      }
    }
    Files.move(tmp, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return new Result(Files.size(zip), entries, compressed);
  }

  /** Releases what a finished future's result holds of the memory budget; an unfinished one is left. */
  static void releaseDone(Future<Deflated> fut) {
    if (fut.isDone() && !fut.isCancelled()) {
      try {
        Deflated d = fut.get();
        if (d != null) {
          d.release();
        }
      } catch (ExecutionException | InterruptedException e) {
        // nothing was held
      }
    }
  }

  private static void awaitQuietly(ExecutorService pool) {
    try {
      pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void cleanSpills(Path scratch) {
    try (var s = Files.list(scratch)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.getFileName().toString().startsWith("deflate")) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException ignored) {
      // scratch lies in the output's .work folder, which the next build clears anyway
    }
  }

  private static void addParents(String name, TreeSet<String> dirs) {
    int i = name.indexOf('/');
    while (i > 0) {
      dirs.add(name.substring(0, i + 1));
      i = name.indexOf('/', i + 1);
    }
  }

  /**
   * Refuses entry names that could escape the folder they are unpacked into, or that unzip
   * tools read differently: absolute paths, {@code ..} or empty segments, backslashes, control
   * characters.
   */
  static void checkEntryName(String name) {
    boolean bad = name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("//");
    for (String seg : name.split("/", -1)) {
      if (seg.equals("..") || seg.equals(".")) {
        bad = true;
      }
    }
    for (int i = 0; i < name.length() && !bad; i++) {
      if (name.charAt(i) < 0x20 || name.charAt(i) == 0x7f) {
        bad = true;
      }
    }
    if (bad) {
      throw LayerslimException.usage("refusing zip entry name '" + name.replaceAll("\\p{Cntrl}", "?")
          + "': it is absolute, has '..' or empty segments, a backslash or a control character; rename the file");
    }
  }

  private static ZipArchiveEntry directoryEntry(String name) {
    ZipArchiveEntry e = new ZipArchiveEntry(name);
    e.setUnixMode(DIR_MODE);
    e.setTime(fixedTime());
    e.setMethod(ZipArchiveEntry.STORED);
    e.setSize(0);
    e.setCompressedSize(0);
    e.setCrc(0);
    return e;
  }

  /** Java time that converts to the DOS fields of {@link #FIXED_TIME} in the current time zone. */
  private static long fixedTime() {
    return FIXED_TIME.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
  }

  private Deflated deflate(Path file, String name, FileEntry f, Path scratch) throws IOException {
    CRC32 crc = new CRC32();
    Path spill = null;
    Buffer mem = null;
    OutputStream sink;
    // memory only within the budget: a deflated file may be a little larger than its source
    long reserve = f.size() + f.size() / 100 + 1024;
    MemoryBudget.Reservation memory = f.size() <= IN_MEMORY_LIMIT ? budget.reserve(reserve) : null;
    if (memory == null) {
      spill = Files.createTempFile(scratch, "deflate", ".tmp");
      sink = Files.newOutputStream(spill);
    } else {
      mem = new Buffer((int) Math.max(64, reserve)); // never regrown: never twice the size
      sink = mem;
    }
    long size = 0;
    Worker w = borrow(level);
    boolean clean = false;
    Deflater deflater = w.deflater;
    // sink first: a source that cannot be opened must not leave the spill file open
    try (OutputStream target = sink; InputStream in = opener.open(file)) {
      // the calls DeflaterOutputStream makes, with the worker's buffers: the same bytes
      int n;
      while ((n = in.read(w.in)) > 0) {
        crc.update(w.in, 0, n);
        deflater.setInput(w.in, 0, n);
        while (!deflater.needsInput()) {
          int c = deflater.deflate(w.out, 0, w.out.length);
          if (c > 0) {
            target.write(w.out, 0, c);
          }
        }
        size += n;
      }
      deflater.finish();
      while (!deflater.finished()) {
        int c = deflater.deflate(w.out, 0, w.out.length);
        if (c > 0) {
          target.write(w.out, 0, c);
        }
      }
      clean = true;
    } catch (IOException | RuntimeException | Error ex) {
      if (memory != null) {
        memory.release();
      }
      throw ex;
    } finally {
      giveBack(level, w, clean);
    }
    ZipArchiveEntry e = new ZipArchiveEntry(name);
    e.setUnixMode(f.executable() ? EXEC_MODE : FILE_MODE);
    e.setTime(fixedTime());
    e.setMethod(ZipArchiveEntry.DEFLATED);
    e.setSize(size);
    e.setCrc(crc.getValue());
    long compressed = spill == null ? mem.size() : Files.size(spill);
    e.setCompressedSize(compressed);
    return new Deflated(e, mem == null ? null : mem.array(), mem == null ? 0 : mem.size(), spill, memory);
  }
}
