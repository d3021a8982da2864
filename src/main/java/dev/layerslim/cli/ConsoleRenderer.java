package dev.layerslim.cli;

import dev.layerslim.pipeline.Event;
import dev.layerslim.pipeline.EventSink;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows events to a person. On a terminal, progress redraws one line; in CI logs (no terminal, or
 * {@code CI} set) progress is a plain line at most every few seconds, so logs stay readable.
 */
final class ConsoleRenderer implements EventSink {
  private static final long PLAIN_PROGRESS_EVERY_MS = 5_000;

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean interactive;
  private final boolean verbose;
  private long lastProgress;
  private boolean progressLineOpen;

  ConsoleRenderer(PrintWriter out, PrintWriter err, boolean interactive, boolean verbose) {
    this.out = out;
    this.err = err;
    this.interactive = interactive;
    this.verbose = verbose;
  }

  static boolean isInteractive() {
    return System.console() != null && System.getenv("CI") == null;
  }

  @Override
  public synchronized void emit(Event event) {
    if (event instanceof Event.StepStarted s) {
      endProgressLine();
      out.println("==> " + s.title());
    } else if (event instanceof Event.StepFinished f) {
      endProgressLine();
      String summary = f.summary().isEmpty() ? "" : ": " + f.summary();
      out.println(String.format(Locale.ROOT, "    done in %.1f s%s", f.millis() / 1000.0, summary));
    } else if (event instanceof Event.StepSkipped s) {
      endProgressLine();
      out.println("==> " + s.step() + " skipped: " + s.reason());
    } else if (event instanceof Event.Log l) {
      if (l.level() == Event.Level.DEBUG && !verbose) {
        return;
      }
      endProgressLine();
      switch (l.level()) {
        case WARN -> err.println("warning: " + l.message());
        case ERROR -> err.println("error: " + l.message());
        default -> out.println("    " + l.message());
      }
    } else if (event instanceof Event.Progress p) {
      progress(p);
    }
    out.flush();
    err.flush();
  }

  private void progress(Event.Progress p) {
    long now = System.currentTimeMillis();
    String line = String.format(Locale.ROOT, "    %s: %d/%d %s", p.step(), p.done(), p.total(), p.unit());
    if (interactive) {
      out.print("\r" + line);
      progressLineOpen = true;
    } else if (now - lastProgress >= PLAIN_PROGRESS_EVERY_MS && p.done() < p.total()) {
      out.println(line);
      lastProgress = now;
    }
  }

  private void endProgressLine() {
    if (progressLineOpen) {
      out.println();
      progressLineOpen = false;
    }
  }
}
