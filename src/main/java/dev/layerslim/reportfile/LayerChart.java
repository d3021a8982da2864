package dev.layerslim.reportfile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The layer as a picture: Mermaid charts read off the report, which GitHub draws in job summaries
 * and comments. A pie of the unzipped limit (each distribution's share, the rest as headroom) and,
 * with a baseline, a bar per distribution whose size changed.
 *
 * <p>Labels come from distribution names and versions, which a report holds as written by
 * whoever built the baseline: only letters, digits and {@code . _ - + ( )} and spaces reach the chart.
 */
public final class LayerChart {
  /** Slices beyond these many distributions are summed into one. */
  static final int MAX_SLICES = 8;
  /** Bars beyond these many changes are left out (the comment's table lists them all). */
  static final int MAX_BARS = 12;
  private static final double MIB = 1024.0 * 1024;

  private LayerChart() {}

  /** Both charts as Markdown ({@code ```mermaid} blocks), or empty when the report has no distributions. */
  public static String markdown(Report report) {
    String pie = pie(report);
    if (pie.isEmpty()) {
      return "";
    }
    String bars = changes(report);
    return fenced(pie) + (bars.isEmpty() ? "" : "\n" + fenced(bars));
  }

  private static String fenced(String mermaid) {
    return "```mermaid\n" + mermaid + "```\n";
  }

  /**
   * The unzipped limit as a pie: one slice per large distribution, the rest as one, and the
   * headroom left; over the limit there is no headroom slice and the title says by how much.
   */
  static String pie(Report report) {
    List<Report.Package> rows = new ArrayList<>();
    for (Report.Package p : report.packages()) {
      if (p.unzippedBytes() > 0) {
        rows.add(p);
      }
    }
    if (rows.isEmpty()) {
      return "";
    }
    rows.sort(Comparator.comparingLong(Report.Package::unzippedBytes).reversed());
    long limit = ReportTables.unzippedLimit(report);
    long total = report.totals().unzippedBytes();
    long extra = report.totals().extraBytes();
    long used = total + extra;
    // the unit of the pie's scale: a small budget or layer in MiB would read "0 of 0 MiB"
    Unit u = Unit.forScale(Math.max(limit, used));
    String title = used > limit
        ? u.of(used) + " " + u.name + " unzipped, " + u.of(used - limit) + " " + u.name + " over the " + u.of(limit)
            + " " + u.name + " limit"
        : u.of(used) + " of " + u.of(limit) + " " + u.name + " unzipped (sizes in " + u.name + ")";
    StringBuilder sb = new StringBuilder("pie showData title ").append(label(title)).append('\n');
    long shown = 0;
    for (int i = 0; i < rows.size() && i < MAX_SLICES; i++) {
      Report.Package p = rows.get(i);
      String version = p.version();
      slice(sb, u, p.name() + (version.isEmpty() ? "" : " " + version), p.unzippedBytes());
      shown += p.unzippedBytes();
    }
    if (rows.size() > MAX_SLICES) {
      slice(sb, u, (rows.size() - MAX_SLICES) + " more", total - shown);
    }
    if (extra > 0) {
      slice(sb, u, "function and other layers", extra);
    }
    if (used < limit) {
      slice(sb, u, "headroom", limit - used);
    }
    return sb.toString();
  }

  private static void slice(StringBuilder sb, Unit u, String label, long bytes) {
    if (bytes > 0) {
      sb.append("    \"").append(label(label)).append("\" : ").append(u.of(bytes)).append('\n');
    }
  }

  /** MiB for a pie of 10 MiB or more, KiB from 10 KiB, else bytes: the title and slices stay readable. */
  private record Unit(String name, double bytes) {
    static Unit forScale(long scale) {
      return scale >= 10 * MIB ? new Unit("MiB", MIB) : scale >= 10 * 1024 ? new Unit("KiB", 1024) : new Unit("B", 1);
    }

    /** One decimal, none when whole: {@code 250} for AWS's limit, {@code 12.3}. */
    String of(long n) {
      String s = number(n / bytes);
      return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
  }

  /**
   * With a baseline: the change of each distribution whose size changed, largest first, as bars
   * (KiB when every change is under a MiB); empty without a baseline or without a change.
   */
  static String changes(Report report) {
    Report.BaselineDiff b = report.baseline();
    if (b == null) {
      return "";
    }
    record Change(String name, long delta) {}
    List<Change> all = new ArrayList<>();
    for (String kind : List.of("added", "changed", "removed")) {
      List<Report.DiffRow> rows = kind.equals("added") ? b.added() : kind.equals("changed") ? b.changed() : b.removed();
      for (Report.DiffRow c : rows) {
        long d = c.deltaBytes();
        if (d != 0) {
          all.add(new Change(c.name() + (kind.equals("changed") ? "" : " (" + kind + ")"), d));
        }
      }
    }
    if (all.isEmpty()) {
      return "";
    }
    all.sort(Comparator.comparingLong((Change c) -> Math.abs(c.delta())).reversed().thenComparing(Change::name));
    List<Change> shown = all.subList(0, Math.min(MAX_BARS, all.size()));
    boolean small = shown.stream().allMatch(c -> Math.abs(c.delta()) < MIB);
    double unit = small ? 1024.0 : MIB;
    String unitName = small ? "KiB" : "MiB";
    // Mermaid draws every bar up from the axis' minimum, so a negative value would read as a small
    // growth: growth and shrinkage are two series of magnitudes (red and green), each 0 where the
    // other applies, and the sign is in the label. Horizontal, so long names stay readable.
    StringBuilder sb = new StringBuilder("%%{init: {\"themeVariables\": {\"xyChart\": {\"plotColorPalette\": "
        + "\"#d1242f, #1a7f37\"}}}}%%\nxychart-beta horizontal\n    title \"")
        .append(label("Change against the baseline in " + unitName + ", " + signed(b.deltaBytes() / unit)
            + " in all (red grew, green shrank)")).append("\"\n    x-axis [");
    double max = 0;
    StringBuilder grew = new StringBuilder();
    StringBuilder shrank = new StringBuilder();
    for (int i = 0; i < shown.size(); i++) {
      Change c = shown.get(i);
      double v = c.delta() / unit;
      max = Math.max(max, Math.abs(v));
      sb.append(i == 0 ? "" : ", ").append('"').append(label(c.name() + " " + signed(v))).append('"');
      grew.append(i == 0 ? "" : ", ").append(number(Math.max(v, 0)));
      shrank.append(i == 0 ? "" : ", ").append(number(Math.max(-v, 0)));
    }
    sb.append("]\n    y-axis \"").append(unitName).append("\" 0 --> ").append(number(Math.ceil(max))).append('\n');
    sb.append("    bar [").append(grew).append("]\n");
    sb.append("    bar [").append(shrank).append("]\n");
    return sb.toString();
  }

  /** A label Mermaid cannot misread: quotes, colons, brackets and line breaks become spaces or go. */
  static String label(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      boolean safe = Character.isLetterOrDigit(c) && c < 128 || " ._-+(),".indexOf(c) >= 0;
      out.append(safe ? c : ' ');
    }
    return out.toString().replaceAll(" {2,}", " ").strip();
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String signed(double v) {
    return (v > 0 ? "+" : "") + number(v);
  }
}
