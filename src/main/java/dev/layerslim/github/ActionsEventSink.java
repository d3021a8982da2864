package dev.layerslim.github;

import dev.layerslim.redact.Redactor;
import dev.layerslim.pipeline.Event;
import dev.layerslim.pipeline.EventSink;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Renders pipeline events in a GitHub Actions log: each step's lines inside a
 * {@code ::group::}, warnings and errors as {@code ::warning::}/{@code ::error::} annotations
 * (with {@code file=} when the event names a file). Progress is left out: the log is not a
 * terminal. Every line passes through a {@link Redactor}, so the token never reaches the log even
 * if some message carried it, and plain lines through {@link WorkflowCommands#plain}, so text from
 * inputs, file names or child processes cannot inject a workflow command.
 */
public final class ActionsEventSink implements EventSink {
  private final PrintWriter out;
  private final Redactor redactor;
  private final Set<String> errorsShown = new LinkedHashSet<>();
  private boolean groupOpen;
  private String currentStep;

  public ActionsEventSink(PrintWriter out, Redactor redactor) {
    this.out = out;
    this.redactor = redactor;
  }

  @Override
  public synchronized void emit(Event event) {
    if (event instanceof Event.StepStarted s) {
      closeGroup();
      print(WorkflowCommands.group(s.title()));
      groupOpen = true;
      currentStep = s.step();
    } else if (event instanceof Event.StepFinished f) {
      String summary = f.summary().isEmpty() ? "" : ": " + f.summary();
      printPlain(String.format(Locale.ROOT, "done in %.1f s%s", f.millis() / 1000.0, summary));
      closeGroup();
      currentStep = null;
    } else if (event instanceof Event.StepSkipped s) {
      closeGroup();
      printPlain(s.step() + " skipped: " + s.reason());
    } else if (event instanceof Event.Log l) {
      switch (l.level()) {
        case ERROR -> error(l.message(), l.file());
        case WARN -> print(WorkflowCommands.warning(redactor.redact(l.message()), redactor.redact(l.file())));
        case INFO -> printPlain(l.message());
        case DEBUG -> { }
      }
    }
    out.flush();
  }

  /**
   * An {@code ::error::} annotation; the same message is shown once, so a limit that a step logged
   * as an error and that is also among the check's failures does not appear twice.
   */
  public synchronized void error(String message, String file) {
    if (errorsShown.add(message)) {
      print(WorkflowCommands.error(redactor.redact(message), redactor.redact(file)));
    }
    out.flush();
  }

  public synchronized void warning(String message) {
    print(WorkflowCommands.warning(redactor.redact(message), null));
    out.flush();
  }

  public synchronized void info(String message) {
    printPlain(message);
    out.flush();
  }

  /** A {@code ::notice::} annotation. */
  public synchronized void notice(String message) {
    print(WorkflowCommands.command("notice", java.util.Map.of(), redactor.redact(message)));
    out.flush();
  }

  /** The step that started and has not finished (the one a failure happened in), or null. */
  public synchronized String currentStep() {
    return currentStep;
  }

  /** Ends the open group, if any (a step that threw leaves one open). */
  public synchronized void closeGroup() {
    if (groupOpen) {
      print(WorkflowCommands.endGroup());
      groupOpen = false;
    }
  }

  /**
   * A workflow command this class built. Its message was redacted before it was escaped (a secret
   * holding {@code %} reads differently once escaped); the line is redacted once more as a whole.
   */
  private void print(String line) {
    out.println(redactor.redact(line));
  }

  /** Text that must not be read as a workflow command, whatever it holds. */
  private void printPlain(String text) {
    out.println(WorkflowCommands.plain(redactor.redact(text)));
  }
}
