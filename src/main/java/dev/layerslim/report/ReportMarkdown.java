package dev.layerslim.report;

import dev.layerslim.reportfile.Markdown;
import dev.layerslim.reportfile.ReportTables;
import dev.layerslim.reportfile.Report;
import dev.layerslim.layer.Sizes;
import java.util.Locale;
import java.util.Map;

/** report.md: what a person reads at a glance, rendered from the report. */
public final class ReportMarkdown {
  private ReportMarkdown() {}

  /** Renders {@code report} (report.json) plus the steps' own Markdown sections, in their order. */
  public static String render(Report report, Map<Integer, String> sections) {
    StringBuilder md = new StringBuilder();
    Report.Target t = report.target();
    md.append("# layerslim report\n\n");
    md.append("Target: python").append(t.python()).append(' ').append(t.arch())
        .append(" (").append(t.glibcOverridden()
            ? "a custom image with glibc " + t.glibc()
            : t.os() + ", glibc " + t.glibc()).append(")")
        .append(", install: ").append(report.install().mode()).append("\n\n");
    if (t.warning() != null) {
      md.append("> ⚠️ ").append(t.warning()).append(".\n\n");
    }
    md.append(ReportTables.limitsTable(report)).append('\n');
    String chart = dev.layerslim.reportfile.LayerChart.markdown(report);
    if (!chart.isEmpty()) {
      md.append(chart).append('\n');
    }
    if (!report.failures().isEmpty()) {
      for (String f : report.failures()) {
        md.append("- ❌ ").append(Markdown.text(f)).append('\n');
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
  public static String packagesTable(Report report) {
    long limit = ReportTables.unzippedLimit(report);
    StringBuilder md = new StringBuilder("## Distributions\n\n");
    md.append("| distribution | version | installed | in layer | zipped | share of limit | |\n");
    md.append("| --- | --- | ---: | ---: | ---: | ---: | --- |\n");
    for (Report.Package p : report.packages()) {
      long in = p.unzippedBytes();
      String note = p.removed() ? "removed" : !p.used() ? "unused" : "";
      if (p.runtimeProvided()) {
        note = note.isEmpty() ? "in the Lambda runtime" : note + ", in the Lambda runtime";
      }
      md.append("| ").append(Markdown.cell(p.name())).append(" | ")
          .append(Markdown.cell(p.version())).append(" | ")
          .append(Sizes.human(p.installedBytes())).append(" | ").append(Sizes.human(in)).append(" | ")
          .append(Sizes.human(p.zippedBytes())).append(" | ").append(ReportTables.percent(in, limit)).append(" | ")
          .append(note).append(" |\n");
    }
    Report.Totals tot = report.totals();
    md.append("| **total** | | **").append(Sizes.human(tot.installedBytes())).append("** | **")
        .append(Sizes.human(tot.unzippedBytes())).append("** | **")
        .append(Sizes.human(tot.zippedBytes())).append("** | **")
        .append(ReportTables.percent(tot.unzippedBytes(), limit)).append("** | ")
        .append(dev.layerslim.layer.Plural.count(tot.files(), "file")).append(" |\n");
    return md.toString();
  }

  private static String stepsLine(Report report) {
    StringBuilder sb = new StringBuilder("<sub>Steps: ");
    boolean first = true;
    for (Report.StepTime s : report.steps()) {
      sb.append(first ? "" : ", ").append(s.name()).append(' ')
          .append(String.format(Locale.ROOT, "%.1f s", s.millis() / 1000.0));
      first = false;
    }
    return sb.append(" · layerslim ").append(report.tool().version()).append("</sub>\n").toString();
  }
}
