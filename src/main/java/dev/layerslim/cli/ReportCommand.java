package dev.layerslim.cli;

import dev.layerslim.github.ActionInputs;
import dev.layerslim.github.CommentContext;
import dev.layerslim.github.CommentRenderer;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.reportfile.Baseline;
import dev.layerslim.reportfile.Report;
import dev.layerslim.reportfile.ReportJson;
import dev.layerslim.report.BaselineDiff;
import dev.layerslim.report.PackageRow;
import dev.layerslim.report.ReportMarkdown;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code layerslim report}: renders an existing report.json again, to stdout: as report.md, as the
 * pull request comment, or as JSON; with {@code --baseline} the diff against an older report is
 * computed as build computes it.
 */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {"Renders a report.json again, to stdout, optionally against a baseline.",
        "md: report.md's limits and distributions and, with --baseline, the diff (the steps' own sections are",
        "only in the report.md build wrote); comment: the pull request comment body; json: report.json with",
        "the --baseline section. Nothing is written.", ""},
    footerHeading = "%nExamples:%n",
    footer = {"  layerslim report layerslim-out/report.json --baseline main/report.json",
        "  layerslim report layerslim-out/report.json --format comment --comment-key api",
        "  layerslim report head/report.json --baseline base/report.json --format comment",
        "", "Exit codes: 0 rendered, 2 a missing or malformed report.json, 4 an internal error."})
public final class ReportCommand implements Callable<Integer> {
  /** Formats {@code --format} accepts. */
  enum Format { md, json, comment }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "REPORT.json", description = "a report.json written by layerslim build")
  Path report;

  @Option(names = "--baseline", paramLabel = "OLD.json", description = "an earlier report.json to diff against")
  Path baseline;

  @Option(names = "--format", paramLabel = "md|json|comment", defaultValue = "md",
      description = "what to print (default: ${DEFAULT-VALUE})")
  Format format;

  @Option(names = "--comment-key", paramLabel = "KEY",
      description = "the comment's hidden key, as the action's comment-key (default: the report's folder name)")
  String commentKey;


  @Override
  public Integer call() throws IOException {
    Path file = report.toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      throw LayerslimException.usage("the report " + report + ": no such file (give a report.json layerslim build wrote)");
    }
    Report json;
    try {
      json = ReportJson.read(file);
    } catch (ReportJson.Unreadable e) {
      throw LayerslimException.usage("the report " + file + ": " + e.getMessage());
    }
    Map<Integer, String> sections = new TreeMap<>();
    if (baseline != null) {
      BaselineDiff diff = BaselineDiff.compare(Baseline.load(baseline.toAbsolutePath().normalize(), "--baseline"),
          rows(json), json.totals().unzippedBytes(), json.totals().zippedBytes(), json.target().python(),
          json.target().arch());
      json = json.withBaseline(diff.section());
      sections.put(60, diff.markdown()); // where build's report step puts it
    }
    PrintWriter out = spec.commandLine().getOut();
    switch (format) {
      case md -> out.print(ReportMarkdown.render(json, sections));
      case comment -> out.print(CommentRenderer.render(json, CommentContext.cli(key(file), layerName(json))));
      case json -> out.print(ReportJson.text(json));
    }
    out.flush();
    return 0;
  }

  /** The package rows as the report holds them, for the baseline diff. */
  private static List<PackageRow> rows(Report json) {
    List<PackageRow> rows = new ArrayList<>();
    for (Report.Package p : json.packages()) {
      rows.add(new PackageRow(p.name(), p.version(), p.installedBytes(), p.unzippedBytes(), p.zippedBytes(),
          (int) p.files(), p.used(), p.removed()));
    }
    return rows;
  }

  /**
   * The layer's name in the comment's title: {@code --comment-key}, else the requirements file or
   * site-packages folder report.json names, relative to the working folder when it lies inside.
   */
  private String layerName(Report json) {
    if (commentKey != null) {
      return commentKey;
    }
    String source = json.install().source();
    if (source.isEmpty()) {
      return null;
    }
    Path p = Path.of(source);
    Path cwd = Path.of("").toAbsolutePath();
    return p.isAbsolute() && p.startsWith(cwd) && !p.equals(cwd) ? cwd.relativize(p).toString() : source;
  }

  private String key(Path file) {
    if (commentKey != null) {
      return dev.layerslim.github.CommentKey.checked(commentKey, "--comment-key").markerKey();
    }
    Path dir = file.getParent() == null ? null : file.getParent().getFileName();
    return ActionInputs.safeCommentKey(dir == null ? null : dir.toString());
  }
}
