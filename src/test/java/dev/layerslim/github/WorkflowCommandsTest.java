package dev.layerslim.github;

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
}
