package dev.layerslim.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release uploader through the run's session, against GitHub's recorded release and asset
 * shapes: the API on one WireMock server, the uploads host of the release's {@code upload_url} on another.
 */
class ReleaseUploaderTest {
  static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(500));
  static final String REPO = GitHubApiStub.OWNER + "/" + GitHubApiStub.REPO;
  static final String ASSETS = "/repos/" + REPO + "/releases/42/assets";
  static final String NAME = "layer.zip";

  @TempDir Path tmp;
  GitHubApiStub gh;
  WireMockServer uploads;
  Path zip;

  @BeforeEach
  void start() throws IOException {
    gh = new GitHubApiStub();
    uploads = new WireMockServer(options().dynamicPort());
    uploads.start();
    zip = Files.write(tmp.resolve(NAME), new byte[] {'P', 'K', 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    gh.repository();
    gh.server.stubFor(get(urlPathEqualTo("/repos/" + REPO + "/releases/tags/v1.0.0")).willReturn(GitHubApiStub.json(
        200, gh.shape("release", "id", 42, "tag", "v1.0.0", "uploads", uploads.baseUrl()))));
    assets();
  }

  @AfterEach
  void stop() {
    gh.close();
    uploads.stop();
  }

  /** The release's assets as GitHub lists them. */
  void assets(String... assets) {
    gh.server.stubFor(get(urlPathEqualTo(ASSETS)).willReturn(GitHubApiStub.json(200,
        "[" + String.join(",", assets) + "]")));
  }

  String asset(long id, long size, String state) {
    return gh.shape("release-asset", "id", id, "name", NAME, "size", size, "content_type", "application/zip",
        "tag", "v1.0.0", "state", state);
  }

  ResponseDefinitionBuilder created(long size) {
    return GitHubApiStub.json(201, asset(9, size, "uploaded"));
  }

  List<ReleaseUploader.Uploaded> upload() throws IOException {
    return GitHubSession.open(gh.baseUrl(), "ghs_test0123456789", FAST).releaseUploader().upload(REPO, "v1.0.0",
        List.of(new ReleaseUploader.Asset(zip, NAME, "application/zip")));
  }

  @Test
  void serverErrorReadingTheRelease_isRetried() throws IOException {
    gh.server.stubFor(get(urlPathEqualTo("/repos/" + REPO + "/releases/tags/v1.0.0")).inScenario("rel")
        .whenScenarioStateIs(Scenario.STARTED).atPriority(1)
        .willReturn(GitHubApiStub.json(502, "{\"message\":\"Server Error\"}")).willSetStateTo("up"));
    uploads.stubFor(post(urlPathEqualTo(ASSETS)).willReturn(created(13)));
    List<ReleaseUploader.Uploaded> done = upload();
    assertEquals(13, done.get(0).bytes());
    assertEquals(2, gh.count(getRequestedFor(urlPathEqualTo("/repos/" + REPO + "/releases/tags/v1.0.0"))));
    assertEquals("https://github.com/" + REPO + "/releases/download/v1.0.0/" + NAME, done.get(0).downloadUrl());
  }

  @Test
  void secondaryRateLimitOnTheUpload_isWaitedOutAndPostedAgain() throws IOException {
    uploads.stubFor(post(urlPathEqualTo(ASSETS)).inScenario("up").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(GitHubApiStub.json(429, "{\"message\":\"You have exceeded a secondary rate limit.\"}")
            .withHeader("Retry-After", "0")).willSetStateTo("open"));
    uploads.stubFor(post(urlPathEqualTo(ASSETS)).inScenario("up").whenScenarioStateIs("open")
        .willReturn(created(13)));
    assertEquals(13, upload().get(0).bytes());
    assertEquals(2, uploads.countRequestsMatching(postRequestedFor(urlPathEqualTo(ASSETS)).build()).getCount());
  }

  /** A 502 after GitHub stored the whole asset: listing the assets finds it, and it is not posted twice. */
  @Test
  void upload502ThatGitHubStored_isFoundByListing_notPostedTwice() throws IOException {
    gh.server.stubFor(get(urlPathEqualTo(ASSETS)).inScenario("stored").whenScenarioStateIs("posted")
        .willReturn(GitHubApiStub.json(200, "[" + asset(9, 13, "uploaded") + "]")));
    uploads.stubFor(post(urlPathEqualTo(ASSETS)).willReturn(GitHubApiStub.json(502,
        "{\"message\":\"Server Error\"}")));
    uploads.addMockServiceRequestListener((request, response) -> {
      if (request.getMethod().getName().equals("POST")) {
        gh.server.setScenarioState("stored", "posted");
      }
    });
    List<ReleaseUploader.Uploaded> done = upload();
    assertEquals(13, done.get(0).bytes());
    assertEquals(1, uploads.countRequestsMatching(postRequestedFor(urlPathEqualTo(ASSETS)).build()).getCount());
  }

  /** A 502 that left a partial asset ("starter"): it is deleted, and the upload is made again. */
  @Test
  void upload502ThatLeftAPartialAsset_deletesItAndPostsAgain() throws IOException {
    gh.server.stubFor(get(urlPathEqualTo(ASSETS)).inScenario("partial").whenScenarioStateIs("posted")
        .willReturn(GitHubApiStub.json(200, "[" + asset(8, 5, "starter") + "]")));
    gh.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(urlPathEqualTo(
        "/repos/" + REPO + "/releases/assets/8")).willReturn(aResponse().withStatus(204)));
    uploads.stubFor(post(urlPathEqualTo(ASSETS)).inScenario("post").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(GitHubApiStub.json(502, "{\"message\":\"Server Error\"}")).willSetStateTo("again"));
    uploads.stubFor(post(urlPathEqualTo(ASSETS)).inScenario("post").whenScenarioStateIs("again")
        .willReturn(created(13)));
    uploads.addMockServiceRequestListener((request, response) -> {
      if (request.getMethod().getName().equals("POST")) {
        gh.server.setScenarioState("partial", "posted");
      }
    });
    assertEquals(13, upload().get(0).bytes());
    assertEquals(2, uploads.countRequestsMatching(postRequestedFor(urlPathEqualTo(ASSETS)).build()).getCount());
    assertEquals(1, gh.count(deleteRequestedFor(urlPathEqualTo("/repos/" + REPO + "/releases/assets/8"))));
  }

  /** An asset larger than the connector keeps in memory goes from a temp file, whole and with its length. */
  @Test
  void aLargeAsset_arrivesWholeWithItsContentLength() throws IOException {
    byte[] big = new byte[GitHubHttp.IN_MEMORY_BODY_BYTES * 3 + 17];
    new java.util.Random(7).nextBytes(big);
    Files.write(zip, big);
    uploads.stubFor(post(urlPathEqualTo(ASSETS)).willReturn(created(big.length)));
    assertEquals(big.length, upload().get(0).bytes());
    var posted = uploads.findAll(postRequestedFor(urlPathEqualTo(ASSETS)));
    assertEquals(1, posted.size());
    assertEquals(String.valueOf(big.length), posted.get(0).getHeader("Content-Length"));
    org.junit.jupiter.api.Assertions.assertArrayEquals(big, posted.get(0).getBody());
  }

  @Test
  void uploadServerErrorsBeyondThePolicy_failTheStep() {
    uploads.stubFor(post(urlPathEqualTo(ASSETS)).willReturn(GitHubApiStub.json(502,
        "{\"message\":\"Server Error\"}")));
    LayerslimException e = assertThrows(LayerslimException.class, this::upload);
    assertEquals(LayerslimException.EXIT_STEP_FAILED, e.exitCode());
    assertTrue(e.getMessage().contains("upload of " + NAME + " to release v1.0.0 failed"), e.getMessage());
    assertEquals(FAST.attempts(), uploads.countRequestsMatching(postRequestedFor(urlPathEqualTo(ASSETS))
        .withQueryParam("name", equalTo(NAME)).build()).getCount());
  }
}
