package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.python.ImportProbe;
import dev.layerslim.python.SystemProcessRunner;
import dev.layerslim.testing.Wheels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A --smoke-event file is read as Python's json reads bytes (a UTF-8 BOM, UTF-16 and UTF-32
 * are events like any other), and what Python would refuse (empty, more than one value, not JSON, bad
 * bytes, larger than any Lambda payload) is exit 2 naming the file, before anything is installed,
 * instead of a failed handler call (exit 3, "fix the handler").
 */
class SmokeEventFileTest {
  @TempDir Path tmp;

  private static final String EVENT = "{\"city\": \"Zürich\", \"n\": [1, 2.5, NaN]}";
  private static final String CHECK = "def handler(event, context):\n"
      + "    assert event['city'] == 'Z\\u00fcrich' and event['n'][:2] == [1, 2.5], repr(event)\n    return 1\n";

  private static byte[] bytes(byte[] bom, String text, Charset cs) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(bom);
    b.writeBytes(text.getBytes(cs));
    return b.toByteArray();
  }

  private CliRun buildWith(Path event, Path site, Path handler) {
    return CliRun.of("build", "--site-packages", site.toString(), "--python", SmokeIsolationTest.hostPython(),
        "-o", tmp.resolve("out").toString(), "--no-strip", "--handler", handler.toString(), "--handler-function",
        "app.handler", "--smoke-event", event.toString());
  }

  @Test
  void anEventWithAUtf8Bom_isReadAsPythonsJsonReadsIt_andTheBuildPasses() throws Exception {
    Wheels.wheel("tiny", "1.0").file("tiny/__init__.py", "X = 1\n").build(tmp.resolve("wheels"));
    Path site = tmp.resolve("site");
    Wheels.pipInstall(site, tmp.resolve("wheels"), "tiny");
    Path handler = Files.writeString(Files.createDirectories(tmp.resolve("h")).resolve("app.py"), "import tiny\n" + CHECK);
    Path event = Files.write(tmp.resolve("bom.json"), bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        EVENT + "\n", StandardCharsets.UTF_8));

    CliRun run = buildWith(event, site, handler);

    assertEquals(0, run.exitCode(), run.all());
  }

  @Test
  void utf16AndUtf32Events_withOrWithoutABom_reachTheHandlerAsTheSameEvent() throws Exception {
    Map<String, byte[]> events = new LinkedHashMap<>();
    events.put("utf16le-bom", bytes(new byte[] {(byte) 0xFF, (byte) 0xFE}, EVENT, StandardCharsets.UTF_16LE));
    events.put("utf16be-bom", bytes(new byte[] {(byte) 0xFE, (byte) 0xFF}, EVENT, StandardCharsets.UTF_16BE));
    events.put("utf16le", bytes(new byte[0], EVENT, StandardCharsets.UTF_16LE));
    events.put("utf32le", bytes(new byte[0], EVENT, Charset.forName("UTF-32LE")));
    events.put("utf32be-bom", bytes(new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF}, EVENT, Charset.forName("UTF-32BE")));
    Path task = Files.createDirectories(tmp.resolve("task"));
    Files.writeString(task.resolve("app.py"), CHECK);
    Path root = Files.createDirectories(tmp.resolve("layer/python"));
    for (Map.Entry<String, byte[]> e : events.entrySet()) {
      Path file = Files.write(tmp.resolve(e.getKey() + ".json"), e.getValue());
      Path checked = dev.layerslim.pipeline.SampleEvent.check(file, "app.handler", "--smoke-event");

      ImportProbe.Result r = ImportProbe.run(new SystemProcessRunner(), new ImportProbe.Spec(Wheels.python3(), root,
          "lib/python3.11/site-packages", List.of(task), List.of("app"), "app.handler", null, List.of(),
          Duration.ofSeconds(60), tmp.resolve("work"), checked));

      assertTrue(r.passed(), e.getKey() + ": " + r.failures());
    }
  }

  @Test
  void anEventPythonWouldRefuse_isExit2NamingTheFileAndWhatIsWrong_beforeAnyInstall() throws Exception {
    Path handler = Files.writeString(Files.createDirectories(tmp.resolve("h")).resolve("app.py"), CHECK);
    Path site = Files.createDirectories(tmp.resolve("site"));
    Map<String, byte[]> cases = new LinkedHashMap<>();
    cases.put("the file is empty", new byte[0]);
    cases.put("only white space", " \n\t\r\n".getBytes(StandardCharsets.US_ASCII));
    cases.put("more follows its JSON value, at line 2, column 1", "{\"a\": 1}\n{\"a\": 2}\n".getBytes(StandardCharsets.UTF_8));
    cases.put("more follows its JSON value, at line 1, column 10", "{\"a\": 1} trailing".getBytes(StandardCharsets.UTF_8));
    cases.put("not valid JSON at line 1", "{\"a\": }".getBytes(StandardCharsets.UTF_8));
    cases.put("not valid UTF-8 text (at byte 7)", new byte[] {'{', '"', 'a', '"', ':', ' ', '"', (byte) 0xC3, '"', '}'});
    byte[] big = new byte[6_291_456 + 10];
    java.util.Arrays.fill(big, (byte) ' ');
    big[0] = '[';
    big[big.length - 1] = ']';
    cases.put("larger than Lambda's 6 MB limit", big);
    int i = 0;
    for (Map.Entry<String, byte[]> c : cases.entrySet()) {
      Path event = Files.write(tmp.resolve("event" + i++ + ".json"), c.getValue());

      CliRun run = buildWith(event, site, handler);

      assertEquals(2, run.exitCode(), c.getKey() + ": " + run.all());
      assertTrue(run.err().contains("--smoke-event " + event + ": "), run.all());
      assertTrue(run.err().contains(c.getKey()), c.getKey() + ": " + run.all());
      assertFalse(run.err().contains("fix the handler"), run.all());
      assertFalse(Files.exists(tmp.resolve("out")), "refused before the build began: " + run.all());
    }
  }
}
