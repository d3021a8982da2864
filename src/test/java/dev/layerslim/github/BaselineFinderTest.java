package dev.layerslim.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baseline: auto} against WireMock serving the Actions REST shapes (runs, artifacts, the zip's 302). */
class BaselineFinderTest {
  static final String REPO = GitHubApiStub.OWNER + "/" + GitHubApiStub.REPO;
  static final String REPORT = "{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":1234,\"zippedBytes\":600},"
      + "\"packages\":[{\"name\":\"alpha\",\"version\":\"1.0\",\"unzippedBytes\":1234}],\"failures\":[]}";

  @TempDir Path tmp;
  GitHubApiStub gh;
  Map<String, String> env;

  @BeforeEach
  void start() {
    gh = new GitHubApiStub();
    env = new HashMap<>();
    env.put("GITHUB_EVENT_NAME", "pull_request");
    env.put("GITHUB_REPOSITORY", REPO);
    env.put("GITHUB_BASE_REF", "main");
    env.put("GITHUB_WORKFLOW_REF", REPO + "/.github/workflows/layer.yml@refs/pull/7/merge");
  }

  @AfterEach
  void stop() {
    gh.close();
  }

  static final String TOKEN = "ghs_test0123456789";
  static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(500),
      new GitHubHttp.Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(30)));

  BaselineFinder.Result find() {
    try {
      return GitHubSession.open(gh.baseUrl(), TOKEN, FAST).baselineFinder().find(env, "app",
          tmp.resolve("base/report.json"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The base branch's successful push runs of layer.yml with these ids, newest first, on one page. */
  void runs(long... ids) {
    List<String> list = new ArrayList<>();
    int n = 40;
    for (long id : ids) {
      list.add(gh.run(id, n--, GitHubApiStub.WORKFLOW_ID));
    }
    gh.repository().workflow("layer.yml").runs(list);
  }

  /** The artifacts of run {@code runId}: one, or none when name is null. */
  void artifact(long runId, long artifactId, String name, boolean expired) {
    if (name == null) {
      gh.artifacts(runId);
    } else {
      gh.artifacts(runId, gh.artifact(artifactId, runId, name, 812, expired));
    }
  }

  /** The zip download: 302 to a signed storage URL on the same server (another path), served without the token. */
  void download(long artifactId, byte[] zip) {
    gh.download(artifactId, zip, gh.server);
  }

  static byte[] zip(String name, String content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      z.putNextEntry(new ZipEntry(name));
      z.write(content.getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    return bytes.toByteArray();
  }

  @Test
  void found_takesReportJsonFromTheNewestSuccessfulRunsArtifact() throws IOException {
    runs(501, 400);
    artifact(501, 77, "layerslim-app", false);
    download(77, zip("report.json", REPORT));
    BaselineFinder.Result r = find();
    assertEquals(tmp.resolve("base/report.json"), r.report(), r.notice());
    assertEquals(REPORT, Files.readString(r.report()));
    assertTrue(r.notice().contains("artifact layerslim-app of run 40 on main (9f8e7d6)"), r.notice());
    // the token goes to the API, never to the storage URL GitHub redirected to, even on the API's own host
    assertEquals("token " + TOKEN, gh.requests(getRequestedFor(urlPathEqualTo(gh.zipPath(77)))).get(0)
        .getHeader("Authorization"));
    assertNull(gh.requests(getRequestedFor(urlPathEqualTo(GitHubApiStub.blobPath(77)))).get(0)
        .getHeader("Authorization"));
    assertEquals(0, gh.count(getRequestedFor(urlPathEqualTo("/repos/" + REPO + "/actions/runs/400/artifacts"))));
  }

  @Test
  void newestRunWithoutTheArtifact_anOlderRunsIsTaken() throws IOException {
    runs(501, 400);
    artifact(501, 0, null, false);
    artifact(400, 66, "layerslim-app", false);
    download(66, zip("report.json", REPORT));
    BaselineFinder.Result r = find();
    assertEquals(REPORT, Files.readString(r.report()));
  }

  @Test
  void none_aBaseBranchWithNoRunsIsANotice() {
    runs();
    BaselineFinder.Result r = find();
    assertNull(r.report());
    assertEquals("no baseline: no successful push run of layer.yml on main yet", r.notice());
  }

  @Test
  void expired_anExpiredArtifactIsANoticeAndNotDownloaded() {
    runs(501);
    artifact(501, 77, "layerslim-app", true);
    BaselineFinder.Result r = find();
    assertNull(r.report());
    assertTrue(r.notice().contains("artifact layerslim-app has expired"), r.notice());
    assertEquals(0, gh.count(getRequestedFor(urlPathEqualTo(gh.zipPath(77)))));
  }

  @Test
  void gone410OnDownload_isANotice() {
    runs(501);
    artifact(501, 77, "layerslim-app", false);
    gh.server.stubFor(get(urlPathEqualTo(gh.zipPath(77)))
        .willReturn(GitHubApiStub.json(410, "{\"message\":\"Artifact has expired\"}")));
    BaselineFinder.Result r = find();
    assertNull(r.report());
    assertTrue(r.notice().contains("has expired (HTTP 410 on download)"), r.notice());
  }

  @Test
  void aZipWithoutReportJsonAtItsRoot_orWithSomethingElse_isNotTaken() throws IOException {
    runs(501);
    artifact(501, 77, "layerslim-app", false);
    download(77, zip("../report.json", REPORT));
    assertTrue(find().notice().contains("holds no report.json at its root"));
    download(77, zip("report.json", "{\"not\":\"a report\"}"));
    BaselineFinder.Result r = find();
    assertNull(r.report());
    assertTrue(r.notice().contains("not a layerslim report"), r.notice());
  }

  /**
   * The base branch's report.json is someone else's file: one this layerslim cannot diff against
   * (a row that is not an object, another tool's, a newer schema, a negative size) is a notice
   * saying why, and nothing is left at the destination for the build to trip on.
   */
  @Test
  void aReportThisLayerslimCannotDiffAgainst_isANoticeAndNothingIsKept() throws IOException {
    runs(501);
    artifact(501, 77, "layerslim-app", false);
    String[][] cases = {
        {"{\"schemaVersion\":1,\"totals\":{\"unzippedBytes\":5},\"packages\":[1,2,3]}", "packages[0] is 1"},
        {REPORT.replace("\"schemaVersion\":1", "\"schemaVersion\":1,\"tool\":{\"name\":\"other\"}"),
            "written by 'other'"},
        {REPORT.replace("\"schemaVersion\":1", "\"schemaVersion\":3"), "written by a newer layerslim"},
        {REPORT.replace("1234}", "-1234}"), "packages[0].unzippedBytes is negative"},
    };
    for (String[] c : cases) {
      download(77, zip("report.json", c[0]));
      BaselineFinder.Result r = find();
      assertNull(r.report(), c[0]);
      assertTrue(r.notice().startsWith("no baseline: artifact layerslim-app of run 40 on main (9f8e7d6): report.json "
          + "is ") && r.notice().contains(c[1]), r.notice());
      assertTrue(Files.notExists(tmp.resolve("base/report.json")), c[0]);
    }
  }

  @Test
  void noActionsPermission_isANotice() {
    gh.repository();
    gh.server.stubFor(get(urlPathEqualTo("/repos/" + REPO + "/actions/workflows/layer.yml"))
        .willReturn(GitHubApiStub.json(403, "{\"message\":\"Resource not accessible by integration\","
            + "\"documentation_url\":\"https://docs.github.com/rest/actions/workflows#get-a-workflow\"}")));
    BaselineFinder.Result r = find();
    assertNull(r.report());
    assertTrue(r.notice().contains("permissions: actions: read"), r.notice());
  }

  @Test
  void storageOnAnotherHost_getsTheZipWithoutTheToken() throws IOException {
    runs(501);
    artifact(501, 77, "layerslim-app", false);
    gh.download(77, zip("report.json", REPORT), gh.storage());
    BaselineFinder.Result r = find();
    assertEquals(REPORT, Files.readString(r.report()), r.notice());
    List<LoggedRequest> fetched = gh.storage().findAll(getRequestedFor(urlPathEqualTo(GitHubApiStub.blobPath(77))));
    assertEquals(1, fetched.size());
    assertNull(fetched.get(0).getHeader("Authorization"));
    assertTrue(fetched.get(0).getUrl().contains("urlSignature="), fetched.get(0).getUrl());
  }

  /**
   * The runs are listed for the whole repository (filtered by branch, event and status); other
   * workflows' runs fill the first page, this workflow's is on the second, found through the Link header.
   */
  @Test
  void thisWorkflowsRunOnTheSecondPage_isFoundByPaging() throws IOException {
    gh.repository().workflow("layer.yml").runs(
        List.of(gh.run(903, 90, 999), gh.run(902, 89, 999), gh.run(901, 88, 999)),
        List.of(gh.run(900, 87, 999), gh.run(501, 40, GitHubApiStub.WORKFLOW_ID)));
    artifact(501, 77, "layerslim-app", false);
    download(77, zip("report.json", REPORT));
    BaselineFinder.Result r = find();
    assertEquals(REPORT, Files.readString(r.report()), r.notice());
    assertEquals(1, gh.count(getRequestedFor(urlPathEqualTo(gh.runsPath())).withQueryParam("page", equalTo("2"))));
    assertEquals(0, gh.count(getRequestedFor(urlPathEqualTo("/repos/" + REPO + "/actions/runs/903/artifacts"))),
        "another workflow's run is not searched");
  }

  @Test
  void onlyTheNewestFiveRunsAreSearched() {
    long[] ids = {507, 506, 505, 504, 503, 502, 501};
    runs(ids);
    for (long id : ids) {
      artifact(id, 0, null, false);
    }
    BaselineFinder.Result r = find();
    assertNull(r.report());
    assertTrue(r.notice().contains("no artifact layerslim-app in the last " + BaselineFinder.RUNS_SEARCHED
        + " successful push run(s) of layer.yml on main"), r.notice());
    assertEquals(1, gh.count(getRequestedFor(urlPathEqualTo("/repos/" + REPO + "/actions/runs/503/artifacts"))));
    assertEquals(0, gh.count(getRequestedFor(urlPathEqualTo("/repos/" + REPO + "/actions/runs/502/artifacts"))));
  }

  @Test
  void anArtifactOverTheZipCap_isNotDownloaded() {
    runs(501);
    gh.artifacts(501, gh.artifact(77, 501, "layerslim-app", BaselineFinder.MAX_ZIP_BYTES + 1, false));
    BaselineFinder.Result r = find();
    assertNull(r.report());
    assertTrue(r.notice().contains("is " + (BaselineFinder.MAX_ZIP_BYTES + 1) + " bytes, too large"), r.notice());
    assertEquals(0, gh.count(getRequestedFor(urlPathEqualTo(gh.zipPath(77)))));
  }

  /** 502 on the runs, a secondary rate limit on the artifacts, 502 from storage: each retried once, then found. */
  @Test
  void serverErrorsAndRateLimits_areRetriedPerThePolicy() throws IOException {
    runs(501);
    gh.server.stubFor(get(urlPathEqualTo(gh.runsPath())).inScenario("runs").whenScenarioStateIs(Scenario.STARTED)
        .atPriority(1).willReturn(GitHubApiStub.json(502, "{\"message\":\"Server Error\"}")).willSetStateTo("up"));
    artifact(501, 77, "layerslim-app", false);
    gh.server.stubFor(get(urlPathEqualTo("/repos/" + REPO + "/actions/runs/501/artifacts")).inScenario("arts")
        .whenScenarioStateIs(Scenario.STARTED).atPriority(1).willReturn(GitHubApiStub.json(429,
            "{\"message\":\"You have exceeded a secondary rate limit.\"}").withHeader("Retry-After", "0"))
        .willSetStateTo("up"));
    gh.download(77, zip("report.json", REPORT), gh.storage());
    gh.storage().stubFor(get(urlPathEqualTo(GitHubApiStub.blobPath(77))).inScenario("blob")
        .whenScenarioStateIs(Scenario.STARTED).atPriority(1).willReturn(aResponse().withStatus(502))
        .willSetStateTo("up"));
    BaselineFinder.Result r = find();
    assertEquals(REPORT, Files.readString(r.report()), r.notice());
    assertEquals(2, gh.count(getRequestedFor(urlPathEqualTo(gh.runsPath()))));
    assertEquals(2, gh.count(getRequestedFor(urlPathEqualTo("/repos/" + REPO + "/actions/runs/501/artifacts"))));
    assertEquals(2, gh.storage().countRequestsMatching(getRequestedFor(urlPathEqualTo(GitHubApiStub.blobPath(77)))
        .build()).getCount());
  }

  @Test
  void serverErrorsBeyondThePolicy_areANoticeNamingTheStep() {
    runs(501);
    gh.server.stubFor(get(urlPathEqualTo(gh.runsPath())).atPriority(1).willReturn(GitHubApiStub.json(502,
        "{\"message\":\"Server Error\"}")));
    BaselineFinder.Result r = find();
    assertNull(r.report());
    assertEquals("no baseline: GitHub answered HTTP 502 while listing the runs of layer.yml", r.notice());
    assertEquals(FAST.attempts(), gh.count(getRequestedFor(urlPathEqualTo(gh.runsPath()))));
  }

  /** A primary rate limit whose reset has come: waited out (no wait left) and asked again. */
  @Test
  void primaryRateLimitAlreadyReset_isAskedAgain() throws IOException {
    runs(501);
    artifact(501, 77, "layerslim-app", false);
    download(77, zip("report.json", REPORT));
    gh.server.stubFor(get(urlPathEqualTo("/repos/" + REPO + "/actions/workflows/layer.yml")).inScenario("limit")
        .whenScenarioStateIs(Scenario.STARTED).atPriority(1).willReturn(aResponse().withStatus(403)
            .withHeader("Content-Type", "application/json").withBody("{\"message\":\"API rate limit exceeded\"}")
            .withHeader("X-RateLimit-Limit", "1000").withHeader("X-RateLimit-Remaining", "0")
            .withHeader("X-RateLimit-Reset", String.valueOf(System.currentTimeMillis() / 1000 - 1)))
        .willSetStateTo("reset"));
    BaselineFinder.Result r = find();
    assertEquals(REPORT, Files.readString(r.report()), r.notice());
    assertEquals(2, gh.count(getRequestedFor(urlPathEqualTo("/repos/" + REPO + "/actions/workflows/layer.yml"))));
  }

  /**
   * An artifact whose listed size is under the cap but whose download is over it (the list and the
   * storage disagree): the copy stops at the cap, nothing is kept. The zip streams to disk, so this
   * costs no heap of its size in layerslim.
   */
  @Test
  void aDownloadOverTheZipCap_isCutOffAndANotice() throws IOException {
    runs(501);
    artifact(501, 77, "layerslim-app", false);
    // a storage host that streams one byte more than the cap (WireMock would hold and re-encode it all)
    com.sun.net.httpserver.HttpServer storage = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    storage.createContext("/blob/", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "application/zip");
      exchange.sendResponseHeaders(200, BaselineFinder.MAX_ZIP_BYTES + 1);
      byte[] chunk = new byte[1 << 20];
      try (var out = exchange.getResponseBody()) {
        for (long left = BaselineFinder.MAX_ZIP_BYTES + 1; left > 0; left -= chunk.length) {
          out.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
      } catch (IOException e) {
        // the client stopped reading at the cap
      }
    });
    storage.start();
    try {
      gh.server.stubFor(get(urlPathEqualTo(gh.zipPath(77))).willReturn(aResponse().withStatus(302).withHeader(
          "Location", "http://127.0.0.1:" + storage.getAddress().getPort() + GitHubApiStub.blobPath(77) + "?sig=x")));
      BaselineFinder.Result r = find();
      assertNull(r.report());
      assertTrue(r.notice().endsWith("is larger than " + BaselineFinder.MAX_ZIP_BYTES + " bytes, too large for a "
          + "report"), r.notice());
      assertTrue(Files.notExists(tmp.resolve("base/report.json")));
    } finally {
      storage.stop(0);
    }
  }

  /** hub4j would throw an unchecked exception on this; the connector makes it an error the notice names. */
  @Test
  void aRedirectWithoutALocation_isANotice_notACrash() {
    runs(501);
    artifact(501, 77, "layerslim-app", false);
    gh.server.stubFor(get(urlPathEqualTo(gh.zipPath(77))).willReturn(aResponse().withStatus(302)));
    BaselineFinder.Result r = find();
    assertNull(r.report());
    assertEquals("no baseline: GitHub answered HTTP 302 to GET " + gh.zipPath(77) + " with no Location while "
        + "downloading artifact layerslim-app of run 40 on main (9f8e7d6)", r.notice());
  }

  @Test
  void anExpiredToken_saysSo() {
    gh.server.stubFor(get(urlPathEqualTo("/repos/" + REPO)).willReturn(GitHubApiStub.json(401,
        "{\"message\":\"Bad credentials\",\"documentation_url\":\"https://docs.github.com/rest\"}")));
    BaselineFinder.Result r = find();
    assertNull(r.report());
    assertTrue(r.notice().contains("(HTTP 401): the input github-token is invalid or expired"), r.notice());
  }

  @Test
  void artifactNames_areWhatUploadArtifactAccepts() {
    assertEquals("layerslim-build_layer-out", BaselineFinder.artifactName("build/layer-out"));
    assertEquals("layer.yml", BaselineFinder.workflowFile("o/r/.github/workflows/layer.yml@refs/heads/main"));
  }
}
