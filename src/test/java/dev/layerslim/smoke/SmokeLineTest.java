package dev.layerslim.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.layerslim.python.ImportProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The smoke test's "passed" line says what it did in the user's terms. */
class SmokeLineTest {
  static ImportProbe.Spec spec(String handlerFunction, Path event) {
    return new ImportProbe.Spec("python3", Path.of("/l"), "lib/python3.11/site-packages", List.of(), List.of("app"),
        handlerFunction, null, List.of(), Duration.ofSeconds(5), Path.of("/w"), event);
  }

  static ImportProbe.Result passed(List<String> imports) {
    return new ImportProbe.Result(List.of(), imports, List.of(), 0, Map.of(), 0, List.of(), List.of(), null, null);
  }

  @Test
  void withASampleEvent_saysTheHandlerWasCalledWithIt() {
    assertEquals("imported app, called app.handler with event.json",
        SmokeAfterStep.what(spec("app.handler", Path.of("/src/events/event.json")), passed(List.of("app"))));
  }

  @Test
  void withoutOne_saysTheHandlerOnlyResolves() {
    assertEquals("imported app, app.handler resolves (not called: no sample event)",
        SmokeAfterStep.what(spec("app.handler", null), passed(List.of("app"))));
    assertEquals("imported a, b, c and 2 more", SmokeAfterStep.what(spec(null, null),
        passed(List.of("a", "b", "c", "d", "e"))));
  }
}
