package dev.layerslim.reportfile;

import dev.layerslim.layer.Sizes;
import java.util.Locale;

/**
 * Tables read off a report, shared by report.md (the report step) and the pull
 * request comment (github): both render the same file, so neither depends on the other.
 */
public final class ReportTables {
  /** AWS Lambda's limit on function + layers, unzipped, in bytes (250 MiB). */
  public static final long AWS_UNZIPPED = 262_144_000L;

  private ReportTables() {}

  /** One line per limit with a pass/fail mark. */
  public static String limitsTable(Report report) {
    StringBuilder md = new StringBuilder();
    md.append("| limit | size | of | used | |\n| --- | ---: | ---: | ---: | --- |\n");
    for (Report.Limit l : report.limits()) {
      long limit = l.limitBytes();
      long actual = l.actualBytes();
      String mark = !l.exceeded() ? "✅ within" : l.enforced() ? "❌ **exceeded**" : "⚠️ over (warning only)";
      md.append("| ").append(Markdown.cell(l.name())).append(" | ").append(Sizes.human(actual)).append(" | ")
          .append(Sizes.human(limit)).append(" | ").append(percent(actual, limit)).append(" | ").append(mark)
          .append(" |\n");
    }
    return md.toString();
  }

  /** The limit named {@code unzipped} (the tighter of AWS's and a budget), AWS's when there is none. */
  public static long unzippedLimit(Report report) {
    for (Report.Limit l : report.limits()) {
      if (l.name().equals("unzipped")) {
        return l.limitBytes();
      }
    }
    return AWS_UNZIPPED;
  }

  public static String percent(long part, long whole) {
    return whole <= 0 ? "" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
  }

}
