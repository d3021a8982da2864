package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.layer.Arch;
import dev.layerslim.testing.Wheels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gate that says OK must have checked: a smoke test that was asked for and cannot run fails the build. */
class SmokeRequiredTest {
  @TempDir static Path shared;
  static Path site;
  static Path app;
  static String python;

  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void installSite() throws IOException {
    Path wheels = shared.resolve("wheels");
    Wheels.wheel("vals", "1.0").file("vals/__init__.py", "VALUE = 1\n").build(wheels);
    site = shared.resolve("site");
    Wheels.pipInstall(site, wheels, "vals");
    app = shared.resolve("handler/app.py");
    Files.createDirectories(app.getParent());
    Files.writeString(app, "import vals\ndef handler(event, context):\n    return vals.VALUE\n");
    python = Wheels.python("import sys; print('%d.%d' % sys.version_info[:2])").trim();
  }

  private int build(String... extra) {
    List<String> args = new ArrayList<>(List.of("build", "--site-packages", site.toString(), "--python", python,
        "--handler", app.toString(), "-o", tmp.resolve("out").toString(), "--no-strip"));
    args.addAll(Arrays.asList(extra));
    return Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
  }

  @Test
  void handlerFunctionWithoutAModule_isRejectedAtParseTime_exit2WithTheRightForm() {
    int code = build("--handler-function", "handler");

    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("--handler-function handler: give Lambda's handler string"), err.toString());
    assertTrue(err.toString().contains("app.handler"), err.toString());
    assertFalse(Files.exists(tmp.resolve("out")), "nothing was built");
    assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);
  }

  @Test
  void handlerFunctionGiven_andAPythonExeThatCannotRun_exit2NamingTheSkipFlag() {
    int code = build("--handler-function", "app.handler", "--python-exe", "/bin/false");

    assertEquals(2, code, err.toString() + out);
    assertTrue(err.toString().contains("the smoke test was asked for (--handler-function app.handler) but cannot run"),
        err.toString());
    assertTrue(err.toString().contains("--no-smoke"), err.toString());
    assertFalse(out.toString().contains("OK: within limits"), out.toString());
  }

  @Test
  void handlerFunctionGiven_andATargetTheHostCannotExecute_exit3SayingHowToGetARealSmokeTest() {
    Assumptions.assumeTrue(Arch.host() == Arch.X86_64, "the other architecture must be foreign to this host");

    int code = build("--handler-function", "app.handler", "--arch", "arm64");

    assertEquals(3, code, err.toString() + out);
    assertTrue(err.toString().contains("the target is arm64 and this host is x86_64"), err.toString());
    assertTrue(err.toString().contains("arm64 runners"), err.toString());
    assertTrue(err.toString().contains("--no-smoke"), err.toString());
  }

  @Test
  void noHandlerFunction_aSmokeTestThatCannotRun_isAWarning_andTheOkLineSaysItWasNotRun() {
    int code = build("--python-exe", "/bin/false");

    assertEquals(0, code, err.toString() + out);
    assertTrue(out.toString().contains("OK: within limits; not smoke-tested: cannot run the interpreter"),
        out.toString());
  }

  @Test
  void noSmoke_isTheWayToBuildWithoutOne_andTheOkLineSaysSo() {
    int code = build("--handler-function", "app.handler", "--python-exe", "/bin/false", "--no-smoke",
        "--bytecode", "none");

    assertEquals(0, code, err.toString() + out);
    assertTrue(out.toString().contains("OK: within limits; not smoke-tested: --no-smoke"), out.toString());
  }
}
