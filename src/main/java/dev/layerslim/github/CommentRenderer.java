package dev.layerslim.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.layerslim.layer.Sizes;
import dev.layerslim.reportfile.ReportTables;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pull request comment, rendered from report.json: a headline (the change and where the layer
 * stands against each limit), the per-distribution table (changed rows first, unchanged ones
 * folded), then what pruning saved, unused distributions, compatibility findings and cold-start
 * import time when report.json has those sections. Every optional section is read defensively:
 * absent means left out.
 *
 * <p>The body starts with the hidden marker that finds the comment again, and stays under
 * {@link #MAX_CHARS} (GitHub refuses bodies over 65,536): rows are dropped with a note, the marker
 * never is.
 */
public final class CommentRenderer {
  /** Below GitHub's 65,536-character limit, with room to spare. */
  public static final int MAX_CHARS = 65_000;
  static final int LIST_ROWS = 30;

  private CommentRenderer() {}

  /** The hidden marker for the layer {@code key}. */
  public static String marker(String key) {
    return "<!-- layerslim:" + key + " -->";
  }

  public static String render(JsonNode report, String key) {
    return render(report, key, MAX_CHARS);
  }

  /** The longest failure message shown; the rest is in the log. */
  static final int MAX_FAILURE_CHARS = 6_000;

  /**
   * The comment of a build that failed before its report: {@code ❌ build failed at step smoke:} and
   * the first line of the message, the whole message in a code block below, and a link to the run's
   * log. It replaces the previous run's comment, whose numbers no longer hold.
   *
   * @param step the step that failed, or null when the build did not start (bad input)
   * @param runUrl the workflow run's page, or null
   */
  public static String renderFailure(String key, String step, String message, String runUrl) {
    String msg = message == null || message.isBlank() ? "(no message)" : message.strip();
    if (msg.length() > MAX_FAILURE_CHARS) {
      msg = msg.substring(0, MAX_FAILURE_CHARS) + "\n… (cut; the whole message is in the log)";
    }
    String first = oneLine(msg.lines().findFirst().orElse(msg));
    StringBuilder sb = new StringBuilder(marker(key)).append('\n');
    sb.append("### ❌ layerslim: `").append(key).append("`\n\n");
    sb.append("**").append(step == null ? "build failed before it started" : "build failed at step " + step)
        .append("**: ").append(first.replace("<", "&lt;")).append("\n\n");
    if (msg.contains("\n")) {
      String fence = "```";
      while (msg.contains(fence)) {
        fence += "`";
      }
      sb.append("<details><summary>The whole message</summary>\n\n").append(fence).append("text\n").append(msg)
          .append('\n').append(fence).append("\n\n</details>\n\n");
    }
    sb.append("No layer was built, so this comment shows no sizes; the previous run's numbers no longer apply.");
    if (runUrl != null) {
      sb.append(" See [the run's log](").append(runUrl).append(").");
    }
    return sb.append('\n').toString();
  }

  /** One distribution's line: {@code before} is null when it is new (or there is no baseline), {@code after} when removed. */
  private record Row(String name, String version, Long before, Long after, boolean changed, boolean unused,
      boolean pruned) {
    long size() {
      return Math.max(before == null ? 0 : before, after == null ? 0 : after);
    }

    long delta() {
      return (after == null ? 0 : after) - (before == null ? 0 : before);
    }
  }

  static String render(JsonNode report, String key, int maxChars) {
    JsonNode baseline = report.path("baseline");
    boolean hasBaseline = baseline.isObject();
    long limit = ReportTables.unzippedLimit(report);
    List<Row> rows = rows(report, baseline, hasBaseline);

    StringBuilder head = new StringBuilder(marker(key)).append('\n');
    boolean failed = report.path("failures").size() > 0;
    head.append("### ").append(failed ? "❌" : "✅").append(" layerslim: `").append(key).append("`\n\n");
    head.append(headline(report, baseline, hasBaseline, rows)).append("\n\n");
    head.append(ReportTables.limitsTable(report)).append('\n');
    int shownFailures = 0;
    for (JsonNode f : report.path("failures")) {
      if (shownFailures++ < LIST_ROWS) {
        head.append("- ❌ ").append(oneLine(f.asText())).append('\n');
      }
    }
    if (shownFailures > 0) {
      head.append('\n');
    }

    StringBuilder tail = new StringBuilder();
    tail.append(pruneSection(report.path("prune")));
    tail.append(unusedSection(rows));
    tail.append(compatibilitySection(report.path("compatibility")));
    tail.append(smokeSection(report.path("smoke")));
    tail.append("<sub>layerslim ").append(report.path("tool").path("version").asText("")).append(" · the full ")
        .append("report is in the job summary and in report.json</sub>\n");

    int budget = maxChars - head.length() - tail.length() - 400;
    String table = table(rows, hasBaseline, limit, budget);
    String body = head + table + tail;
    if (body.length() > maxChars) {
      // Only reachable with absurd inputs (huge names); the marker is at the start, so it survives.
      body = body.substring(0, maxChars - 80) + "\n\n… (cut to fit GitHub's comment size limit)\n";
    }
    return body;
  }

  private static List<Row> rows(JsonNode report, JsonNode baseline, boolean hasBaseline) {
    Map<String, JsonNode> added = byName(baseline.path("added"));
    Map<String, JsonNode> changed = byName(baseline.path("changed"));
    List<Row> rows = new ArrayList<>();
    for (JsonNode p : report.path("packages")) {
      String name = p.path("name").asText();
      long after = p.path("unzippedBytes").asLong();
      String version = p.path("version").asText("");
      boolean unused = !p.path("used").asBoolean(true) && !p.path("removed").asBoolean(false);
      // in report.json with 0 bytes; without a note the row reads as a distribution shipped empty
      boolean pruned = p.path("removed").asBoolean(false);
      if (!hasBaseline) {
        rows.add(new Row(name, version, null, after, false, unused, pruned));
      } else if (added.containsKey(name)) {
        rows.add(new Row(name, version, null, after, true, unused, pruned));
      } else if (changed.containsKey(name)) {
        JsonNode c = changed.get(name);
        String before = c.path("beforeVersion").asText("");
        rows.add(new Row(name, before.isEmpty() || before.equals(version) ? version : before + " → " + version,
            c.path("beforeBytes").asLong(), after, true, unused, pruned));
      } else {
        rows.add(new Row(name, version, after, after, false, unused, pruned));
      }
    }
    for (JsonNode r : baseline.path("removed")) {
      rows.add(new Row(r.path("name").asText(), r.path("beforeVersion").asText(""), r.path("beforeBytes").asLong(),
          null, true, false, false));
    }
    rows.sort(Comparator.comparing((Row r) -> !r.changed()).thenComparing(Comparator.comparingLong(Row::size)
        .reversed()).thenComparing(Row::name));
    return rows;
  }

  private static Map<String, JsonNode> byName(JsonNode array) {
    Map<String, JsonNode> m = new HashMap<>();
    for (JsonNode n : array) {
      m.put(n.path("name").asText(), n);
    }
    return m;
  }

  private static String headline(JsonNode report, JsonNode baseline, boolean hasBaseline, List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    if (hasBaseline) {
      long delta = baseline.path("deltaBytes").asLong();
      if (delta == 0) {
        sb.append("This PR does not change the layer's size");
      } else {
        sb.append("This PR ").append(delta > 0 ? "adds " : "saves ").append(Sizes.human(Math.abs(delta)));
        List<String> who = rows.stream().filter(r -> Long.signum(r.delta()) == Long.signum(delta))
            .sorted(Comparator.comparingLong((Row r) -> Math.abs(r.delta())).reversed()).limit(3)
            .map(Row::name).toList();
        if (!who.isEmpty()) {
          sb.append(" (").append(String.join(", ", who)).append(")");
        }
      }
      sb.append("; the layer is at ");
    } else {
      sb.append("The layer is at ");
    }
    List<String> parts = new ArrayList<>();
    for (JsonNode l : report.path("limits")) {
      String name = l.path("name").asText();
      if (name.equals("growth")) {
        continue;
      }
      long actual = l.path("actualBytes").asLong();
      long lim = l.path("limitBytes").asLong();
      parts.add(String.format(Locale.ROOT, "%s of %s %s (%s)", Sizes.human(actual), Sizes.human(lim), name,
          !l.path("exceeded").asBoolean() ? "within"
              : l.path("enforced").asBoolean(true) ? "**exceeded**" : "over, a warning only"));
    }
    sb.append(parts.isEmpty() ? "an unknown size" : String.join(", ", parts)).append('.');
    if (!hasBaseline) {
      sb.append(" No baseline report was given, so there is no before/after.");
    }
    return sb.toString();
  }

  private static String table(List<Row> rows, boolean hasBaseline, long limit, int budget) {
    String header = hasBaseline
        ? "| distribution | version | before → after | change | share of limit | |\n| --- | --- | ---: | ---: | ---: | --- |\n"
        : "| distribution | version | size | share of limit | |\n| --- | --- | ---: | ---: | --- |\n";
    List<Row> changed = rows.stream().filter(Row::changed).toList();
    List<Row> unchanged = rows.stream().filter(r -> !r.changed()).toList();
    StringBuilder sb = new StringBuilder("#### Distributions\n\n");
    int omitted = 0;
    int used = sb.length();
    if (!changed.isEmpty() || !hasBaseline) {
      List<Row> main = hasBaseline ? changed : unchanged;
      sb.append(header);
      used = sb.length();
      int shown = 0;
      for (Row r : main) {
        String line = line(r, hasBaseline, limit);
        if (used + line.length() > budget) {
          break;
        }
        sb.append(line);
        used += line.length();
        shown++;
      }
      omitted = main.size() - shown;
      sb.append('\n');
    } else {
      sb.append("No distribution changed.\n\n");
    }
    if (hasBaseline && !unchanged.isEmpty()) {
      StringBuilder details = new StringBuilder("<details><summary>").append(unchanged.size())
          .append(" unchanged distributions</summary>\n\n").append(header);
      int shown = 0;
      for (Row r : unchanged) {
        String line = line(r, true, limit);
        if (sb.length() + details.length() + line.length() + 20 > budget) {
          break;
        }
        details.append(line);
        shown++;
      }
      omitted += unchanged.size() - shown;
      if (shown > 0) {
        sb.append(details).append("\n</details>\n\n");
      }
    }
    if (omitted > 0) {
      sb.append("_").append(omitted).append(" more distributions not shown: the comment would pass GitHub's size ")
          .append("limit. report.md in the job summary lists them all._\n\n");
    }
    return sb.toString();
  }

  private static String line(Row r, boolean hasBaseline, long limit) {
    String note = r.after() == null ? "removed" : hasBaseline && r.before() == null ? "new" : "";
    if (r.unused()) {
      note = note.isEmpty() ? "unused" : note + ", unused";
    }
    if (r.pruned() && note.isEmpty()) {
      note = "pruned, not in the layer";
    }
    long share = r.after() == null ? 0 : r.after();
    StringBuilder sb = new StringBuilder("| ").append(cell(r.name())).append(" | ").append(cell(r.version()))
        .append(" | ");
    if (hasBaseline) {
      sb.append(r.before() == null ? "—" : Sizes.human(r.before())).append(" → ")
          .append(r.after() == null ? "—" : Sizes.human(r.after())).append(" | ")
          .append(r.delta() == 0 ? "" : Sizes.signed(r.delta())).append(" | ");
    } else {
      sb.append(Sizes.human(share)).append(" | ");
    }
    return sb.append(ReportTables.percent(share, limit)).append(" | ").append(note).append(" |\n").toString();
  }

  private static String pruneSection(JsonNode prune) {
    // the prune step writes removedBytes; savedBytes is accepted too
    JsonNode saved = prune.path("removedBytes").isNumber() ? prune.path("removedBytes") : prune.path("savedBytes");
    if (!prune.isObject() || !saved.isNumber()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("#### Pruning saved ").append(Sizes.human(saved.asLong()))
        .append(prune.path("removedFiles").isNumber() ? " (" + prune.path("removedFiles").asLong() + " files)" : "")
        .append("\n\n");
    JsonNode byRule = prune.path("byRule");
    if (byRule.isObject() && byRule.size() > 0) {
      List<Map.Entry<String, JsonNode>> rules = new ArrayList<>();
      byRule.fields().forEachRemaining(rules::add);
      rules.sort(Comparator.comparingLong((Map.Entry<String, JsonNode> e) -> e.getValue().path("bytes").asLong())
          .reversed());
      sb.append("| rule | files | saved |\n| --- | ---: | ---: |\n");
      rules.stream().limit(LIST_ROWS).forEach(e -> sb.append("| ").append(cell(e.getKey())).append(" | ")
          .append(e.getValue().path("files").asLong()).append(" | ")
          .append(Sizes.human(e.getValue().path("bytes").asLong())).append(" |\n"));
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String unusedSection(List<Row> rows) {
    List<Row> unused = rows.stream().filter(Row::unused).toList();
    if (unused.isEmpty()) {
      return "";
    }
    long total = unused.stream().mapToLong(r -> r.after() == null ? 0 : r.after()).sum();
    StringBuilder sb = new StringBuilder("#### Unused distributions: ").append(Sizes.human(total)).append("\n\n");
    sb.append(unused.size()).append(unused.size() == 1 ? " distribution is" : " distributions are")
        .append(" not reached by any handler import: ");
    List<String> names = unused.stream().limit(LIST_ROWS)
        .map(r -> "`" + r.name() + "` (" + Sizes.human(r.after() == null ? 0 : r.after()) + ")").toList();
    sb.append(String.join(", ", names));
    if (unused.size() > LIST_ROWS) {
      sb.append(" and ").append(unused.size() - LIST_ROWS).append(" more");
    }
    return sb.append(". `prune-unused: true` drops them (`keep` protects one).\n\n").toString();
  }

  private static String compatibilitySection(JsonNode findings) {
    if (!findings.isArray() || findings.size() == 0) {
      return "";
    }
    StringBuilder sb = new StringBuilder("#### Compatibility with the Lambda runtime: ").append(findings.size())
        .append(findings.size() == 1 ? " finding" : " findings").append("\n\n");
    sb.append("| severity | distribution | file | problem | needs | runtime has |\n")
        .append("| --- | --- | --- | --- | --- | --- |\n");
    int n = 0;
    for (JsonNode f : findings) {
      if (n++ >= LIST_ROWS) {
        break;
      }
      sb.append("| ").append(cell(f.path("severity").asText(""))).append(" | ")
          .append(cell(f.path("distribution").asText(""))).append(" | `").append(cell(f.path("file").asText("")))
          .append("` | ").append(cell(f.path("problem").asText(""))).append(" | ")
          .append(cell(f.path("needed").asText(""))).append(" | ").append(cell(f.path("available").asText("")))
          .append(" |\n");
    }
    if (findings.size() > LIST_ROWS) {
      sb.append("\n").append(findings.size() - LIST_ROWS).append(" more in report.json.\n");
    }
    return sb.append('\n').toString();
  }

  private static String smokeSection(JsonNode smoke) {
    if (!smoke.isObject() || !smoke.path("importMillis").isNumber()) {
      return "";
    }
    return "Cold-start import time (smoke test): **" + smoke.path("importMillis").asLong() + " ms**"
        + (smoke.path("passed").asBoolean(true) ? "" : " — the smoke test **failed**") + "\n\n";
  }

  private static String cell(String s) {
    return oneLine(s).replace("|", "\\|");
  }

  private static String oneLine(String s) {
    return s.replace("\r", " ").replace("\n", " ");
  }
}
