package dev.layerslim.pipeline;

import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A write that failed because the file system is full (ENOSPC) or the user's quota is used up
 * (EDQUOT), wherever it happened (a step's own write, pip, the smoke driver or the bytecode compiler,
 * which report it as a {@link FileSystemException} naming the file): one line naming the file and the
 * folder to free, exit 3, instead of an exception's text or a Python traceback.
 */
public final class DiskFull {
  private DiskFull() {}

  /** The errno texts (Linux, macOS) of a full file system or an exhausted quota. */
  private static final String[] REASONS = {"No space left on device", "Disk quota exceeded"};

  /** The reason when {@code e} or one of its causes is a full disk, else null. */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String text = t instanceof FileSystemException f ? f.getReason() : t.getMessage();
      if (t instanceof IOException && text != null) {
        for (String r : REASONS) {
          if (text.contains(r)) {
            return r.toLowerCase(java.util.Locale.ROOT);
          }
        }
      }
    }
    return null;
  }

  /** The file {@code e} (or a cause) names as written: the target of a copy or move, else its file. */
  private static String file(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FileSystemException f) {
        return f.getOtherFile() != null ? f.getOtherFile() : f.getFile();
      }
    }
    return null;
  }

  /** Python's words for a full disk in a process's output: {@code [Errno 28] No space left on device: 'a' -> 'b'}. */
  private static final java.util.regex.Pattern PYTHON_ERRNO = java.util.regex.Pattern.compile(
      "\\[Errno (?:28|122)\\] ([^:'\"\\n]+)(?:: '([^'\\n]+)'(?: -> '([^'\\n]+)')?)?");

  /**
   * Exit 3 naming what could not be written, when a process's {@code output} (pip's) says a write
   * found the disk full; null otherwise.
   */
  public static LayerslimException inOutput(String output, String step, BuildOptions options) {
    java.util.regex.Matcher m = PYTHON_ERRNO.matcher(output);
    if (!m.find()) {
      return null;
    }
    String file = m.group(3) != null ? m.group(3) : m.group(2);
    return describe(new FileSystemException(file, null, m.group(1).strip()), step, options);
  }

  /** {@link #inOutput(String, String, BuildOptions)} for this build's output folder and wording. */
  public static LayerslimException inOutput(String output, String step, BuildContext ctx) {
    return inOutput(output, step, ctx.options());
  }

  /**
   * Exit 3 naming what could not be written, when {@code e} is a full disk; null otherwise.
   *
   * @param step the step that was writing
   * @param options where the output folder is, and how to name the setting
   */
  public static LayerslimException describe(Throwable e, String step, BuildOptions options) {
    String reason = reason(e instanceof UncheckedIOException u ? u.getCause() : e);
    if (reason == null) {
      return null;
    }
    String file = file(e);
    Path output = options.output() == null ? null : options.output().toAbsolutePath().normalize();
    boolean inOutput = output != null && (file == null || Path.of(file).toAbsolutePath().normalize().startsWith(output));
    String where = inOutput
        ? ": the output folder " + options.output() + " is on a full file system; free space there or pick another "
            + options.vocabulary().option("output")
        : ": free space on the file system of " + file;
    return LayerslimException.stepFailed(step + ": " + reason + (file != null ? " writing " + file : "") + where, e);
  }
}
