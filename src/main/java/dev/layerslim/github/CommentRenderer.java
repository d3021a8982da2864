package dev.layerslim.github;

import dev.layerslim.layer.Plural;
import dev.layerslim.layer.Sizes;
import dev.layerslim.reportfile.Markdown;
import dev.layerslim.reportfile.Report;
import dev.layerslim.reportfile.ReportTables;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pull request comment, rendered from the report. It leads with what a reader needs in five
 * seconds: the verdict and its reason in the title, the sizes against the base branch and the
 * limits, each added or grown distribution with why it is in the layer (the audit's import chain),
 * and, when the check fails, what to do, naming settings that exist where the reader works
 * ({@link Advice}). Below, collapsed: the unchanged distributions, pruning, compatibility warnings
 * and cold start; the footer links the run and names the head commit. A section the report does
 * not have is left out.
 *
 * <p>The body starts with the hidden marker that finds the comment again, and stays under
 * {@link #MAX_CHARS} (GitHub refuses bodies over 65,536): rows are dropped with a note, the marker
 * never is.
 */
public final class CommentRenderer {
  /** Below GitHub's 65,536-character limit, with room to spare. */
  public static final int MAX_CHARS = 65_000;
  static final int LIST_ROWS = 30;
  /** At or above this share of the unzipped limit, a passing layer is "close to the limit". */
  static final double CLOSE_TO_LIMIT_PERCENT = 90.0;
  /** The longest failure message shown; the rest is in the log. */
  static final int MAX_FAILURE_CHARS = 6_000;

  private static final java.util.regex.Pattern GLIBC_NEED = java.util.regex.Pattern.compile("GLIBC_2\\.(\\d+)");
  private static final long MIB = 1024L * 1024;

  private CommentRenderer() {}

  /** The hidden marker for the layer {@code key}. */
  public static String marker(String key) {
    return "<!-- layerslim:" + key + " -->";
  }

  /** The comment for {@code report}. */
  public static String render(Report report, CommentContext c) {
    return render(report, c, MAX_CHARS);
  }

  /**
   * The block the comment leads with, without the marker: the job summary starts with it too, so
   * both say the same thing first.
   */
  public static String lead(Report report, CommentContext c) {
    return new View(report, c).lead(Integer.MAX_VALUE);
  }

  static String render(Report report, CommentContext c, int maxChars) {
    View v = new View(report, c);
    String head = marker(c.key()) + "\n";
    String tail = v.collapsed() + v.footer();
    String lead = v.lead(maxChars - head.length() - tail.length() - 2_000);
    String body = head + lead + v.unchanged(maxChars - head.length() - lead.length() - tail.length() - 400) + tail;
    if (body.length() > maxChars) {
      // Only reachable with absurd inputs (huge names); the marker is at the start, so it survives.
      body = body.substring(0, maxChars - 80) + "\n\n… (cut to fit GitHub's comment size limit)\n";
    }
    return body;
  }

  /**
   * The comment of a build that failed before its report: the title says at which step, the first
   * line of the message follows, the whole message in a code block below, and the footer links the
   * run's log. It replaces the previous run's comment, whose numbers no longer hold.
   *
   * @param step the step that failed, or null when the build did not start (bad input)
   */
  public static String renderFailure(CommentContext c, String step, String message) {
    String msg = message == null || message.isBlank() ? "(no message)" : message.strip();
    if (msg.length() > MAX_FAILURE_CHARS) {
      msg = msg.substring(0, MAX_FAILURE_CHARS) + "\n… (cut; the whole message is in the log)";
    }
    String first = oneLine(msg.lines().findFirst().orElse(msg));
    StringBuilder sb = new StringBuilder(marker(c.key())).append('\n');
    sb.append(title("❌", c, step == null ? "build failed before it started" : "build failed at step " + step));
    sb.append(Markdown.text(first)).append("\n\n");
    if (msg.contains("\n")) {
      String fence = "```";
      while (msg.contains(fence)) {
        fence += "`";
      }
      sb.append("<details><summary>The whole message</summary>\n\n").append(fence).append("text\n").append(msg)
          .append('\n').append(fence).append("\n\n</details>\n\n");
    }
    sb.append("No layer was built, so this comment shows no sizes; the previous run's numbers no longer apply.");
    sb.append(c.runUrl() != null ? " The [run's log](" + c.runUrl() + ") has every step's output." : "");
    sb.append("\n\n");
    return sb.append(footer(c, dev.layerslim.layer.Version.get(), null)).toString();
  }

  private static String title(String mark, CommentContext c, String verdict) {
    return "### " + mark + " " + Markdown.code(c.layer()) + " · " + verdict + "\n\n";
  }

  private static String footer(CommentContext c, String version, String target) {
    List<String> parts = new ArrayList<>();
    parts.add("layerslim" + (version == null || version.isEmpty() ? "" : " " + version));
    if (target != null) {
      parts.add(target);
    }
    if (c.runUrl() != null) {
      parts.add("[workflow run](" + c.runUrl() + ")");
    }
    if (c.shortSha() != null) {
      parts.add("head `" + c.shortSha() + "`");
    }
    return "<sub>" + String.join(" · ", parts) + "</sub>\n";
  }

  /** A limit check from the report's {@code limits}. */
  private record Check(String name, Report.LimitKind kind, long limit, long actual, boolean exceeded,
      boolean enforced) {
    boolean growth() {
      return kind == Report.LimitKind.GROWTH;
    }

    boolean unzipped() {
      return name.startsWith("unzipped");
    }

    boolean aws() {
      return kind == Report.LimitKind.AWS_UNZIPPED || kind == Report.LimitKind.AWS_ZIPPED_DIRECT;
    }

    boolean failed() {
      return exceeded && enforced;
    }

    double percent() {
      return limit <= 0 ? 0 : 100.0 * actual / limit;
    }

    /** The input or flag that sets this budget. */
    String setting() {
      return growth() ? "max-growth" : unzipped() ? "max-unzipped" : "max-zipped";
    }

    /** {@code over the growth budget: +45.0 MiB against a 20 MiB budget}. */
    String over() {
      if (growth()) {
        return "over the growth budget: " + Sizes.signed(actual) + " against a " + Sizes.human(limit) + " budget";
      }
      String what = unzipped() ? "unzipped" : "zipped";
      if (aws()) {
        return "over AWS's " + what + " limit: " + Sizes.human(actual) + " of " + Sizes.human(limit)
            + (unzipped() ? " (function and all layers)" : "");
      }
      return "over the " + what + " budget: " + Sizes.human(actual) + " against a " + Sizes.human(limit) + " budget";
    }
  }

  /**
   * One distribution as the comment shows it: sizes on both sides ({@code before} null when it was
   * not in the base branch's layer, {@code after} null when it is not in this one).
   */
  private record Row(String name, String version, Long before, Long after, long zippedDelta, boolean changed) {
    long delta() {
      return (after == null ? 0 : after) - (before == null ? 0 : before);
    }

    long size() {
      return Math.max(before == null ? 0 : before, after == null ? 0 : after);
    }
  }

  /** The report read once, with what every section needs. */
  private static final class View {
    final Report report;
    final CommentContext c;
    final Advice advice;
    final Report.BaselineDiff baseline;
    final boolean hasBaseline;
    final List<Check> checks = new ArrayList<>();
    final Map<String, Report.Package> packages = new LinkedHashMap<>();
    final Map<String, Report.AuditDistribution> audit = new HashMap<>();
    final boolean audited;
    final List<Row> changes = new ArrayList<>();
    final List<Row> unchanged = new ArrayList<>();
    final long unzippedLimit;

    View(Report report, CommentContext c) {
      this.report = report;
      this.c = c;
      this.advice = c.advice();
      this.baseline = report.baseline();
      this.hasBaseline = baseline != null;
      this.unzippedLimit = ReportTables.unzippedLimit(report);
      for (Report.Limit l : report.limits()) {
        checks.add(new Check(l.name(), l.kind(), l.limitBytes(), l.actualBytes(), l.exceeded(), l.enforced()));
      }
      for (Report.Package p : report.packages()) {
        packages.put(p.name(), p);
      }
      if (report.audit() != null) {
        for (Report.AuditDistribution d : report.audit().distributions()) {
          audit.put(d.name(), d);
        }
      }
      this.audited = report.audit() != null;
      rows();
    }

    private void rows() {
      Map<String, Report.DiffRow> added = byName(hasBaseline ? baseline.added() : List.of());
      Map<String, Report.DiffRow> changed = byName(hasBaseline ? baseline.changed() : List.of());
      Map<String, Report.DiffRow> removed = byName(hasBaseline ? baseline.removed() : List.of());
      for (Report.Package p : packages.values()) {
        String name = p.name();
        String version = p.version();
        long after = p.unzippedBytes();
        if (added.containsKey(name)) {
          changes.add(new Row(name, version, null, after, added.get(name).zippedDeltaBytes(), true));
        } else if (changed.containsKey(name)) {
          Report.DiffRow ch = changed.get(name);
          String before = ch.beforeVersion();
          changes.add(new Row(name, before.isEmpty() || before.equals(version) ? version : before + " → " + version,
              ch.beforeBytes(), after, ch.zippedDeltaBytes(), true));
        } else if (!removed.containsKey(name) && !p.removed()) {
          // pruned distributions have no row: they are not in the layer (the pruning section counts them)
          unchanged.add(new Row(name, version, hasBaseline ? after : null, after, 0, false));
        }
      }
      for (Report.DiffRow r : removed.values()) {
        changes.add(new Row(r.name(), r.beforeVersion(), r.beforeBytes(), null, r.zippedDeltaBytes(), true));
      }
      changes.sort(Comparator.comparingLong((Row r) -> Math.abs(r.delta())).reversed().thenComparing(Row::name));
      unchanged.sort(Comparator.comparingLong(Row::size).reversed().thenComparing(Row::name));
    }

    /** The limits that failed the check (none in a dry run, which only warns). */
    List<Check> failedChecks() {
      return failed() ? checks.stream().filter(Check::failed).toList() : List.of();
    }

    /** Compatibility errors that failed the check: failures beside the limits' (the compat step's). */
    int compatErrors() {
      int n = 0;
      for (Report.Compat f : compatibility()) {
        n += f.error() ? 1 : 0;
      }
      return n;
    }

    List<Report.Compat> compatibility() {
      return report.compatibility() == null ? List.of() : report.compatibility();
    }

    boolean failed() {
      return !report.failures().isEmpty();
    }

    String target() {
      Report.Target t = report.target();
      return "python" + t.python() + " " + t.arch() + ", "
          + (t.glibcOverridden() ? "a custom image with glibc " + t.glibc() : t.os() + " (glibc " + t.glibc() + ")");
    }

    /** The title's reason. */
    String verdict() {
      List<Check> failed = failedChecks();
      if (!failed.isEmpty()) {
        return String.join("; ", failed.stream().map(Check::over).toList());
      }
      if (failed()) {
        int errors = compatErrors();
        Report.Target t = report.target();
        if (errors > 0) {
          return errors + (errors == 1 ? " binary cannot" : " binaries cannot") + " load on python"
              + t.python() + " (" + (t.glibcOverridden() ? "glibc " + t.glibc() : t.os() + ", glibc " + t.glibc()) + ")";
        }
        return "the check failed: " + Markdown.text(report.failures().get(0));
      }
      Check main = checks.stream().filter(Check::unzipped).findFirst().orElse(null);
      if (main == null) {
        return "built";
      }
      String share = Sizes.human(main.actual()) + " of " + Sizes.human(main.limit())
          + (main.aws() ? "" : " budget") + String.format(Locale.ROOT, " (%.1f %%)", main.percent());
      String growth = hasBaseline ? ", " + Sizes.signed(baseline.deltaBytes())
          + " against the base branch" : "";
      return main.percent() >= CLOSE_TO_LIMIT_PERCENT ? share + ": close to the limit" + growth
          : "within limits: " + share + growth;
    }

    String lead(int budget) {
      StringBuilder sb = new StringBuilder(title(failed() ? "❌" : "✅", c, verdict()));
      sb.append(sizes()).append('\n');
      sb.append(changesTable(budget - sb.length() - 3_000));
      sb.append(compatibilityOpen());
      sb.append(whatToDo());
      sb.append(notices());
      return sb.toString();
    }

    /** The sizes against the base branch and each limit. */
    String sizes() {
      StringBuilder sb = new StringBuilder();
      Report.Totals totals = report.totals();
      if (hasBaseline) {
        sb.append("| | base branch | this build | change | limit | |\n| --- | ---: | ---: | ---: | ---: | --- |\n");
        long bu = baseline.unzippedBytes();
        long bz = baseline.zippedBytes();
        long u = totals.unzippedBytes();
        long z = totals.zippedBytes();
        sb.append(sizeRow("unzipped", bu, u, firstCheck(false)));
        sb.append(sizeRow("zipped", bz, z, checks.stream().filter(k -> !k.unzipped() && !k.growth()).findFirst()
            .orElse(null)));
        for (Check k : checks) {
          if (k.growth()) {
            sb.append("| growth | | | ").append(Sizes.signed(k.actual())).append(" | ").append(Sizes.human(k.limit()))
                .append(" budget | ").append(mark(k)).append(" |\n");
          }
        }
        for (Check k : checks) {
          if (k.unzipped() && k != firstCheck(false)) {
            sb.append("| unzipped | | ").append(Sizes.human(k.actual())).append(" | | ").append(limitText(k))
                .append(" | ").append(mark(k)).append(" |\n");
          }
        }
        if (baseline.warning() != null) {
          sb.append("\n⚠️ ").append(Markdown.text(baseline.warning())).append('\n');
        }
      } else {
        sb.append("| | size | limit | |\n| --- | ---: | ---: | --- |\n");
        for (Check k : checks) {
          sb.append("| ").append(k.unzipped() ? "unzipped" : k.growth() ? "growth" : "zipped").append(" | ")
              .append(k.growth() ? Sizes.signed(k.actual()) : Sizes.human(k.actual())).append(" | ")
              .append(limitText(k)).append(" | ").append(mark(k)).append(" |\n");
        }
      }
      return sb.toString();
    }

    private Check firstCheck(boolean zipped) {
      return checks.stream().filter(k -> zipped ? !k.unzipped() && !k.growth() : k.unzipped()).findFirst()
          .orElse(null);
    }

    private String sizeRow(String label, long before, long after, Check k) {
      return "| " + label + " | " + Sizes.human(before) + " | " + Sizes.human(after) + " | "
          + change(after - before, before) + " | " + (k == null ? "" : limitText(k)) + " | "
          + (k == null ? "" : mark(k)) + " |\n";
    }

    private static String limitText(Check k) {
      if (k.growth()) {
        return Sizes.human(k.limit()) + " budget";
      }
      if (!k.aws()) {
        return Sizes.human(k.limit()) + " budget";
      }
      return Sizes.human(k.limit()) + (k.unzipped() ? " (AWS)" : " (AWS, direct upload)");
    }

    private static String mark(Check k) {
      String pct = String.format(Locale.ROOT, "%.1f %%", k.percent());
      return !k.exceeded() ? "✅ " + pct : k.enforced() ? "❌ **" + pct + "**" : "ℹ️ " + pct + ", see below";
    }

    /** Added, grown, shrunk and removed distributions, each with why it is in the layer. */
    String changesTable(int budget) {
      if (!hasBaseline) {
        return "No baseline report, so there is no before/after"
            + (advice.has("baseline") ? ": " + advice.set("baseline", advice == Advice.ACTION ? "auto" : "FILE")
                + " compares with the base branch" : "") + ".\n\n";
      }
      if (changes.isEmpty()) {
        return "No distribution in the layer changed.\n\n";
      }
      StringBuilder sb = new StringBuilder("| distribution | version | unzipped | change | zipped change | why it is in "
          + "the layer |\n| --- | --- | ---: | ---: | ---: | --- |\n");
      int shown = 0;
      for (Row r : changes) {
        String change = r.before() == null ? Sizes.signed(r.delta()) + ", added"
            : r.after() == null ? Sizes.signed(r.delta()) + ", removed" : change(r.delta(), r.before());
        String line = "| " + cell(r.name()) + " | " + cell(r.version()) + " | "
            + (r.after() == null ? "—" : Sizes.human(r.after())) + " | " + change + " | "
            + (r.zippedDelta() == 0 ? "" : Sizes.signed(r.zippedDelta())) + " | "
            + (r.after() == null || r.delta() <= 0 ? "" : why(r.name())) + " |\n";
        if (sb.length() + line.length() > budget) {
          break;
        }
        sb.append(line);
        shown++;
      }
      if (shown < changes.size()) {
        sb.append("\n_").append(Plural.count(changes.size() - shown, "more changed distribution")).append(" not shown: the comment ")
            .append("would pass GitHub's size limit. report.json lists them all._\n");
      }
      return sb.append('\n').toString();
    }

    /**
     * Why a distribution is in the layer: the handler's import chain from the audit, or who requires
     * it when the handler does not import it.
     */
    String why(String name) {
      Report.AuditDistribution d = audit.get(name);
      Report.Package pkg = packages.get(name);
      String runtime = pkg != null && pkg.runtimeProvided() ? "; the Lambda runtime has its own copy" : "";
      if (!audited || d == null) {
        return audited ? "" : "no handler audited, so every distribution counts as used";
      }
      Report.Why why = d.why();
      if (d.used() && why != null) {
        return Markdown.code(why.origin()) + " → " + cell(String.join(" → ", why.path())) + runtime;
      }
      if (d.used()) {
        return "reached from the handler" + runtime;
      }
      List<String> by = requiredBy(name);
      return (by.isEmpty() ? "required by nothing in the layer" : "required by " + String.join(", ", by))
          + ", not imported by the handler" + runtime;
    }

    /** The distributions in this layer that require {@code name}. */
    List<String> requiredBy(String name) {
      List<String> by = new ArrayList<>();
      for (Report.AuditDistribution d : audit.values()) {
        Report.Package p = packages.get(d.name());
        boolean inLayer = p != null && !p.removed();
        for (String r : d.requires()) {
          if (inLayer && r.equals(name)) {
            by.add(d.name());
          }
        }
      }
      by.sort(null);
      return by;
    }

    /**
     * The AWS runtime whose glibc the incompatible files need, with the setting that picks it; null
     * when the findings are not about glibc or no newer runtime has it.
     */
    String runtimeThatLoads(Report.Target target) {
      int needed = 0;
      for (Report.Compat f : compatibility()) {
        java.util.regex.Matcher m = GLIBC_NEED.matcher(f.needed());
        if (f.error() && m.matches()) {
          needed = Math.max(needed, Integer.parseInt(m.group(1)));
        }
      }
      String python = target.python();
      if (needed == 0 || !dev.layerslim.layer.Target.RUNTIMES.containsKey(python)) {
        return null;
      }
      var rt = dev.layerslim.layer.Target.oldestRuntimeWithGlibc(needed, python);
      String setting = advice == Advice.ACTION ? "python-version" : "python";
      if (rt == null || rt.python().equals(python) || !advice.has(setting)) {
        return null;
      }
      return "Build for python" + rt.python() + " (" + advice.set(setting, rt.python()) + "): AWS runs it on " + rt.os() + " (glibc " + rt.glibc() + "), where these files load; "
          + "the function's runtime must be python" + rt.python() + " too.";
    }

    /** When the check failed: the settings that drop what grew, or the budget to raise. */
    String whatToDo() {
      List<Check> failed = failedChecks();
      List<String> items = new ArrayList<>();
      if (!failed.isEmpty()) {
        String plan = fitPlan();
        if (plan != null) {
          items.add(plan);
        }
        boolean planPrunes = report.fitPlan() != null
            && report.fitPlan().levers().stream().anyMatch(l -> l.flag().equals("prune-unused"));
        dropAdvice(failed).stream().filter(i -> !(planPrunes && i.startsWith(advice.on("prune-unused"))))
            .forEach(items::add);
        for (Check k : failed) {
          long needed = k.actual();
          if (k.aws() && k.unzipped()) {
            items.add("AWS's " + Sizes.human(k.limit()) + " cannot be raised: it counts the function and all its "
                + "layers together. Drop what is not needed, or split the work across functions.");
          } else if (advice.has(k.setting())) {
            long mib = (needed + MIB - 1) / MIB;
            items.add((k.growth() ? "If this growth is wanted, raise " : "If this size is wanted, raise ")
                + advice.name(k.setting()) + " to at least " + Sizes.human(mib * MIB) + ": "
                + advice.set(k.setting(), mib + "MiB") + ".");
          }
        }
      } else if (failed() && compatErrors() > 0) {
        Report.Target t = report.target();
        String runtime = runtimeThatLoads(t);
        if (runtime != null) {
          items.add(runtime);
        }
        items.add((runtime != null ? "Or use" : "Use") + " wheels built for the runtime's glibc "
            + t.glibc() + " or older (pin an older version in the requirements): the table above "
            + "names each file and what it needs.");
        if (advice.has("glibc")) {
          items.add("If the function runs on a custom image with a newer glibc (not AWS's runtime), name it with "
              + advice.set("glibc", "2.28") + " (your image's version).");
        }
        if (advice.has("compat")) {
          items.add(advice.set("compat", "warn") + " ships the layer anyway, with these files failing at import: "
              + "it turns the check into a warning, not the layer into one that loads.");
        }
      }
      if (items.isEmpty()) {
        return "";
      }
      StringBuilder sb = new StringBuilder("**What to do**\n\n");
      items.forEach(i -> sb.append("- ").append(i).append('\n'));
      return sb.append('\n').toString();
    }

    /**
     * The fit plan of report.json: each lever left, named as the reader sets it, with what it saves on
     * this layer and its trade-off, and whether together they fit; null when there is none.
     */
    String fitPlan() {
      Report.FitPlan plan = report.fitPlan();
      if (plan == null) {
        return null;
      }
      List<String> parts = new ArrayList<>();
      for (Report.FitLever l : plan.levers()) {
        String flag = l.flag();
        String setting = !advice.has(flag) ? "`" + l.setting() + "`"
            : l.value() != null ? advice.set(flag, l.value()) : advice.on(flag);
        parts.add(setting + " −" + Sizes.human(l.savedBytes()) + " (" + cell(l.tradeOff()) + ")");
      }
      long together = plan.togetherBytes();
      long limit = plan.limitBytes();
      if (parts.isEmpty()) {
        return "**Fit plan**: no lever is left that would make this layer smaller; "
            + cell(plan.otherwise() != null ? plan.otherwise() : "a container image (up to 10 GB) holds it") + ".";
      }
      return "**Fit plan** (measured on this layer): " + String.join(" · ", parts) + " · together: "
          + Sizes.human(together) + (plan.fits() ? ", fits."
              : ", still " + Sizes.human(together - limit) + " over; " + cell(plan.otherwise() == null ? "" : plan.otherwise()) + ".");
    }

    /** For a failed size check: which settings drop the distributions that grew. */
    private List<String> dropAdvice(List<Check> failed) {
      boolean growthOnly = failed.stream().allMatch(Check::growth);
      // what grew against the base branch; without one (or for an absolute limit), what is in the layer
      List<Row> candidates = new ArrayList<>();
      if (hasBaseline) {
        changes.stream().filter(r -> r.after() != null && r.delta() > 0).forEach(candidates::add);
      }
      if (!growthOnly || candidates.isEmpty()) {
        for (Row r : unchanged) {
          candidates.add(r);
        }
      }
      List<String> items = new ArrayList<>();
      List<Row> unused = new ArrayList<>();
      List<Row> runtime = new ArrayList<>();
      Map<String, List<Row>> byImport = new LinkedHashMap<>();
      for (Row r : candidates) {
        Report.Package p = packages.get(r.name());
        Report.AuditDistribution d = audit.get(r.name());
        if (p == null) {
          continue;
        }
        if (p.runtimeProvided()) {
          runtime.add(r);
        } else if (audited && d != null && !d.used()) {
          unused.add(r);
        } else if (audited && d != null && d.why() != null && hasBaseline && growthOnly) {
          byImport.computeIfAbsent(d.why().origin(), k -> new ArrayList<>()).add(r);
        }
      }
      if (!unused.isEmpty() && advice.has("prune-unused")) {
        items.add(advice.on("prune-unused") + " drops " + names(unused)
            + ": the handler's imports do not reach " + (unused.size() == 1 ? "it" : "them") + ".");
      }
      if (!runtime.isEmpty()) {
        if (advice.has("drop-runtime-provided")) {
          items.add(advice.on("drop-runtime-provided") + " leaves out " + names(runtime)
              + ": the Lambda runtime has its own copy.");
        } else if (advice.has("exclude")) {
          items.add("The Lambda runtime has its own " + names(runtime) + ": leave " + (runtime.size() == 1 ? "it" : "them")
              + " out with " + advice.name("exclude") + " globs for " + (runtime.size() == 1 ? "its folder" : "their folders")
              + ".");
        }
      }
      byImport.forEach((origin, rows) -> items.add(Markdown.code(origin) + " brings " + names(rows)
          + ": if the handler does not need it, drop the import; if it does, parts it never loads can go with "
          + advice.name("exclude") + " (globs relative to site-packages; the smoke test checks the import still works)."));
      if (byImport.isEmpty() && !growthOnly && advice.has("exclude")) {
        items.add(advice.name("exclude") + " removes files the handler never loads (globs relative to site-packages; "
            + "the smoke test checks the imports still work).");
      }
      return items;
    }

    private static String names(List<Row> rows) {
      List<Row> sorted = rows.stream().sorted(Comparator.comparingLong((Row r) -> r.after() == null ? 0 : r.after())
          .reversed()).toList();
      List<String> shown = sorted.stream().limit(4).map(r -> Markdown.text(r.name()) + " (" + Sizes.human(r.after() == null ? 0
          : r.after()) + ")").toList();
      String s = String.join(", ", shown);
      return sorted.size() > 4 ? s + " and " + (sorted.size() - 4) + " more" : s;
    }

    /** Things to know that do not fail the check. */
    String notices() {
      StringBuilder sb = new StringBuilder();
      Report.Target target = report.target();
      if (target.warning() != null) {
        sb.append("⚠️ ").append(target.warning()).append(".\n\n");
      }
      // a call-time import pruning cannot name: said in the open, pass or fail
      int shown = 0;
      List<Report.ComputedImport> computed = report.audit() == null ? List.of() : report.audit().computedImports();
      for (Report.ComputedImport c : computed) {
        if (shown++ < LIST_ROWS) {
          sb.append("⚠️ ").append(Markdown.text(c.text())).append(".\n\n");
        }
      }
      if (computed.size() > LIST_ROWS) {
        sb.append("⚠️ ").append(Plural.count(computed.size() - LIST_ROWS, "more import")).append(" of computed names: see report.md.\n\n");
      }
      for (Check k : checks) {
        if (k.exceeded() && !k.enforced() && !k.unzipped() && !k.growth()) {
          sb.append("ℹ️ layer.zip is ").append(Sizes.human(k.actual())).append(", over the ")
              .append(Sizes.human(k.limit())).append(" AWS takes in a direct upload. That only matters if you upload ")
              .append("the zip directly (the console, `aws lambda publish-layer-version --zip-file`): SAM and CDK ")
              .append("upload through S3.");
          if (advice.has("max-zipped")) {
            sb.append(' ').append(advice.set("max-zipped", "50MiB")).append(" makes it a check.");
          }
          sb.append("\n\n");
        }
      }
      if (!failedChecks().isEmpty()) {
        return sb.toString(); // the advice above already names what to drop
      }
      List<Row> unused = new ArrayList<>();
      for (Row r : unchanged) {
        Report.AuditDistribution d = audit.get(r.name());
        if (d != null && !d.used()) {
          unused.add(r);
        }
      }
      changes.stream().filter(r -> r.after() != null && audit.containsKey(r.name())
          && !audit.get(r.name()).used()).forEach(unused::add);
      if (!unused.isEmpty() && advice.has("prune-unused")) {
        long total = unused.stream().mapToLong(r -> r.after() == null ? 0 : r.after()).sum();
        sb.append("ℹ️ ").append(unused.size()).append(unused.size() == 1 ? " distribution" : " distributions")
            .append(" (").append(Sizes.human(total)).append(") ").append(unused.size() == 1 ? "is" : "are")
            .append(" not reached by any handler import: ").append(names(unused)).append(". ")
            .append(advice.on("prune-unused")).append(" drops them");
        if (advice.has("keep")) {
          sb.append(" (").append(advice.name("keep")).append(" protects one)");
        }
        sb.append(".\n\n");
      }
      return sb.toString();
    }

    /** Compatibility errors that failed the check are shown open; warnings only go in the collapsed part. */
    String compatibilityOpen() {
      return failed() && compatErrors() > 0 ? compatibilityTable(true) : "";
    }

    private String compatibilityTable(boolean errorsOnly) {
      StringBuilder sb = new StringBuilder("| file | distribution | problem | needs | runtime has |\n"
          + "| --- | --- | --- | --- | --- |\n");
      int n = 0;
      int total = 0;
      for (Report.Compat f : compatibility()) {
        if (errorsOnly && !f.error()) {
          continue;
        }
        total++;
        if (n++ >= LIST_ROWS) {
          continue;
        }
        sb.append("| ").append(Markdown.code(f.file())).append(" | ")
            .append(cell(f.distribution())).append(" | ").append(cell(f.problem()))
            .append(" | ").append(cell(f.needed())).append(" | ")
            .append(cell(f.available())).append(" |\n");
      }
      if (total > LIST_ROWS) {
        sb.append("\n").append(total - LIST_ROWS).append(" more in report.json.\n");
      }
      return sb.append('\n').toString();
    }

    /** The unchanged distributions (or, without a baseline, every one in the layer), collapsed. */
    String unchanged(int budget) {
      if (unchanged.isEmpty()) {
        return "";
      }
      String summary = hasBaseline ? Plural.count(unchanged.size(), "unchanged distribution")
          : Plural.count(unchanged.size(), "distribution") + " in the layer";
      StringBuilder sb = new StringBuilder("<details><summary>").append(summary).append("</summary>\n\n")
          .append("| distribution | version | size | share of limit |\n| --- | --- | ---: | ---: |\n");
      int shown = 0;
      for (Row r : unchanged) {
        String line = "| " + cell(r.name()) + " | " + cell(r.version()) + " | " + Sizes.human(r.after()) + " | "
            + ReportTables.percent(r.after(), unzippedLimit) + " |\n";
        if (sb.length() + line.length() + 200 > budget) {
          break;
        }
        sb.append(line);
        shown++;
      }
      if (shown < unchanged.size()) {
        sb.append("\n_").append(Plural.count(unchanged.size() - shown, "more distribution")).append(" not shown: the comment would ")
            .append("pass GitHub's size limit. report.md lists them all._\n");
      }
      return shown == 0 && unchanged.size() > 0 && budget < 300 ? "" : sb.append("\n</details>\n\n").toString();
    }

    /** Pruning, compatibility warnings and cold start, each collapsed. */
    String collapsed() {
      return chart() + pruning() + (failed() && compatErrors() > 0 ? "" : compatibilityWarnings()) + coldStart();
    }

    /** The layer against the limit (and the change per distribution) as a chart, collapsed. */
    private String chart() {
      String chart = dev.layerslim.reportfile.LayerChart.markdown(report);
      return chart.isEmpty() ? "" : "<details><summary>Chart: the layer against the limit"
          + (hasBaseline ? " and the change per distribution" : "") + "</summary>\n\n" + chart + "\n</details>\n\n";
    }

    private String pruning() {
      Report.Prune prune = report.prune();
      if (prune == null) {
        return "";
      }
      StringBuilder sb = new StringBuilder("<details><summary>Pruning removed ").append(Sizes.human(prune.removedBytes()))
          .append(" (" + Plural.grouped(prune.removedFiles(), "file") + ")").append("</summary>\n\n");
      if (!prune.byRule().isEmpty()) {
        List<Map.Entry<String, Report.FilesBytes>> rules = new ArrayList<>(prune.byRule().entrySet());
        rules.sort(Comparator.comparingLong((Map.Entry<String, Report.FilesBytes> e) -> e.getValue().bytes())
            .reversed());
        sb.append("| rule | files | removed |\n| --- | ---: | ---: |\n");
        rules.stream().limit(LIST_ROWS).forEach(e -> sb.append("| ").append(cell(e.getKey())).append(" | ")
            .append(Sizes.grouped(e.getValue().files())).append(" | ")
            .append(Sizes.human(e.getValue().bytes())).append(" |\n"));
        sb.append('\n');
      }
      List<String> pruned = new ArrayList<>();
      for (Report.Package p : packages.values()) {
        if (p.removed()) {
          pruned.add(Markdown.code(p.name()) + " (" + Sizes.human(p.installedBytes()) + ")");
        }
      }
      if (!pruned.isEmpty()) {
        sb.append("Not in the layer at all: ").append(String.join(", ", pruned.stream().limit(LIST_ROWS).toList()))
            .append(pruned.size() > LIST_ROWS ? " and " + (pruned.size() - LIST_ROWS) + " more" : "").append(".\n\n");
      }
      return sb.append("</details>\n\n").toString();
    }

    private String compatibilityWarnings() {
      List<Report.Compat> findings = compatibility();
      if (findings.isEmpty()) {
        return "";
      }
      return "<details><summary>Compatibility with the Lambda runtime: " + findings.size()
          + (findings.size() == 1 ? " finding" : " findings") + "</summary>\n\n" + compatibilityTable(false)
          + "</details>\n\n";
    }

    private String coldStart() {
      Report.Smoke smoke = report.smoke();
      if (smoke == null || smoke.importMillis() == null) {
        return "";
      }
      long now = smoke.importMillis();
      StringBuilder rows = new StringBuilder();
      if (hasBaseline && baseline.importMillis() != null) {
        rows.append("| base branch's layer | ").append(ms(baseline.importMillis())).append(" |\n");
      }
      if (smoke.importMillisBefore() != null) {
        rows.append("| this build, before pruning | ").append(ms(smoke.importMillisBefore())).append(" |\n");
      }
      rows.append("| this build's layer | **").append(ms(now)).append("** |\n");
      Long noPyc = smoke.bytecode() == null ? null : smoke.bytecode().importMillisNoPyc();
      if (noPyc != null) {
        rows.append("| this build's layer without pycs | ").append(ms(noPyc)).append(" |\n");
      }
      return "<details><summary>Cold start: importing the handler takes " + ms(now)
          + (smoke.passed() == null || smoke.passed() ? "" : " (the smoke test **failed**)") + "</summary>\n\n"
          + "| | import time |\n| --- | ---: |\n" + rows
          + "\nMeasured by the smoke test on the build machine, once each; times vary between runs.\n\n</details>\n\n";
    }

    String footer() {
      return CommentRenderer.footer(c, report.tool().version(), target())
          .replace("</sub>", " · the full report is in " + advice.fullReport() + "</sub>");
    }
  }

  private static String ms(long millis) {
    return millis >= 10_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0) : millis + " ms";
  }

  /** {@code +1.2 MiB (+3.4 %)}, or the size alone when there is nothing to take a share of. */
  private static String change(long delta, long before) {
    String pct = Sizes.signedPercent(delta, before);
    return Sizes.signed(delta) + (pct.isEmpty() || delta == 0 ? "" : " (" + pct + ")");
  }

  private static Map<String, Report.DiffRow> byName(List<Report.DiffRow> rows) {
    Map<String, Report.DiffRow> m = new LinkedHashMap<>();
    for (Report.DiffRow n : rows) {
      m.put(n.name(), n);
    }
    return m;
  }

  private static String cell(String s) {
    return Markdown.cell(s);
  }

  private static String oneLine(String s) {
    return s.replace("\r", " ").replace("\n", " ");
  }
}
