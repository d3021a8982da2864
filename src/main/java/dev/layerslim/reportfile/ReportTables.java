package dev.layerslim.reportfile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.layerslim.layer.Sizes;
import java.util.Locale;

/**
 * Tables read off a written report.json, shared by report.md (the report step) and the pull
 * request comment (github): both render the same file, so neither depends on the other.
 */
public final class ReportTables {
  /** AWS Lambda's limit on function + layers, unzipped, in bytes (250 MiB). */
  public static final long AWS_UNZIPPED = 262_144_000L;

  private ReportTables() {}

  /** One line per limit with a pass/fail mark. */
  public static String limitsTable(JsonNode report) {
    StringBuilder md = new StringBuilder();
    md.append("| limit | size | of | used | |\n| --- | ---: | ---: | ---: | --- |\n");
    for (JsonNode l : report.path("limits")) {
      long limit = l.path("limitBytes").asLong();
      long actual = l.path("actualBytes").asLong();
      boolean exceeded = l.path("exceeded").asBoolean();
      boolean enforced = l.path("enforced").asBoolean(true);
      String mark = !exceeded ? "✅ within" : enforced ? "❌ **exceeded**" : "⚠️ over (warning only)";
      md.append("| ").append(Markdown.cell(l.path("name").asText())).append(" | ").append(Sizes.human(actual)).append(" | ")
          .append(Sizes.human(limit)).append(" | ").append(percent(actual, limit)).append(" | ").append(mark)
          .append(" |\n");
    }
    return md.toString();
  }

  public static long unzippedLimit(JsonNode report) {
    for (JsonNode l : report.path("limits")) {
      if (l.path("name").asText().equals("unzipped")) {
        return l.path("limitBytes").asLong();
      }
    }
    return AWS_UNZIPPED;
  }

  public static String percent(long part, long whole) {
    return whole <= 0 ? "" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
  }

}
