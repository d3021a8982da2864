package dev.layerslim.report;

import dev.layerslim.reportfile.Markdown;
import dev.layerslim.reportfile.ReportTables;
import com.fasterxml.jackson.databind.JsonNode;
import dev.layerslim.layer.Sizes;
import java.util.Locale;
import java.util.Map;

/** report.md: what a person reads at a glance, rendered from report.json. */
public final class ReportMarkdown {
  private ReportMarkdown() {}

  /** Renders {@code report} (report.json) plus the steps' own Markdown sections, in their order. */
  public static String render(JsonNode report, Map<Integer, String> sections) {
    StringBuilder md = new StringBuilder();
    JsonNode t = report.path("target");
    md.append("# layerslim report\n\n");
    md.append("Target: python").append(t.path("python").asText()).append(' ').append(t.path("arch").asText())
        .append(" (").append(t.path("glibcOverridden").asBoolean(false)
            ? "a custom image with glibc " + t.path("glibc").asText()
            : t.path("os").asText() + ", glibc " + t.path("glibc").asText()).append(")")
        .append(", install: ").append(report.path("install").path("mode").asText()).append("\n\n");
    if (t.hasNonNull("warning")) {
      md.append("> ⚠️ ").append(t.path("warning").asText()).append(".\n\n");
    }
    md.append(ReportTables.limitsTable(report)).append('\n');
    String chart = dev.layerslim.reportfile.LayerChart.markdown(report);
    if (!chart.isEmpty()) {
      md.append(chart).append('\n');
    }
    if (report.path("failures").size() > 0) {
      for (JsonNode f : report.path("failures")) {
        md.append("- ❌ ").append(Markdown.text(f.asText())).append('\n');
      }
      md.append('\n');
    }
    sections.forEach((order, text) -> {
      if (order < 100) {
        md.append(text.strip()).append("\n\n");
      }
    });
    md.append(packagesTable(report)).append('\n');
    sections.forEach((order, text) -> {
      if (order >= 100) {
        md.append(text.strip()).append("\n\n");
      }
    });
    md.append(stepsLine(report));
    return md.toString();
  }

  /** The per-distribution table, largest first. */
  public static String packagesTable(JsonNode report) {
    long limit = ReportTables.unzippedLimit(report);
    StringBuilder md = new StringBuilder("## Distributions\n\n");
    md.append("| distribution | version | installed | in layer | zipped | share of limit | |\n");
    md.append("| --- | --- | ---: | ---: | ---: | ---: | --- |\n");
    for (JsonNode p : report.path("packages")) {
      long in = p.path("unzippedBytes").asLong();
      String note = p.path("removed").asBoolean() ? "removed"
          : !p.path("used").asBoolean(true) ? "unused" : "";
      if (p.path("runtimeProvided").asBoolean(false)) {
        note = note.isEmpty() ? "in the Lambda runtime" : note + ", in the Lambda runtime";
      }
      md.append("| ").append(Markdown.cell(p.path("name").asText())).append(" | ")
          .append(Markdown.cell(p.path("version").asText())).append(" | ")
          .append(Sizes.human(p.path("installedBytes").asLong())).append(" | ").append(Sizes.human(in)).append(" | ")
          .append(Sizes.human(p.path("zippedBytes").asLong())).append(" | ").append(ReportTables.percent(in, limit)).append(" | ")
          .append(note).append(" |\n");
    }
    JsonNode tot = report.path("totals");
    md.append("| **total** | | **").append(Sizes.human(tot.path("installedBytes").asLong())).append("** | **")
        .append(Sizes.human(tot.path("unzippedBytes").asLong())).append("** | **")
        .append(Sizes.human(tot.path("zippedBytes").asLong())).append("** | **")
        .append(ReportTables.percent(tot.path("unzippedBytes").asLong(), limit)).append("** | ")
        .append(dev.layerslim.layer.Plural.count(tot.path("files").asLong(), "file")).append(" |\n");
    return md.toString();
  }

  private static String stepsLine(JsonNode report) {
    StringBuilder sb = new StringBuilder("<sub>Steps: ");
    boolean first = true;
    for (JsonNode s : report.path("steps")) {
      sb.append(first ? "" : ", ").append(s.path("name").asText()).append(' ')
          .append(String.format(Locale.ROOT, "%.1f s", s.path("millis").asLong() / 1000.0));
      first = false;
    }
    return sb.append(" · layerslim ").append(report.path("tool").path("version").asText()).append("</sub>\n").toString();
  }
}
