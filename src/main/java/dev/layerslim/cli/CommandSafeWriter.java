package dev.layerslim.cli;

import dev.layerslim.github.WorkflowCommands;
import dev.layerslim.redact.Redactor;
import dev.layerslim.redact.UrlCredentials;
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
 * <p>Every line is also redacted: the credentials of any URL in it are blanked
 * ({@link UrlCredentials#scrub}), and once a command knows its build's secrets ({@link #redact}) those
 * too, in every spelling, so a token in an index URL never reaches the console, whoever printed it
 * (a step, pip's last lines in an error, picocli echoing an option).
 *
 * <p>The action's own commands are the one exception: {@link ActionCommand} writes them to
 * {@link #unguarded(PrintWriter)}, and builds each one escaped.
 */
final class CommandSafeWriter extends Writer {
  private final PrintWriter out;
  private final StringBuilder line = new StringBuilder();
  /** Part of the current line was written already (at a flush), and it did not start a command. */
  private boolean midLine;
  /** What every line passes through before it is written. */
  private volatile java.util.function.UnaryOperator<String> redact = UrlCredentials::scrub;

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

  /**
   * From now on, {@code out} (a guarded writer; another is left as it is) also replaces what
   * {@code redactor} knows with {@code ***}.
   */
  static void redact(PrintWriter out, Redactor redactor) {
    if (out instanceof Guarded g) {
      g.safe.redact = redactor::redact;
    }
  }

  /** {@link #redact(PrintWriter, Redactor)} for both of a command's streams, with its build's secrets. */
  static void redact(picocli.CommandLine cl, dev.layerslim.pipeline.BuildOptions o, java.util.Map<String, String> env) {
    Redactor r = dev.layerslim.pipeline.BuildSecrets.redactor(o, env);
    redact(cl.getOut(), r);
    redact(cl.getErr(), r);
  }

  /** A guarded print writer that remembers the raw one. */
  private static final class Guarded extends PrintWriter {
    private final PrintWriter raw;
    private final CommandSafeWriter safe;

    Guarded(PrintWriter raw) {
      this(raw, new CommandSafeWriter(raw));
    }

    private Guarded(PrintWriter raw, CommandSafeWriter safe) {
      super(safe, true);
      this.raw = raw;
      this.safe = safe;
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
    String s = redact.apply(line.toString());
    line.setLength(0);
    // in the middle of a line only the legacy form can start a command; guard it as if at a line start
    out.write(midLine ? s.replace("##[", "#%23[") : WorkflowCommands.plain(s));
  }
}
