package dev.layerslim.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.layerslim.testing.Wheels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI with credentials in its index URLs: in {@code --index-url} (user and password), in a
 * {@code --find-links} query ({@code ?sig=}) and in the requirements file's own
 * {@code --extra-index-url} line. pip prints the URLs it looks in; no spelling of a secret reaches
 * the console, pip.log or a report, on success and when pip fails.
 */
class CliRedactionTest {
  static final String PASSWORD = "S3cretPass-idx";
  static final String SIGNATURE = "Q5ecretSig-links";
  static final String REQ_TOKEN = "R3qSecret-tok";
  static final List<String> SECRETS = List.of(PASSWORD, SIGNATURE, REQ_TOKEN);

  @TempDir Path dir;
  WireMockServer index;
  String wheelFile;

  @BeforeEach
  void serveAnIndex() throws IOException {
    index = new WireMockServer(options().dynamicPort());
    index.start();
    Path wheel = Wheels.wheel("credcheck", "1.0").file("credcheck/__init__.py", "X = 1\n").build(dir.resolve("w"));
    String file = wheel.getFileName().toString();
    wheelFile = file;
    String page = "<html><body><a href=\"/files/" + file + "\">" + file + "</a></body></html>";
    index.stubFor(get(urlPathEqualTo("/simple/credcheck/")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/html").withBody(page)));
    index.stubFor(get(urlPathEqualTo("/links/")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/html").withBody(page)));
    index.stubFor(get(urlPathEqualTo("/files/" + file)).willReturn(aResponse().withStatus(200)
        .withBody(Files.readAllBytes(wheel))));
  }

  @AfterEach
  void stop() {
    index.stop();
  }

  private CliRun build(String requirement, Path out) throws IOException {
    String host = "127.0.0.1:" + index.port();
    Path req = Files.writeString(dir.resolve("requirements.txt"),
        "--extra-index-url http://__token__:" + REQ_TOKEN + "@" + host + "/extra\n" + requirement + "\n");
    Path app = Files.writeString(dir.resolve("app.py"), "import credcheck\n");
    return CliRun.of("build", "-r", req.toString(), "--index-url", "http://ci:" + PASSWORD + "@" + host + "/simple",
        "--find-links", "http://" + host + "/links/?sig=" + SIGNATURE, "--handler", app.toString(), "--no-smoke",
        "-o", out.toString());
  }

  @Test
  void aSuccessfulBuild_writesNoSecretToTheConsoleOrAnyFile() throws IOException {
    Path out = dir.resolve("out");
    CliRun run = build("credcheck", out);
    assertEquals(0, run.exitCode(), run.all());
    String pipLog = Files.readString(out.resolve("pip.log"));
    // pip did print the URLs it looked in: the redaction had something to do
    assertTrue(pipLog.contains("/links/?sig=***"), pipLog);
    assertNoSecret("console", run.all());
    assertNoSecretInFiles(out);
  }

  @Test
  void aFailedInstall_writesNoSecretEither_notEvenInPipsLastLinesInTheError() throws IOException {
    // the wheel is gone: pip stops on the download, naming its URL (with the index's credentials)
    index.stubFor(get(urlPathEqualTo("/files/" + wheelFile)).willReturn(aResponse().withStatus(404)));
    Path out = dir.resolve("out");
    CliRun run = build("credcheck", out);
    assertEquals(3, run.exitCode(), run.all());
    assertTrue(run.err().contains("pip install failed"), run.all());
    assertNoSecret("console", run.all());
    assertTrue(Files.isRegularFile(out.resolve("pip.log")), "the error names pip.log, so it exists");
    assertNoSecretInFiles(out);
  }

  private static void assertNoSecretInFiles(Path out) throws IOException {
    try (Stream<Path> files = Files.walk(out)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertNoSecret(out.relativize(f).toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
    }
  }

  private static void assertNoSecret(String where, String text) {
    for (String s : SECRETS) {
      assertFalse(text.contains(s), where + " holds " + s + ":\n" + text);
    }
  }
}
