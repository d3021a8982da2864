package dev.layerslim.pipeline;

import dev.layerslim.python.ProcessRunner;
import dev.layerslim.reportfile.Report;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The seams of one build: the options, the event sink, the process runner, the scratch folder,
 * and what goes into the report (sections, step times, failed checks).
 *
 * <p>What a step produces for later steps is not kept here: a step returns it as a record, and
 * the wiring (cli's {@code Workflows}) hands it to the steps that read it. A step that has
 * something for the report adds its section of report.json as a value ({@link #reportSection}, a
 * {@link Report.Section}) and a Markdown section ({@link #markdownSection}); the report step puts
 * them into the report.
 */
public final class BuildContext {
  private final BuildOptions options;
  private final EventSink events;
  private final ProcessRunner processes;
  private final Map<String, Long> stepTimes = new LinkedHashMap<>();
  private final Map<Class<?>, Report.Section> reportSections = new LinkedHashMap<>();
  private final Map<Integer, String> markdownSections = new TreeMap<>();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Lever> levers = new LinkedHashMap<>();
  private String stepSummary = "";
  private final dev.layerslim.redact.Redactor redactor;

  public BuildContext(BuildOptions options, EventSink events, ProcessRunner processes) {
    this.options = options;
    this.events = events;
    this.processes = processes;
    this.redactor = BuildSecrets.redactor(options, System.getenv());
  }

  /**
   * Blanks the credentials this build may meet (index URLs, {@code PIP_*}, the requirements' index
   * lines; see {@link BuildSecrets}) and those of any URL: for what pip prints before it reaches a
   * log, the console or a file.
   */
  public dev.layerslim.redact.Redactor redactor() {
    return redactor;
  }

  public BuildOptions options() {
    return options;
  }

  /**
   * How messages name a setting (flags for the CLI, inputs for the action): wording only, so every
   * step may use it without taking it by constructor.
   */
  public Vocabulary vocabulary() {
    return options.vocabulary();
  }

  /**
   * A fresh context for the same build (same options and events, no sections, times or failures of
   * its own) whose processes run through {@code runner}.
   */
  public BuildContext withProcesses(ProcessRunner runner) {
    return new BuildContext(options, events, runner);
  }

  public EventSink events() {
    return events;
  }

  public ProcessRunner processes() {
    return processes;
  }

  public Path outputDir() {
    return options.output();
  }

  /** Scratch space inside the output folder, removed when the build succeeds. */
  public Path workDir() {
    return options.output().resolve(".work");
  }

  public void info(String step, String message) {
    events.emit(new Event.Log(Event.Level.INFO, step, message, null));
  }

  public void warn(String step, String message) {
    events.emit(new Event.Log(Event.Level.WARN, step, message, null));
  }

  public void progress(String step, long done, long total, String unit) {
    events.emit(new Event.Progress(step, done, total, unit));
  }

  /** One line the CLI shows when the current step finishes. */
  public void stepSummary(String summary) {
    this.stepSummary = summary;
  }

  String takeStepSummary() {
    String s = stepSummary;
    stepSummary = "";
    return s;
  }

  void recordStepTime(String step, long millis) {
    stepTimes.merge(step, millis, Long::sum);
  }

  public Map<String, Long> stepTimes() {
    return Collections.unmodifiableMap(stepTimes);
  }

  /** Adds a section to report.json; a later section of the same kind replaces an earlier one. */
  public synchronized void reportSection(Report.Section section) {
    reportSections.put(section.getClass(), section);
  }

  /** The section of {@code kind} a step added, or null. */
  public synchronized <T extends Report.Section> T reportSection(Class<T> kind) {
    return kind.cast(reportSections.get(kind));
  }

  /**
   * Adds a Markdown section to report.md; {@code order} places it (the distributions table is
   * 100, lower comes first; sections with the same order follow each other).
   */
  public void markdownSection(int order, String markdown) {
    // two steps may pick the same order: keep both, in the order they ran
    markdownSections.merge(order, markdown, (a, b) -> a.strip() + "\n\n" + b);
  }

  public Map<Integer, String> markdownSections() {
    return Collections.unmodifiableMap(markdownSections);
  }

  /** Marks the check failed (exit 1) for a reason people read: a limit, an incompatible binary. */
  public void failCheck(String reason) {
    failures.add(reason);
  }

  public List<String> failures() {
    return List.copyOf(failures);
  }

  /**
   * Records a lever the build left unused, with what it would save on this layer; the report step
   * turns the levers into the fit plan when the layer does not fit. A later measure of the same
   * setting replaces an earlier one.
   */
  public synchronized void lever(Lever lever) {
    levers.put(lever.flag() + "=" + lever.value(), lever);
  }

  public synchronized List<Lever> levers() {
    return List.copyOf(levers.values());
  }
}
