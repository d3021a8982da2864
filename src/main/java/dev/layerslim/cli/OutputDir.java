package dev.layerslim.cli;

import dev.layerslim.reportfile.Report;
import dev.layerslim.reportfile.ReportJson;
import dev.layerslim.layer.Trees;
import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The output folder's life cycle: claimed (marked as layerslim's), marked incomplete while a build
 * runs, and only unmarked when every step succeeded. Old results are removed first, so a failed
 * build never leaves an earlier zip that looks good.
 */
final class OutputDir {
  static final String OWNER_MARK = ".layerslim-output";
  static final String INCOMPLETE = "INCOMPLETE";
  /** Locked for the whole build (it holds the builder's pid): two builds never share a folder. */
  static final String LOCK = ".layerslim-lock";
  private static final List<String> RESULTS = List.of("layer.zip", "report.json", "report.md", "pip.log",
      "comment.md", "layer.zip.tmp");

  private OutputDir() {}

  /** Refuses an output folder that overlaps an input, or that holds files layerslim did not write. */
  static void check(Path output, Path... inputs) throws IOException {
    Path out = output.toAbsolutePath().normalize();
    for (Path in : inputs) {
      if (in == null) {
        continue;
      }
      Path i = in.toAbsolutePath().normalize();
      if (Files.exists(i)) {
        i = i.toRealPath();
      }
      Path o = Files.exists(out) ? out.toRealPath() : out;
      if (o.startsWith(i) || i.startsWith(o)) {
        throw LayerslimException.usage("--output " + output + " overlaps the input " + in
            + ": pick an output folder outside it");
      }
    }
    if (Files.isDirectory(out) && !Files.exists(out.resolve(OWNER_MARK))) {
      try (var s = Files.list(out)) {
        if (s.findAny().isPresent()) {
          throw LayerslimException.usage("--output " + output + " is a folder layerslim did not create and it is "
              + "not empty; pick a new or empty folder (layerslim replaces what it writes there)");
        }
      }
    }
    if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(out)) {
      throw LayerslimException.usage("--output " + output + " is a file, not a folder");
    }
  }

  /**
   * The output folder's lock, held from {@link #begin} to the end of the build; closing it (or the
   * process ending, however it ends) releases it. The file stays: deleting it would let a third
   * build lock a new file while a second still waits on the old one.
   */
  static final class Lock implements AutoCloseable {
    private final FileChannel channel;

    private Lock(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /**
   * Locks {@code output} for this build; another build holding it is a usage error naming the
   * folder and that build's pid.
   */
  static Lock lock(Path output) throws IOException {
    Files.createDirectories(output);
    Path file = output.resolve(LOCK);
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // this very process builds there already
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      String holder;
      try {
        holder = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        holder = "";
      } finally {
        ch.close();
      }
      throw LayerslimException.usage("--output " + output + " is in use by another layerslim build ("
          + (holder.matches("\\d+") ? "pid " + holder : "pid unknown") + "); wait for it to end or pick another"
          + " output folder");
    }
    ch.truncate(0);
    ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
    ch.force(false);
    return new Lock(ch);
  }

  /**
   * Locks the folder (see {@link #lock}), claims it, removes earlier results, and marks it
   * incomplete. The caller closes the lock when the build ends.
   */
  static Lock begin(Path output) throws IOException {
    Lock lock;
    try {
      lock = lock(output);
    } catch (java.nio.file.FileSystemException e) {
      throw unusable(output, e);
    }
    try {
      prepare(output);
    } catch (java.nio.file.FileSystemException e) {
      lock.close();
      throw unusable(output, e);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
    return lock;
  }

  /**
   * The output folder cannot be created or written (a part of its path is a file, a read-only
   * file system, no permission): the user's input, so a usage error in a sentence naming it.
   */
  static LayerslimException unusable(Path output, java.nio.file.FileSystemException e) {
    String why;
    if (e instanceof java.nio.file.AccessDeniedException) {
      why = "permission denied";
    } else if (e instanceof java.nio.file.FileAlreadyExistsException) {
      why = "a file is in the way of a folder";
    } else if (e.getReason() != null) {
      why = e.getReason().toLowerCase(java.util.Locale.ROOT);
    } else {
      why = e.getClass().getSimpleName();
    }
    String where = e.getFile() == null || Path.of(e.getFile()).equals(output) ? "" : " (at " + e.getFile() + ")";
    return LayerslimException.usage("--output " + output + ": cannot create or write the output folder: " + why
        + where + "; pick a folder you can write to");
  }

  private static void prepare(Path output) throws IOException {
    Files.writeString(output.resolve(OWNER_MARK), "This folder is written by layerslim.\n");
    Files.writeString(output.resolve(INCOMPLETE),
        "A layerslim build is running here or failed: nothing in this folder is a finished result.\n");
    for (String r : RESULTS) {
      Files.deleteIfExists(output.resolve(r));
    }
    Trees.deleteRecursively(output.resolve("layer"));
    Trees.deleteRecursively(output.resolve(".work"));
  }

  /**
   * The build succeeded (whatever its exit code for limits): the results are forced to disk, scratch
   * goes, and removing the mark is the last act, itself forced to disk. {@code INCOMPLETE} present
   * means "not a finished result" whatever report.json says, so this order is what makes a folder
   * without the mark trustworthy after a crash or a power cut.
   */
  static void complete(Path output) throws IOException {
    for (String r : RESULTS) {
      force(output.resolve(r));
    }
    force(output.resolve("layer"));
    force(output);
    Trees.deleteRecursively(output.resolve(".work"));
    Files.deleteIfExists(output.resolve(INCOMPLETE)); // the last act: an atomic unlink
    force(output);
  }

  /** The text files layerslim and pip write into the output folder, redacted in place. */
  private static final List<String> TEXT_OUTPUTS = List.of("pip.log", "report.md", "comment.md");

  /**
   * Rewrites report.json and {@link #TEXT_OUTPUTS} in {@code output} with every secret {@code redactor}
   * knows, and every URL's credentials, replaced by {@code ***}. pip.log is redacted as pip writes it;
   * this pass makes sure of every file, whatever a step put into it. report.json is redacted through its
   * model (every string and key, never a number or the JSON around them) and written by its one writer
   * when something changed; a report.json that does not read as one is redacted as text.
   */
  static void redact(Path output, dev.layerslim.redact.Redactor redactor) throws IOException {
    Path json = output.resolve("report.json");
    if (Files.isRegularFile(json, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Report report = ReportJson.read(json);
        Report safe = ReportJson.redacted(report, redactor::redact);
        if (!safe.equals(report)) {
          ReportJson.write(safe, json);
        }
      } catch (ReportJson.Unreadable e) {
        redactText(json, redactor);
      }
    }
    for (String name : TEXT_OUTPUTS) {
      redactText(output.resolve(name), redactor);
    }
  }

  private static void redactText(Path f, dev.layerslim.redact.Redactor redactor) throws IOException {
    if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    byte[] bytes = Files.readAllBytes(f);
    java.nio.charset.Charset cs = StandardCharsets.UTF_8;
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      // not UTF-8 (a tool's output in another encoding): byte for byte, so ASCII secrets still match
      cs = StandardCharsets.ISO_8859_1;
      text = new String(bytes, cs);
    }
    String safe = redactor.redact(text);
    if (!safe.equals(text)) {
      Files.write(f, safe.getBytes(cs));
    }
  }

  /** fsync of a file or folder where the platform allows it; what is missing is skipped. */
  private static void force(Path p) {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) {
      return;
    }
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // folders cannot be opened for fsync everywhere: the order of the acts still holds
    }
  }

  /**
   * A step failed: no zip that looks good stays behind, nor a report that reads as a finished
   * build. A report the report step managed to write (a later step failed, or writing report.md
   * did) is marked {@code "status": "failed"} with the step; if even that cannot be written (a full
   * disk), the report goes.
   */
  static void failed(Path output, String failedStep) throws IOException {
    // whatever a failed step left under these names goes, a folder included
    for (String partial : List.of("layer.zip", "layer.zip.tmp", "report.json.tmp", "report.md.tmp")) {
      Trees.deleteRecursively(output.resolve(partial));
    }
    String step = failedStep == null ? "an unknown step" : failedStep;
    Path json = output.resolve("report.json");
    if (Files.exists(json, LinkOption.NOFOLLOW_LINKS)) {
      try {
        ReportJson.write(ReportJson.read(json).failedAt(step), json);
      } catch (ReportJson.Unreadable | IOException | RuntimeException e) {
        Files.deleteIfExists(json);
      }
    }
    Path md = output.resolve("report.md");
    if (Files.exists(md, LinkOption.NOFOLLOW_LINKS)) {
      try {
        replace(md, "> **This build failed** in the " + step + " step: this report is not of a finished layer.\n\n"
            + Files.readString(md, StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(md);
      }
    }
  }

  private static void replace(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
