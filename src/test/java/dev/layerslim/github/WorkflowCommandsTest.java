package dev.layerslim.github;

import dev.layerslim.redact.Redactor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.pipeline.Event;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowCommandsTest {

  @Test
  void dataEscapesPercentAndLineBreaks_propertiesAlsoColonAndComma() {
    assertEquals("::error file=a%3Ab%2Cc.py::50%25 of%0D%0Atwo lines",
        WorkflowCommands.command("error", Map.of("file", "a:b,c.py"), "50% of\r\ntwo lines"));
    assertEquals("::warning::plain", WorkflowCommands.warning("plain", null));
  }

  @Test
  void eventSink_groupsSteps_annotatesWarningsAndErrors_showsAnErrorOnce_andRedactsTheToken() {
    StringWriter w = new StringWriter();
    ActionsEventSink sink = new ActionsEventSink(new PrintWriter(w), new Redactor(List.of("tok-123456")));
    sink.emit(new Event.StepStarted("prune", "Pruning"));
    sink.emit(new Event.Log(Event.Level.INFO, "prune", "removed tests", null));
    sink.emit(new Event.Log(Event.Level.WARN, "prune", "odd file", "numpy/x.so"));
    sink.emit(new Event.Log(Event.Level.ERROR, "report", "too big: tok-123456", null));
    sink.emit(new Event.StepFinished("prune", 1200, "saved 1 MB"));
    sink.error("too big: tok-123456", null);
    assertEquals(List.of("::group::Pruning", "removed tests", "::warning file=numpy/x.so::odd file",
        "::error::too big: ***", "done in 1.2 s: saved 1 MB", "::endgroup::"), w.toString().lines().toList());
  }

  @Test
  void outputs_singleLineAsNameValue_multiLineInTheHeredocForm(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("out");
    new RunnerFiles(out, null, new Redactor(List.of())).writeOutputs(new java.util.LinkedHashMap<>(
        Map.of("exceeded", "false")));
    new RunnerFiles(out, null, new Redactor(List.of())).writeOutputs(Map.of("body", "line one\nline two"));
    List<String> lines = Files.readAllLines(out);
    assertEquals("exceeded=false", lines.get(0));
    assertTrue(lines.get(1).startsWith("body<<ghadelimiter_"), lines.get(1));
    String delimiter = lines.get(1).substring("body<<".length());
    assertEquals(List.of("line one", "line two", delimiter), lines.subList(2, 5));
  }

  /** Lines the runner would read as a workflow command: `::name` after blanks, or `##[name]` anywhere. */
  static List<String> commandLines(String log) {
    return log.lines().filter(l -> l.strip().startsWith("::") || l.contains("##[")).toList();
  }

  @Test
  void infoLines_cannotInjectWorkflowCommands() {
    StringWriter w = new StringWriter();
    ActionsEventSink sink = new ActionsEventSink(new PrintWriter(w), new Redactor(List.of()));
    String evil = "using the installed tree /ws/site\n::error::X\n  ::add-mask::y\r\n##[warning]legacy\n::set-output name=a::b";
    sink.emit(new Event.Log(Event.Level.INFO, "install", evil, null));
    sink.info("input was\n::error file=app.py::forged");
    sink.emit(new Event.StepSkipped("smoke", "no handler\n::endgroup::"));
    String log = w.toString();
    assertEquals(List.of(), commandLines(log), log);
    // the text is still there, readable
    assertTrue(log.contains("%3A:error::X") && log.contains("  %3A:add-mask::y") && log.contains("#%23[warning]legacy"),
        log);
    assertTrue(log.lines().anyMatch(l -> l.equals("using the installed tree /ws/site")), log);
  }

  @Test
  void plain_leavesOrdinaryTextAlone() {
    assertEquals("pip: Successfully installed a-1.0 (50% of it)", WorkflowCommands.plain(
        "pip: Successfully installed a-1.0 (50% of it)"));
    assertEquals("a :: b\nc", WorkflowCommands.plain("a :: b\nc"));
  }

  @Test
  void summary_isCutUnderGitHubsOneMebibyteLimit_withALineThatSaysSo(@TempDir Path dir) throws IOException {
    Path summary = dir.resolve("summary.md");
    RunnerFiles files = new RunnerFiles(null, summary, new Redactor(List.of()));
    StringBuilder md = new StringBuilder("## layerslim\n\n| distribution | size |\n| --- | --- |\n");
    for (int i = 0; i < 40_000; i++) {
      md.append("| package-").append(i).append(" | ").append(i).append(" kB — déjà |\n");
    }
    assertTrue(md.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 1 << 20);
    files.appendSummary(md.toString());
    long size = Files.size(summary);
    assertTrue(size <= RunnerFiles.MAX_SUMMARY_BYTES && size > RunnerFiles.MAX_SUMMARY_BYTES - 1_000, "size " + size);
    String text = Files.readString(summary);
    assertTrue(text.startsWith("## layerslim\n"), text.substring(0, 50));
    assertTrue(text.endsWith("GitHub shows at most 1 MiB. The whole report is report.md (the output report-md) and "
        + "report.json.\n"), text.substring(text.length() - 300));
    // whole lines only: the line before the note is a complete table row
    List<String> lines = text.lines().toList();
    assertTrue(lines.get(lines.size() - 3).matches("\\| package-\\d+ \\| \\d+ kB — déjà \\|"), lines.get(lines.size() - 3));

    Path small = dir.resolve("small.md");
    new RunnerFiles(null, small, new Redactor(List.of())).appendSummary("short\n");
    assertEquals("short\n", Files.readString(small));
  }
}
