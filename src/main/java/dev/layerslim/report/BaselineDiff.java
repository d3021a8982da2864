package dev.layerslim.report;

import dev.layerslim.reportfile.Baseline;
import dev.layerslim.reportfile.Markdown;
import dev.layerslim.reportfile.Report;
import dev.layerslim.layer.Sizes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * This build against a baseline report: which distributions were added, removed, grew or shrank,
 * and by how much the whole layer changed.
 *
 * @param unzippedBytes this build's unzipped layer bytes
 * @param zippedBytes this build's layer.zip bytes
 * @param warning why the diff is not only this change's (the baseline was built for another Python
 *     version or architecture), or null
 */
public record BaselineDiff(Baseline baseline, long unzippedBytes, long zippedBytes, List<Row> added,
    List<Row> removed, List<Row> changed, String warning) {

  /** Most rows report.md lists; the rest are counted. The full lists stay in report.json. */
  static final int MARKDOWN_ROWS = 30;

  /**
   * One distribution that differs; a version is empty and its bytes 0 on the side where it is not in
   * the layer (absent, or pruned by that build).
   */
  public record Row(String name, String beforeVersion, String afterVersion, long beforeBytes, long afterBytes,
      long beforeZippedBytes, long afterZippedBytes) {
    public long deltaBytes() {
      return afterBytes - beforeBytes;
    }

    public long zippedDeltaBytes() {
      return afterZippedBytes - beforeZippedBytes;
    }
  }

  /**
   * Compares this build's package rows and totals with {@code baseline}. Added and removed are about
   * the layer, not the install: a distribution the baseline's build pruned and this one ships is
   * added, one shipped before and pruned now is removed, one pruned by both is no change. A build
   * that targets {@code python} and {@code arch} (null: not said) is still diffed against a baseline
   * built for another target, with a {@link #warning()}.
   */
  public static BaselineDiff compare(Baseline baseline, List<PackageRow> rows, long unzipped, long zipped,
      String python, String arch) {
    List<Row> added = new ArrayList<>();
    List<Row> removed = new ArrayList<>();
    List<Row> changed = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (PackageRow r : rows) {
      seen.add(r.name());
      Baseline.Entry before = baseline.packages().get(r.name());
      boolean wasIn = before != null && before.inLayer();
      boolean isIn = !r.removed();
      if (!wasIn && isIn) {
        added.add(new Row(r.name(), "", r.version(), 0, r.unzippedBytes(), 0, r.zippedBytes()));
      } else if (wasIn && !isIn) {
        removed.add(new Row(r.name(), before.version(), "", before.unzippedBytes(), 0, before.zippedBytes(), 0));
      } else if (wasIn && (before.unzippedBytes() != r.unzippedBytes() || !before.version().equals(r.version()))) {
        changed.add(new Row(r.name(), before.version(), r.version(), before.unzippedBytes(), r.unzippedBytes(),
            before.zippedBytes(), r.zippedBytes()));
      }
    }
    for (Baseline.Entry e : baseline.packages().values()) {
      if (!seen.contains(e.name()) && e.inLayer()) {
        removed.add(new Row(e.name(), e.version(), "", e.unzippedBytes(), 0, e.zippedBytes(), 0));
      }
    }
    added.sort(Comparator.comparingLong(Row::afterBytes).reversed().thenComparing(Row::name));
    removed.sort(Comparator.comparingLong(Row::beforeBytes).reversed().thenComparing(Row::name));
    changed.sort(Comparator.comparingLong((Row r) -> Math.abs(r.deltaBytes())).reversed().thenComparing(Row::name));
    String warning = python == null || arch == null ? null : baseline.targetMismatch(python, arch);
    return new BaselineDiff(baseline, unzipped, zipped, List.copyOf(added), List.copyOf(removed),
        List.copyOf(changed), warning);
  }

  /** Unzipped bytes this build adds to the baseline (negative when it shrank). */
  public long deltaBytes() {
    return unzippedBytes - baseline.unzippedBytes();
  }

  /** The {@code baseline} section of report.json. */
  public Report.BaselineDiff section() {
    return new Report.BaselineDiff(baseline.file().toString(), baseline.unzippedBytes(), baseline.zippedBytes(),
        deltaBytes(), zippedDeltaBytes(), baseline.importMillis() >= 0 ? baseline.importMillis() : null,
        !baseline.python().isEmpty() || !baseline.arch().isEmpty()
            ? new Report.BaselineTarget(baseline.python(), baseline.arch()) : null,
        warning, rows(added), rows(removed), rows(changed));
  }

  private static List<Report.DiffRow> rows(List<Row> rows) {
    return rows.stream().map(r -> new Report.DiffRow(r.name(), r.beforeVersion(), r.afterVersion(), r.beforeBytes(),
        r.afterBytes(), r.deltaBytes(), r.beforeZippedBytes(), r.afterZippedBytes(), r.zippedDeltaBytes())).toList();
  }

  /** Zipped bytes this build adds to the baseline's layer.zip (negative when it shrank). */
  public long zippedDeltaBytes() {
    return zippedBytes - baseline.zippedBytes();
  }

  /** A short section for report.md: the total change, unzipped and zipped, and the rows that differ. */
  public String markdown() {
    StringBuilder md = new StringBuilder("## Against the baseline\n\n");
    md.append("Unzipped: ").append(Sizes.human(baseline.unzippedBytes())).append(" → ")
        .append(Sizes.human(unzippedBytes)).append(" (").append(change(deltaBytes(), baseline.unzippedBytes()))
        .append("); zipped: ").append(Sizes.human(baseline.zippedBytes())).append(" → ")
        .append(Sizes.human(zippedBytes)).append(" (").append(change(zippedDeltaBytes(), baseline.zippedBytes()))
        .append("). In the layer: ");
    md.append(added.size()).append(" added, ").append(removed.size()).append(" removed, ")
        .append(changed.size()).append(" changed.\n\n");
    if (warning != null) {
      md.append("⚠️ ").append(Markdown.text(warning)).append("\n\n");
    }
    List<String[]> lines = new ArrayList<>();
    added.forEach(r -> lines.add(line(r, "added " + Markdown.cell(r.afterVersion()))));
    removed.forEach(r -> lines.add(line(r, "removed")));
    changed.forEach(r -> lines.add(line(r, r.beforeVersion().equals(r.afterVersion()) ? ""
        : Markdown.cell(r.beforeVersion()) + " → " + Markdown.cell(r.afterVersion()))));
    if (lines.isEmpty()) {
      return md.append("No distribution changed.\n").toString();
    }
    md.append("| distribution | before | after | change | zipped change | |\n"
        + "| --- | ---: | ---: | ---: | ---: | --- |\n");
    lines.stream().limit(MARKDOWN_ROWS).forEach(l -> md.append("| ").append(String.join(" | ", l)).append(" |\n"));
    if (lines.size() > MARKDOWN_ROWS) {
      md.append("\n").append(lines.size() - MARKDOWN_ROWS).append(" more in report.json (`baseline`).\n");
    }
    return md.toString();
  }

  /** {@code +1.2 MiB, +3.4 %}, or just the size when there is nothing to take a share of. */
  private static String change(long delta, long before) {
    String pct = Sizes.signedPercent(delta, before);
    return Sizes.signed(delta) + (pct.isEmpty() || delta == 0 ? "" : ", " + pct);
  }

  private static String[] line(Row r, String note) {
    return new String[] {Markdown.cell(r.name()), r.beforeVersion().isEmpty() ? "—" : Sizes.human(r.beforeBytes()),
        r.afterVersion().isEmpty() ? "—" : Sizes.human(r.afterBytes()), change(r.deltaBytes(), r.beforeBytes()),
        Sizes.signed(r.zippedDeltaBytes()), note};
  }
}
