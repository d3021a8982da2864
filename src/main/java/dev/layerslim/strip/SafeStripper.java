package dev.layerslim.strip;

import dev.layerslim.elf.ElfFile;
import dev.layerslim.elf.ElfFormatException;
import dev.layerslim.elf.ElfValidator;
import dev.layerslim.elf.LayoutKeepingStrip;
import dev.layerslim.layer.FileEntry;
import dev.layerslim.python.ProcessRunner;
import dev.layerslim.python.ProcessRunner.ProcessRequest;
import dev.layerslim.python.ProcessRunner.ProcessResult;
import dev.layerslim.strip.StripOutcome.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs binutils {@code strip --strip-unneeded} on a layer's ELF objects, and keeps a result only
 * when it still loads.
 *
 * <p>Each file is stripped into a temporary file in its own folder; the result must parse
 * ({@link ElfFile#read}) and pass {@link ElfValidator}, and only then atomically replaces the
 * original, keeping its permissions. Otherwise the temporary file is deleted and the original
 * stays, with the reason in its {@link StripOutcome}. This is what keeps numpy's patchelf-rewritten
 * {@code *.libs} loadable: plain strip breaks four of them in the GIS tree (docs/how-it-works.md, "Strip, safely").
 *
 * <p>Symlinks are never stripped through: an entry with {@code link() == true} is left out (its
 * target is in the list itself), and a file reached twice through a linked folder is stripped once.
 * Nothing is written outside {@code root}.
 *
 * <p>When the strip executable cannot be started, the step is {@linkplain StripSummary#skipped()
 * skipped} and no file is changed: the first strip runs alone before the pool starts, so a missing
 * binary is found before anything is replaced.
 */
public final class SafeStripper {
  /** The executable run when none is given. */
  public static final String DEFAULT_EXECUTABLE = "strip";
  /** A single strip of a 100 MB library takes seconds; this only catches a hung process. */
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final ProcessRunner runner;
  private final String executable;
  private final int threads;

  /**
   * @param runner starts the strip processes
   * @param executable the strip to run: a name on the PATH or a path
   * @param threads how many files are stripped at once, at least 1
   */
  public SafeStripper(ProcessRunner runner, String executable, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    this.runner = runner;
    this.executable = executable;
    this.threads = threads;
  }

  /**
   * Strips the ELF entries of {@code elfFiles} (others are ignored) under {@code root}.
   *
   * @param onEach told of each outcome as it is known, one call at a time (never concurrently);
   *     not called at all when the step is skipped
   * @return the outcomes sorted by path, or a skipped summary
   * @throws IOException when {@code root} itself cannot be resolved
   */
  public StripSummary strip(Path root, List<FileEntry> elfFiles, Consumer<StripOutcome> onEach) throws IOException {
    Path realRoot = root.toRealPath();
    List<StripOutcome> decided = new ArrayList<>();
    List<Candidate> candidates = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    for (FileEntry entry : elfFiles) {
      if (!entry.elf() || entry.link()) {
        continue;
      }
      Path file = root.resolve(entry.path()).normalize();
      if (Files.isSymbolicLink(file)) {
        continue; // the tree changed since the walk; a link is never stripped through
      }
      Path real;
      try {
        real = file.toRealPath();
      } catch (IOException e) {
        decided.add(unchanged(entry, Status.FAILED, "cannot be read: " + e.getMessage()));
        continue;
      }
      if (!real.startsWith(realRoot)) {
        decided.add(unchanged(entry, Status.FAILED, "resolves to " + real + ", outside the layer; not touched"));
        continue;
      }
      if (!seen.add(real)) {
        continue; // the same file through a linked folder: strip it once
      }
      classify(entry, real, decided, candidates);
    }

    List<StripOutcome> outcomes = new ArrayList<>(decided);
    if (!candidates.isEmpty()) {
      StripOutcome first;
      try {
        first = stripOne(candidates.get(0), true);
      } catch (StripUnavailable e) {
        return StripSummary.skipped("strip step skipped: '" + executable + "' could not be started ("
            + e.getCause().getMessage() + "); install binutils or pass --no-strip");
      }
      decided.forEach(onEach);
      onEach.accept(first);
      outcomes.add(first);
      outcomes.addAll(stripInParallel(candidates.subList(1, candidates.size()), onEach));
    } else {
      decided.forEach(onEach);
    }
    outcomes.sort(Comparator.comparing(StripOutcome::path));
    return new StripSummary(outcomes, false, "");
  }

  /** A file that has something to strip. */
  private record Candidate(FileEntry entry, Path file, long before) {}

  /** The strip executable could not be started at all. */
  private static final class StripUnavailable extends Exception {
    private static final long serialVersionUID = 1L;

    StripUnavailable(IOException cause) {
      super(cause);
    }
  }

  private static void classify(FileEntry entry, Path file, List<StripOutcome> decided, List<Candidate> candidates) {
    try {
      long before = Files.size(file);
      ElfFile elf = ElfFile.read(file);
      if (elf.hasStrippableContent()) {
        candidates.add(new Candidate(entry, file, before));
      } else {
        decided.add(new StripOutcome(entry.path(), before, before, Status.NOTHING_TO_STRIP,
            "no symbol table or debug sections"));
      }
    } catch (ElfFormatException e) {
      decided.add(unchanged(entry, Status.FAILED, "not a readable ELF file, left as is: " + e.getMessage()));
    } catch (IOException e) {
      decided.add(unchanged(entry, Status.FAILED, "cannot be read: " + e.getMessage()));
    }
  }

  private List<StripOutcome> stripInParallel(List<Candidate> rest, Consumer<StripOutcome> onEach) throws IOException {
    if (rest.isEmpty()) {
      return List.of();
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, rest.size()), r -> {
      Thread t = new Thread(r, "layerslim-strip-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Callable<StripOutcome>> tasks = new ArrayList<>();
      for (Candidate c : rest) {
        tasks.add(() -> {
          StripOutcome o;
          try {
            o = stripOne(c, false);
          } catch (StripUnavailable e) {
            throw new IllegalStateException("unreachable: only the first strip reports StripUnavailable", e);
          }
          synchronized (onEach) {
            onEach.accept(o);
          }
          return o;
        });
      }
      List<StripOutcome> out = new ArrayList<>();
      for (Future<StripOutcome> f : pool.invokeAll(tasks)) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stripping", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("strip worker failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Strips one file into a temporary sibling, validates it, and swaps it in.
   *
   * @param first when true, a strip that cannot be started is reported as {@link StripUnavailable}
   */
  private StripOutcome stripOne(Candidate c, boolean first) throws StripUnavailable {
    String path = c.entry().path();
    Path tmp = null;
    try {
      // Same folder: the final rename must not cross file systems, and stays inside the layer.
      tmp = Files.createTempFile(c.file().getParent(), ".layerslim-strip-", ".tmp");
      ProcessResult result;
      try {
        result = runner.run(ProcessRequest.of(List.of(executable, "--strip-unneeded", "-o", tmp.toString(),
            c.file().toString())).withTimeout(TIMEOUT));
      } catch (IOException e) {
        if (first) {
          throw new StripUnavailable(e);
        }
        return unchanged(c, Status.FAILED, "strip could not run: " + e.getMessage());
      }
      if (result.timedOut()) {
        return unchanged(c, Status.FAILED, "strip timed out after " + TIMEOUT.toMinutes() + " min; original kept");
      }
      if (result.exitCode() != 0) {
        return unchanged(c, Status.FAILED, "strip exited " + result.exitCode() + "; original kept: "
            + result.tail(3).trim());
      }
      ElfFile stripped;
      try {
        stripped = ElfFile.read(tmp);
      } catch (ElfFormatException e) {
        return unchanged(c, Status.REJECTED, "strip's output is not valid ELF; original kept: "
            + e.getMessage().replace(tmp.toString(), path));
      }
      List<String> problems = ElfValidator.validate(stripped);
      if (!problems.isEmpty()) {
        return keepingLayout(c, tmp, rejection(problems, tmp.toString(), path));
      }
      long after = Files.size(tmp);
      if (after >= c.before()) {
        return unchanged(c, Status.NOTHING_TO_STRIP, "strip saved nothing");
      }
      Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(c.file()));
      Files.move(tmp, c.file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
      return new StripOutcome(path, c.before(), after, Status.STRIPPED, "");
    } catch (IOException e) {
      return unchanged(c, Status.FAILED, "file operation failed; original kept: " + e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a leftover hidden temp file is harmless; the outcome already says what happened
        }
      }
    }
  }

  /**
   * When strip's copy would not load: the symbol tables and debug sections removed without moving a
   * loaded segment ({@link LayoutKeepingStrip}), into {@code tmp}; validated there, and swapped in
   * when it is smaller. Otherwise the original stays, {@link Status#REJECTED} with {@code rejection}.
   */
  private static StripOutcome keepingLayout(Candidate c, Path tmp, String rejection) throws IOException {
    LayoutKeepingStrip.Result r;
    try {
      r = LayoutKeepingStrip.strip(c.file(), tmp);
    } catch (ElfFormatException e) {
      return unchanged(c, Status.REJECTED, rejection + "; removing its symbol tables in place failed too: "
          + e.getMessage().replace(tmp.toString(), c.entry().path()));
    }
    long after = r == null ? c.before() : Files.size(tmp);
    if (r == null || after >= c.before()) {
      return unchanged(c, Status.REJECTED, rejection);
    }
    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(c.file()));
    Files.move(tmp, c.file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return new StripOutcome(c.entry().path(), c.before(), after, Status.STRIPPED_KEEPING_LAYOUT,
        "strip's copy would not load (" + rejection.replace("stripped copy would not load; original kept: ", "")
            + "): " + String.join(", ", r.removed()) + " removed without moving a loaded segment");
  }

  private static StripOutcome unchanged(Candidate c, Status status, String reason) {
    return new StripOutcome(c.entry().path(), c.before(), c.before(), status, reason);
  }

  private static StripOutcome unchanged(FileEntry entry, Status status, String reason) {
    return new StripOutcome(entry.path(), entry.size(), entry.size(), status, reason);
  }

  /**
   * Why a stripped copy was rejected: the validator's first problem, with the temporary file's name
   * replaced by the layer path, and how many more problems it found (not more files).
   */
  static String rejection(List<String> problems, String tmp, String path) {
    int more = problems.size() - 1;
    return "stripped copy would not load; original kept: " + problems.get(0).replace(tmp, path)
        + (more == 1 ? " (and 1 more problem)" : more > 1 ? " (and " + more + " more problems)" : "");
  }
}
