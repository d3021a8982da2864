package dev.layerslim.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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
  static final String RUNS = "/repos/" + REPO + "/actions/workflows/layer.yml/runs";
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

  BaselineFinder.Result find() {
    return new BaselineFinder(new GitHubHttp(new GitHubHttp.Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(15),
        Duration.ofSeconds(30))), gh.baseUrl(), "ghs_test0123456789").find(env, "app", tmp.resolve("base/report.json"));
  }

  /** A "List workflow runs for a workflow" answer with runs of these ids, newest first. */
  void runs(long... ids) {
    ObjectNode root = GitHubApiStub.JSON.createObjectNode();
    root.put("total_count", ids.length);
    ArrayNode list = root.putArray("workflow_runs");
    int n = 40;
    for (long id : ids) {
      ObjectNode r = list.addObject();
      r.put("id", id).put("name", "layer").put("node_id", "WFR_kwLOA" + id).put("head_branch", "main")
          .put("head_sha", "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432").put("path", ".github/workflows/layer.yml")
          .put("run_number", n--).put("event", "push").put("status", "completed").put("conclusion", "success")
          .put("workflow_id", 161335).put("url", gh.baseUrl() + "/repos/" + REPO + "/actions/runs/" + id)
          .put("html_url", "https://github.com/" + REPO + "/actions/runs/" + id)
          .put("created_at", "2025-03-01T10:00:00Z").put("updated_at", "2025-03-01T10:03:00Z")
          .put("artifacts_url", gh.baseUrl() + "/repos/" + REPO + "/actions/runs/" + id + "/artifacts");
    }
    gh.server.stubFor(get(urlPathEqualTo(RUNS)).withQueryParam("branch", com.github.tomakehurst.wiremock.client.WireMock
        .equalTo("main")).withQueryParam("event", com.github.tomakehurst.wiremock.client.WireMock.equalTo("push"))
        .withQueryParam("status", com.github.tomakehurst.wiremock.client.WireMock.equalTo("success"))
        .willReturn(GitHubApiStub.json(200, root.toString())));
  }

  /** A "List workflow run artifacts" answer for run {@code runId}: one artifact, or none when name is null. */
  void artifact(long runId, long artifactId, String name, boolean expired) {
    ObjectNode root = GitHubApiStub.JSON.createObjectNode();
    ArrayNode list = root.putArray("artifacts");
    if (name != null) {
      ObjectNode a = list.addObject();
      a.put("id", artifactId).put("node_id", "MDg6QXJ0aWZhY3Qx").put("name", name).put("size_in_bytes", 812)
          .put("url", gh.baseUrl() + "/repos/" + REPO + "/actions/artifacts/" + artifactId)
          .put("archive_download_url", gh.baseUrl() + "/repos/" + REPO + "/actions/artifacts/" + artifactId + "/zip")
          .put("expired", expired).put("created_at", "2025-03-01T10:02:00Z")
          .put("expires_at", "2025-05-30T10:02:00Z").put("updated_at", "2025-03-01T10:02:00Z")
          .put("digest", "sha256:cfc3236bdad15b5898bca8408945c9e19e1917da8704adc20eaa618444290a8c");
      a.putObject("workflow_run").put("id", runId).put("repository_id", 698765432)
          .put("head_repository_id", 698765432).put("head_branch", "main")
          .put("head_sha", "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432");
    }
    root.put("total_count", list.size());
    gh.server.stubFor(get(urlPathEqualTo("/repos/" + REPO + "/actions/runs/" + runId + "/artifacts"))
        .willReturn(GitHubApiStub.json(200, root.toString())));
  }

  /** The zip download: 302 to a storage URL on the same stub, which serves the zip without the token. */
  void download(long artifactId, byte[] zip) {
    String blob = "/blob/artifact-" + artifactId + ".zip";
    gh.server.stubFor(get(urlPathEqualTo("/repos/" + REPO + "/actions/artifacts/" + artifactId + "/zip"))
        .willReturn(aResponse().withStatus(302).withHeader("Location", gh.baseUrl() + blob + "?sig=abc")));
    gh.server.stubFor(get(urlPathEqualTo(blob)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/zip").withBody(zip)));
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
    // the token goes to the API, never to the storage host's signed URL
    assertEquals("Bearer ghs_test0123456789", gh.requests(getRequestedFor(urlPathEqualTo(
        "/repos/" + REPO + "/actions/artifacts/77/zip"))).get(0).getHeader("Authorization"));
    assertNull(gh.requests(getRequestedFor(urlPathEqualTo("/blob/artifact-77.zip"))).get(0).getHeader("Authorization"));
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
    assertEquals(0, gh.count(getRequestedFor(urlPathEqualTo("/repos/" + REPO + "/actions/artifacts/77/zip"))));
  }

  @Test
  void gone410OnDownload_isANotice() {
    runs(501);
    artifact(501, 77, "layerslim-app", false);
    gh.server.stubFor(get(urlPathEqualTo("/repos/" + REPO + "/actions/artifacts/77/zip"))
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
    gh.server.stubFor(get(urlPathEqualTo(RUNS)).willReturn(GitHubApiStub.json(403,
        "{\"message\":\"Resource not accessible by integration\"}")));
    assertTrue(find().notice().contains("permissions: actions: read"));
  }

  @Test
  void artifactNames_areWhatUploadArtifactAccepts() {
    assertEquals("layerslim-build_layer-out", BaselineFinder.artifactName("build/layer-out"));
    assertEquals("layer.yml", BaselineFinder.workflowFile("o/r/.github/workflows/layer.yml@refs/heads/main"));
  }
}
