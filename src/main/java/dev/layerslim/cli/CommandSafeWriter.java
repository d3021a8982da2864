package dev.layerslim.cli;

import dev.layerslim.github.WorkflowCommands;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The CLI's stdout and stderr: in a GitHub Actions job the runner reads every line of both for
 * workflow commands, so a line that layerslim prints can never be one. Text that could start a
 * command ({@code ::} at the start of a line, after blanks, or the legacy {@code ##[} anywhere) is
 * neutralised line by line ({@link WorkflowCommands#plain}) whatever printed it: a package name,
 * a path or a message holding a newline cannot raise an annotation, mask a value or stop the
 * runner's command processing.
 *
 * <p>The action's own commands are the one exception: {@link ActionCommand} writes them to
 * {@link #unguarded(PrintWriter)}, and builds each one escaped.
 */
final class CommandSafeWriter extends Writer {
  private final PrintWriter out;
  private final StringBuilder line = new StringBuilder();
  /** Part of the current line was written already (at a flush), and it did not start a command. */
  private boolean midLine;

  private CommandSafeWriter(PrintWriter out) {
    this.out = out;
  }

  /** {@code out} with every line it prints made safe. */
  static PrintWriter guard(PrintWriter out) {
    return out instanceof Guarded ? out : new Guarded(out);
  }

  /** The stream under {@link #guard}, for text that is a workflow command on purpose. */
  static PrintWriter unguarded(PrintWriter out) {
    return out instanceof Guarded g ? g.raw : out;
  }

  /** A guarded print writer that remembers the raw one. */
  private static final class Guarded extends PrintWriter {
    private final PrintWriter raw;

    Guarded(PrintWriter raw) {
      super(new CommandSafeWriter(raw), true);
      this.raw = raw;
    }
  }

  @Override
  public synchronized void write(char[] buf, int off, int len) {
    for (int i = off; i < off + len; i++) {
      char c = buf[i];
      if (c == '\n' || c == '\r') {
        emit();
        out.write(c);
        midLine = false;
      } else {
        line.append(c);
      }
    }
  }

  @Override
  public synchronized void flush() {
    // a progress line is printed without its end: write what is decided, keep what is not
    if (decided()) {
      emit();
      midLine = true;
    }
    out.flush();
  }

  @Override
  public synchronized void close() {
    emit();
    out.flush();
  }

  /** Whether the pending text can no longer become the start of a command when more follows. */
  private boolean decided() {
    String s = line.toString();
    String lead = midLine ? s : s.stripLeading();
    if (lead.isEmpty() || (!midLine && lead.equals(":")) || s.endsWith("#")) {
      return false;
    }
    return true;
  }

  private void emit() {
    if (line.isEmpty()) {
      return;
    }
    String s = line.toString();
    line.setLength(0);
    // in the middle of a line only the legacy form can start a command; guard it as if at a line start
    out.write(midLine ? s.replace("##[", "#%23[") : WorkflowCommands.plain(s));
  }
}
