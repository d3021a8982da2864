package dev.layerslim.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.layerslim.layer.Distribution;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Ownership;
import dev.layerslim.python.ImportProbe;
import dev.layerslim.python.ProcessRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one build knows: the options, the seams (events, processes) and what each step found.
 *
 * <p>Steps write their results here for later steps. A step that has something for the report
 * adds a JSON section ({@link #reportSection}) and a Markdown section ({@link #markdownSection});
 * the report step writes them without knowing the step, so step packages stay independent.
 */
public final class BuildContext {
  /** One deletion the prune plan decided: which rule, and why. */
  public record Removal(String rule, String reason) {}

  private final BuildOptions options;
  private final EventSink events;
  private final ProcessRunner processes;
  private final Map<String, Long> stepTimes = new LinkedHashMap<>();
  private final Map<String, JsonNode> reportSections = new LinkedHashMap<>();
  private final Map<Integer, String> markdownSections = new TreeMap<>();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final Map<Class<?>, Object> attachments = new LinkedHashMap<>();
  private String stepSummary = "";

  /** The tree files are taken from: pip's install folder, or the user's site-packages. */
  public Path sourceRoot;
  /** True when layerslim created {@link #sourceRoot} (pip's install) and may move files out of it. */
  public boolean sourceOwned;
  /** How the install step ran: {@code plain}, {@code targeted} or {@code site-packages}. */
  public String installMode;
  public LayerTree sourceTree;
  public List<Distribution> distributions = List.of();
  public Ownership ownership;
  /** Distributions the handler's imports reach; null when no audit ran (no handler given). */
  public Set<String> usedDistributions;
  /** Distributions the Lambda runtime already provides (boto3 &amp; co.), flagged in the report. */
  public Set<String> runtimeProvided = Set.of();
  /** The prune plan: path relative to the source root → why it goes. Stage copies the rest. */
  public final Map<String, Removal> removals = new TreeMap<>();
  /** The layer as it will be zipped: {@code <output>/layer/python}. */
  public Path layerRoot;
  /** The final tree, scanned after every step that changes files. */
  public LayerTree finalTree;
  public Path zipFile;
  public long zippedBytes = -1;
  /** Compressed bytes of each zip entry, by path relative to the layer root. */
  public Map<String, Long> compressedBytes = Map.of();
  /** Why the smoke test cannot run on this host (another arch, no such Python); null when it can. */
  public String smokeUnavailable;
  /** How the smoke test runs (set by smoke-before); later runs change only the tree. */
  public ImportProbe.Spec smokeSpec;
  /** The smoke test on the unpruned tree: what worked before layerslim changed anything. */
  public ImportProbe.Result smokeBefore;
  /** The smoke test on the final layer, after healing: bytecode compiles the modules it loaded. */
  public ImportProbe.Result smokeAfter;

  public BuildContext(BuildOptions options, EventSink events, ProcessRunner processes) {
    this.options = options;
    this.events = events;
    this.processes = processes;
  }

  public BuildOptions options() {
    return options;
  }

  public EventSink events() {
    return events;
  }

  public ProcessRunner processes() {
    return processes;
  }

  public Path outputDir() {
    return options.output;
  }

  /** Scratch space inside the output folder, removed when the build succeeds. */
  public Path workDir() {
    return options.output.resolve(".work");
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

  /** Adds a top-level section to report.json under {@code key}. */
  public void reportSection(String key, JsonNode node) {
    reportSections.put(key, node);
  }

  public Map<String, JsonNode> reportSections() {
    return Collections.unmodifiableMap(reportSections);
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

  /**
   * Leaves an object for a later step of the same package (the zip step picks up what the zip
   * prefetch started), without the context knowing its type. {@link #close} closes the
   * {@link AutoCloseable} ones, so a build that fails half-way leaves no worker running.
   */
  public synchronized <T> void attach(Class<T> type, T value) {
    attachments.put(type, value);
  }

  /** What {@link #attach} left for {@code type}, or null. */
  public synchronized <T> T attachment(Class<T> type) {
    return type.cast(attachments.get(type));
  }

  /** Closes every {@link AutoCloseable} attachment; failures to close are not the build's. */
  public synchronized void close() {
    for (Object o : attachments.values()) {
      if (o instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception ignored) {
          // a helper that cannot stop cleanly must not hide the build's own outcome
        }
      }
    }
    attachments.clear();
  }

  /** Marks the check failed (exit 1) for a reason people read: a limit, an incompatible binary. */
  public void failCheck(String reason) {
    failures.add(reason);
  }

  public List<String> failures() {
    return List.copyOf(failures);
  }
}
