package dev.layerslim.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code layerslim release} against two WireMock servers: one plays api.github.com, the other the
 * uploads host that the release's {@code upload_url} points at, as on github.com.
 */
final class ReleaseCommandTest {
  private static final String REPO = "/repos/octo/layers";
  private static final String ZIP_NAME = "layer-python3.11-x86_64.zip";
  private static final String REPORT_NAME = "report-python3.11-x86_64.json";

  @TempDir Path dir;
  private WireMockServer api;
  private WireMockServer uploads;
  private Path zip;
  private Path report;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    api = new WireMockServer(options().dynamicPort());
    uploads = new WireMockServer(options().dynamicPort());
    api.start();
    uploads.start();
    Path build = Files.createDirectories(dir.resolve("layerslim-out"));
    zip = Files.write(build.resolve("layer.zip"), new byte[] {'P', 'K', 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    report = Files.writeString(build.resolve("report.json"),
        "{\"schemaVersion\":1,\"target\":{\"python\":\"3.11\",\"arch\":\"x86_64\"},\"totals\":{}}\n");
    api.stubFor(get(urlPathEqualTo(REPO)).willReturn(okJson("{\"id\":1,\"name\":\"layers\",\"full_name\":"
        + "\"octo/layers\",\"url\":\"" + api.baseUrl() + REPO + "\",\"owner\":{\"login\":\"octo\",\"id\":2}}")));
    api.stubFor(get(urlPathEqualTo(REPO + "/releases/tags/v1.0.0")).willReturn(okJson("{\"id\":42,\"tag_name\":"
        + "\"v1.0.0\",\"upload_url\":\"" + uploads.baseUrl() + REPO + "/releases/42/assets{?name,label}\","
        + "\"assets\":[]}")));
    api.stubFor(get(urlPathEqualTo(REPO + "/releases/tags/v9.9.9")).willReturn(aResponse().withStatus(404)
        .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Not Found\"}")));
  }

  @AfterEach
  void stop() {
    api.stop();
    uploads.stop();
  }

  private void existingAssets(String json) {
    api.stubFor(get(urlPathEqualTo(REPO + "/releases/42/assets")).willReturn(okJson(json)));
  }

  private void uploadAnswers(String name, long size) {
    uploads.stubFor(post(urlPathEqualTo(REPO + "/releases/42/assets")).withQueryParam("name", equalTo(name))
        .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
            .withBody("{\"id\":9,\"name\":\"" + name + "\",\"size\":" + size + ",\"state\":\"uploaded\","
                + "\"browser_download_url\":\"https://example.invalid/" + name + "\"}")));
  }

  private int run(String... args) {
    Map<String, String> env = Map.of("GITHUB_TOKEN", "t0ken", "GITHUB_REPOSITORY", "octo/layers",
        "GITHUB_API_URL", api.baseUrl());
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        return cls == ReleaseCommand.class ? cls.cast(new ReleaseCommand(env)) : CommandLine.defaultFactory().create(cls);
      }
    };
    return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), factory).execute(args);
  }

  @Test
  void release_uploadsZipAndReportToTheUploadsHost_namedAfterTheRuntime() throws Exception {
    existingAssets("[]");
    uploadAnswers(ZIP_NAME, Files.size(zip));
    uploadAnswers(REPORT_NAME, Files.size(report));

    int code = run("release", "--tag", "v1.0.0", "--asset", zip.toString(), "--asset", report.toString());

    assertEquals(0, code, err.toString());
    List<LoggedRequest> zipUploads = uploads.findAll(postRequestedFor(urlPathEqualTo(REPO + "/releases/42/assets"))
        .withQueryParam("name", equalTo(ZIP_NAME)));
    assertEquals(1, zipUploads.size());
    assertEquals("application/zip", zipUploads.get(0).getHeader("Content-Type"));
    assertArrayEquals(Files.readAllBytes(zip), zipUploads.get(0).getBody());
    assertTrue(zipUploads.get(0).getHeader("Authorization").contains("t0ken"));
    List<LoggedRequest> reportUploads = uploads.findAll(postRequestedFor(urlPathEqualTo(REPO + "/releases/42/assets"))
        .withQueryParam("name", equalTo(REPORT_NAME)));
    assertEquals(1, reportUploads.size());
    assertEquals("application/json", reportUploads.get(0).getHeader("Content-Type"));
    // nothing is posted to the API host: assets go to the upload_url only
    assertEquals(0, api.findAll(postRequestedFor(urlPathEqualTo(REPO + "/releases/42/assets"))).size());
    assertTrue(out.toString().contains("uploaded " + ZIP_NAME + " (13 bytes)"), out.toString());
  }

  @Test
  void release_replacesAnAssetOfTheSameName_andKeepsOthers() {
    existingAssets("[{\"id\":7,\"name\":\"" + ZIP_NAME + "\",\"size\":3},{\"id\":8,\"name\":\"notes.txt\",\"size\":5}]");
    api.stubFor(delete(urlPathEqualTo(REPO + "/releases/assets/7")).willReturn(aResponse().withStatus(204)));
    api.stubFor(delete(urlPathEqualTo(REPO + "/releases/assets/8")).willReturn(aResponse().withStatus(204)));
    uploadAnswers(ZIP_NAME, 13);

    int code = run("release", "--tag", "v1.0.0", "--asset", zip.toString());

    assertEquals(0, code, err.toString());
    assertEquals(1, api.findAll(deleteRequestedFor(urlPathEqualTo(REPO + "/releases/assets/7"))).size());
    assertEquals(0, api.findAll(deleteRequestedFor(urlPathEqualTo(REPO + "/releases/assets/8"))).size());
    assertEquals(1, uploads.findAll(postRequestedFor(urlPathEqualTo(REPO + "/releases/42/assets"))).size());
    assertTrue(out.toString().contains("replaced " + ZIP_NAME), out.toString());
  }

  @Test
  void release_sizeReportedByGitHubDiffersFromTheFile_exits3() {
    existingAssets("[]");
    uploadAnswers(ZIP_NAME, 12);

    int code = run("release", "--tag", "v1.0.0", "--asset", zip.toString());

    assertEquals(3, code);
    assertTrue(err.toString().contains("holds 12 bytes, the file has 13 bytes"), err.toString());
  }

  @Test
  void release_missingTag_exits2NamingTheTag() {
    int code = run("release", "--tag", "v9.9.9", "--asset", zip.toString());

    assertEquals(2, code);
    assertTrue(err.toString().contains("no release for tag v9.9.9 in octo/layers"), err.toString());
    assertEquals(0, uploads.getAllServeEvents().size());
  }

  @Test
  void release_nameSuffixAndNoReportBeside_keepsTheFileNameWithTheSuffix() throws Exception {
    Path lone = Files.write(Files.createDirectories(dir.resolve("other")).resolve("layer.zip"), new byte[] {1, 2});
    existingAssets("[]");
    uploadAnswers("layer-geo.zip", 2);

    int code = run("release", "--tag", "v1.0.0", "--asset", lone.toString(), "--name-suffix", "-geo");

    assertEquals(0, code, err.toString());
    assertEquals(1, uploads.findAll(postRequestedFor(urlPathEqualTo(REPO + "/releases/42/assets"))
        .withQueryParam("name", equalTo("layer-geo.zip"))).size());
  }

  @Test
  void release_missingAssetFile_exits2BeforeAnyRequest() {
    int code = run("release", "--tag", "v1.0.0", "--asset", dir.resolve("nope.zip").toString());

    assertEquals(2, code);
    assertTrue(err.toString().contains("nope.zip: no such file"), err.toString());
    assertEquals(0, api.getAllServeEvents().size());
  }
}
