package dev.layerslim.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * WireMock serving the GitHub REST shapes the sticky comment uses: {@code GET /user},
 * {@code GET /repos/{o}/{r}}, {@code GET /repos/{o}/{r}/issues/{n}}, the issue comments list
 * (100 a page, Link headers), {@code POST} to create and {@code PATCH} to update a comment.
 * Comments live in a list the test fills; {@link #restub()} serves its current state.
 */
public final class GitHubApiStub implements AutoCloseable {
  public static final String OWNER = "octo-org";
  public static final String REPO = "lambda-app";
  public static final int PR = 7;
  static final ObjectMapper JSON = new ObjectMapper();

  public final WireMockServer server = new WireMockServer(options().dynamicPort());
  /** The PR's comments as GitHub would list them, oldest first. */
  public final List<ObjectNode> comments = new ArrayList<>();
  private long nextId = 1_000_000;

  public GitHubApiStub() {
    server.start();
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  String repoPath() {
    return "/repos/" + OWNER + "/" + REPO;
  }

  public String commentsPath() {
    return repoPath() + "/issues/" + PR + "/comments";
  }

  public String commentPath(long id) {
    return repoPath() + "/issues/comments/" + id;
  }

  /** {@code GET /user} answers as {@code login}, or with the 403 the Actions GITHUB_TOKEN gets when null. */
  public GitHubApiStub user(String login) {
    if (login == null) {
      server.stubFor(get(urlPathEqualTo("/user")).willReturn(json(403,
          "{\"message\":\"Resource not accessible by integration\","
              + "\"documentation_url\":\"https://docs.github.com/rest/users/users#get-the-authenticated-user\"}")));
    } else {
      server.stubFor(get(urlPathEqualTo("/user")).willReturn(json(200, user(login, "User").toString())));
    }
    return this;
  }

  /** {@code GET /repos/{o}/{r}}. */
  public GitHubApiStub repository() {
    ObjectNode repo = JSON.createObjectNode();
    repo.put("id", 698765432).put("node_id", "R_kgDOKmZ7eA").put("name", REPO).put("full_name", OWNER + "/" + REPO)
        .put("private", false).put("url", baseUrl() + repoPath()).put("html_url", "https://github.com/" + OWNER + "/"
        + REPO).put("default_branch", "main");
    repo.set("owner", user(OWNER, "Organization"));
    server.stubFor(get(urlPathEqualTo(repoPath())).willReturn(json(200, repo.toString())));
    return this;
  }

  /** Repository, issue, comment list, create and update, all answering. */
  public GitHubApiStub standard() {
    repository();
    ObjectNode issue = JSON.createObjectNode();
    issue.put("id", 2001).put("number", PR).put("title", "Add pyarrow").put("state", "open")
        .put("url", baseUrl() + repoPath() + "/issues/" + PR)
        .put("html_url", "https://github.com/" + OWNER + "/" + REPO + "/pull/" + PR).put("comments", 0);
    issue.set("user", user("contributor", "User"));
    issue.putObject("pull_request").put("url", baseUrl() + repoPath() + "/pulls/" + PR);
    server.stubFor(get(urlPathEqualTo(repoPath() + "/issues/" + PR)).willReturn(json(200, issue.toString())));
    created(201);
    restub();
    return this;
  }

  /** POST answers {@code status}; 201 returns the new comment. */
  public void created(int status) {
    if (status != 201) {
      server.stubFor(post(urlPathEqualTo(commentsPath())).willReturn(json(status,
          "{\"message\":\"Resource not accessible by integration\",\"documentation_url\":"
              + "\"https://docs.github.com/rest/issues/comments#create-an-issue-comment\",\"status\":\"" + status
              + "\"}")));
      return;
    }
    ObjectNode c = comment(nextId++, "github-actions[bot]", "Bot", "(body as posted)");
    server.stubFor(post(urlPathEqualTo(commentsPath())).willReturn(json(201, c.toString())));
  }

  /** Serves {@link #comments} in pages of 100 with Link headers, and PATCH for each one. */
  public void restub() {
    int pages = Math.max(1, (comments.size() + 99) / 100);
    for (int page = 1; page <= pages; page++) {
      ArrayNode a = JSON.createArrayNode();
      comments.subList((page - 1) * 100, Math.min(comments.size(), page * 100)).forEach(a::add);
      ResponseDefinitionBuilder r = json(200, a.toString());
      String link = link(page, pages);
      if (!link.isEmpty()) {
        r = r.withHeader("Link", link);
      }
      MappingBuilder m = get(urlPathEqualTo(commentsPath()))
          .withQueryParam("page", page == 1 ? absent() : equalTo(String.valueOf(page)));
      server.stubFor(m.willReturn(r));
    }
    for (ObjectNode c : comments) {
      server.stubFor(patch(urlPathEqualTo(commentPath(c.path("id").asLong()))).willReturn(json(200, c.toString())));
    }
  }

  private String link(int page, int pages) {
    List<String> parts = new ArrayList<>();
    String base = baseUrl() + commentsPath() + "?per_page=100&page=";
    if (page < pages) {
      parts.add("<" + base + (page + 1) + ">; rel=\"next\"");
      parts.add("<" + base + pages + ">; rel=\"last\"");
    }
    if (page > 1) {
      parts.add("<" + base + "1>; rel=\"first\"");
      parts.add("<" + base + (page - 1) + ">; rel=\"prev\"");
    }
    return String.join(", ", parts);
  }

  /** Adds a comment to the PR's list (call {@link #restub()} after). */
  public ObjectNode addComment(String login, String type, String body) {
    ObjectNode c = comment(nextId++, login, type, body);
    comments.add(c);
    return c;
  }

  ObjectNode comment(long id, String login, String type, String body) {
    ObjectNode c = JSON.createObjectNode();
    c.put("id", id).put("node_id", "IC_kwDOKmZ7eM5" + id).put("url", baseUrl() + commentPath(id))
        .put("html_url", "https://github.com/" + OWNER + "/" + REPO + "/pull/" + PR + "#issuecomment-" + id)
        .put("issue_url", baseUrl() + repoPath() + "/issues/" + PR).put("body", body)
        .put("created_at", "2025-03-02T10:05:00Z").put("updated_at", "2025-03-02T10:05:00Z")
        .put("author_association", type.equals("Bot") ? "NONE" : "MEMBER");
    c.set("user", user(login, type));
    return c;
  }

  static ObjectNode user(String login, String type) {
    ObjectNode u = JSON.createObjectNode();
    u.put("login", login).put("id", Math.abs(login.hashCode())).put("type", type).put("site_admin", false)
        .put("html_url", "https://github.com/" + login);
    return u;
  }

  static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
        .withHeader("X-RateLimit-Limit", "5000").withHeader("X-RateLimit-Remaining", "4990")
        .withHeader("X-RateLimit-Reset", String.valueOf(System.currentTimeMillis() / 1000 + 3600))
        .withHeader("X-RateLimit-Resource", "core").withBody(body);
  }

  // --- Actions: workflow runs, artifacts, the artifact zip (shapes from hub4j's recorded test resources) ---

  /** The id of the workflow {@link #workflow} serves. */
  public static final long WORKFLOW_ID = 161335;
  public static final String HEAD_SHA = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";

  private WireMockServer storage;

  /** Another host (port) for the artifacts' signed storage URLs, as GitHub's storage is not the API's host. */
  public WireMockServer storage() {
    if (storage == null) {
      // a blob store answers a zip as it is, never gzipped again
      storage = new WireMockServer(options().dynamicPort().gzipDisabled(true));
      storage.start();
    }
    return storage;
  }

  /**
   * A recorded GitHub answer (src/test/resources/github-api/{name}.json, trimmed from hub4j's test
   * resources) with its {@code ${key}} placeholders filled: {@code api} and {@code repo} always, the
   * rest from {@code keyValues} (key, value, key, value, …).
   */
  public String shape(String name, Object... keyValues) {
    String text;
    try (var in = GitHubApiStub.class.getResourceAsStream("/github-api/" + name + ".json")) {
      text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("no test resource github-api/" + name + ".json", e);
    }
    text = text.replace("${api}", baseUrl()).replace("${repo}", OWNER + "/" + REPO);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      text = text.replace("${" + keyValues[i] + "}", String.valueOf(keyValues[i + 1]));
    }
    if (text.contains("${")) {
      throw new IllegalStateException("unfilled placeholder in " + name + ": " + text);
    }
    return text;
  }

  /** {@code GET /repos/{o}/{r}/actions/workflows/{file}}: the workflow {@link #WORKFLOW_ID}. */
  public GitHubApiStub workflow(String file) {
    server.stubFor(get(urlPathEqualTo(repoPath() + "/actions/workflows/" + file)).willReturn(json(200,
        shape("workflow", "id", WORKFLOW_ID, "workflow_file", file))));
    return this;
  }

  /** One workflow run as "List workflow runs for a repository" lists it: a successful push run on main. */
  public String run(long id, int runNumber, long workflowId) {
    return shape("workflow-run", "id", id, "run_number", runNumber, "workflow_id", workflowId, "head_sha", HEAD_SHA,
        "branch", "main", "workflow_file", workflowId == WORKFLOW_ID ? "layer.yml" : "other.yml");
  }

  /** The path hub4j lists the repository's workflow runs at. */
  public String runsPath() {
    return repoPath() + "/actions/runs";
  }

  /**
   * {@code GET /repos/{o}/{r}/actions/runs?branch=main&event=push&status=success}: these pages of runs
   * ({@link #run}), linked by Link headers as GitHub pages them.
   */
  @SafeVarargs
  public final GitHubApiStub runs(List<String>... pages) {
    int total = 0;
    for (List<String> p : pages) {
      total += p.size();
    }
    int count = Math.max(1, pages.length);
    for (int page = 1; page <= count; page++) {
      List<String> runs = pages.length == 0 ? List.of() : pages[page - 1];
      ResponseDefinitionBuilder r = json(200, "{\"total_count\":" + total + ",\"workflow_runs\":["
          + String.join(",", runs) + "]}");
      List<String> links = new ArrayList<>();
      String base = baseUrl() + runsPath() + "?branch=main&event=push&status=success&per_page=100&page=";
      if (page < count) {
        links.add("<" + base + (page + 1) + ">; rel=\"next\"");
        links.add("<" + base + count + ">; rel=\"last\"");
      }
      if (!links.isEmpty()) {
        r = r.withHeader("Link", String.join(", ", links));
      }
      server.stubFor(get(urlPathEqualTo(runsPath())).withQueryParam("branch", equalTo("main"))
          .withQueryParam("event", equalTo("push")).withQueryParam("status", equalTo("success"))
          .withQueryParam("page", page == 1 ? absent() : equalTo(String.valueOf(page))).willReturn(r));
    }
    return this;
  }

  /** One artifact as "List workflow run artifacts" lists it. */
  public String artifact(long id, long runId, String name, long size, boolean expired) {
    return shape("artifact", "id", id, "run_id", runId, "name", name, "size", size, "expired", expired,
        "head_sha", HEAD_SHA, "expires_at", "2025-05-30T10:02:00Z");
  }

  /** {@code GET /repos/{o}/{r}/actions/runs/{id}/artifacts}: these artifacts ({@link #artifact}). */
  public GitHubApiStub artifacts(long runId, String... artifacts) {
    server.stubFor(get(urlPathEqualTo(repoPath() + "/actions/runs/" + runId + "/artifacts")).willReturn(json(200,
        "{\"total_count\":" + artifacts.length + ",\"artifacts\":[" + String.join(",", artifacts) + "]}")));
    return this;
  }

  /** The API's path for an artifact's zip. */
  public String zipPath(long artifactId) {
    return repoPath() + "/actions/artifacts/" + artifactId + "/zip";
  }

  /** The storage path an artifact's zip is served at (on {@code host}) after the API's 302. */
  public static String blobPath(long artifactId) {
    return "/blob/artifact-" + artifactId + ".zip";
  }

  /**
   * The zip download as GitHub answers it: 302 (with the headers of hub4j's recording) to a signed URL
   * on {@code host}, which serves the zip to anyone holding the URL.
   */
  public GitHubApiStub download(long artifactId, byte[] zip, WireMockServer host) {
    server.stubFor(get(urlPathEqualTo(zipPath(artifactId))).willReturn(aResponse().withStatus(302)
        .withHeader("Content-Type", "text/html;charset=utf-8").withHeader("X-RateLimit-Limit", "5000")
        .withHeader("X-RateLimit-Remaining", "4988").withHeader("X-RateLimit-Resource", "core")
        .withHeader("Location", host.baseUrl() + blobPath(artifactId) + "?urlExpires=2025-03-01T10%3A57%3A08Z"
            + "&urlSigningMethod=HMACV2&urlSignature=V5LQZfOCN4yxeW3luEsxnxohpUdIpNTXhLFbFsPF3hw%3D")));
    host.stubFor(get(urlPathEqualTo(blobPath(artifactId))).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/zip").withBody(zip)));
    return this;
  }

  /**
   * The base branch's newest successful push run of layer.yml (id 501, run 40) with the artifact
   * {@code name} (id 77) holding {@code zip}, stored on this server under another path.
   */
  public GitHubApiStub baseline(String name, byte[] zip) {
    repository().workflow("layer.yml").runs(List.of(run(501, 40, WORKFLOW_ID)));
    artifacts(501, artifact(77, 501, name, zip.length, false));
    return download(77, zip, server);
  }

  public int count(RequestPatternBuilder pattern) {
    return server.countRequestsMatching(pattern.build()).getCount();
  }

  public List<LoggedRequest> requests(RequestPatternBuilder pattern) {
    return server.findAll(pattern);
  }

  /** The JSON body of a logged request. */
  public static JsonNode body(LoggedRequest r) throws java.io.IOException {
    return JSON.readTree(r.getBodyAsString());
  }

  @Override
  public void close() {
    server.stop();
    if (storage != null) {
      storage.stop();
    }
  }
}
