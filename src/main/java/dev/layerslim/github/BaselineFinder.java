package dev.layerslim.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerslim.reportfile.Baseline;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * {@code baseline: auto}: the report.json of the newest successful run of this workflow on the pull
 * request's base branch, from its artifact {@code layerslim-<comment-key>} (which the workflow
 * uploads on pushes to that branch, see docs/action.md).
 *
 * <p>REST calls, with the token of the run ({@code actions: read}):
 * {@code GET /repos/{o}/{r}/actions/workflows/{file}/runs?branch=B&event=push&status=success},
 * {@code GET /repos/{o}/{r}/actions/runs/{id}/artifacts?name=N}, and
 * {@code GET /repos/{o}/{r}/actions/artifacts/{id}/zip}, which answers 302 to a storage URL that is
 * fetched without the token. Finding nothing (no run, an expired artifact, 410 on download, no
 * permission) is a {@link Result#notice()}, never a failure: the build goes on without a baseline.
 */
public final class BaselineFinder {
  /** A zip larger than this is not a layerslim report artifact. */
  static final long MAX_ZIP_BYTES = 64L << 20;
  /** report.json is read up to this size. */
  static final long MAX_REPORT_BYTES = 64L << 20;
  /** How many of the newest successful runs are searched for the artifact. */
  static final int RUNS_SEARCHED = 5;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param report the downloaded report.json, or null when none was found
   * @param notice one line for the log: where the baseline came from, or why there is none
   */
  public record Result(Path report, String notice) {}

  private final GitHubHttp http;
  private final String apiUrl;
  private final String token;

  public BaselineFinder(GitHubHttp http, String apiUrl, String token) {
    this.http = http;
    this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
    this.token = token;
  }

  /** The artifact name for a key as the user wrote it ({@link CommentKey#artifactName}). */
  public static String artifactName(String key) {
    return CommentKey.of(key).artifactName();
  }

  /**
   * Finds the baseline for the run {@code env} describes ({@code GITHUB_REPOSITORY},
   * {@code GITHUB_BASE_REF}, {@code GITHUB_WORKFLOW_REF}, {@code GITHUB_EVENT_NAME}) and writes its
   * report.json to {@code dest}; {@code key} is the layer's key as the user wrote it (not its marker key).
   */
  public Result find(Map<String, String> env, String key, Path dest) {
    String event = env.getOrDefault("GITHUB_EVENT_NAME", "");
    if (!event.equals("pull_request") && !event.equals("pull_request_target")) {
      return none("the event is '" + event + "', not a pull request; baseline auto compares a pull request with its "
          + "base branch");
    }
    String repo = env.getOrDefault("GITHUB_REPOSITORY", "");
    String base = env.getOrDefault("GITHUB_BASE_REF", "");
    String workflow = workflowFile(env.getOrDefault("GITHUB_WORKFLOW_REF", ""));
    if (!repo.contains("/") || base.isBlank() || workflow == null) {
      return none("GITHUB_REPOSITORY, GITHUB_BASE_REF or GITHUB_WORKFLOW_REF is not set");
    }
    String name = artifactName(key);
    try {
      JsonNode runs = getJson("/repos/" + repo + "/actions/workflows/" + enc(workflow) + "/runs?branch=" + enc(base)
          + "&event=push&status=success&per_page=" + RUNS_SEARCHED, "listing the runs of " + workflow);
      if (runs == null) {
        return none("the token may not read the workflow runs (give the job 'permissions: actions: read')");
      }
      JsonNode list = runs.path("workflow_runs");
      if (list.size() == 0) {
        return none("no successful push run of " + workflow + " on " + base + " yet");
      }
      JsonNode expired = null;
      for (JsonNode run : list) {
        long runId = run.path("id").asLong();
        JsonNode arts = getJson("/repos/" + repo + "/actions/runs/" + runId + "/artifacts?name=" + enc(name)
            + "&per_page=100", "listing the artifacts of run " + runId);
        JsonNode art = null;
        for (JsonNode a : arts == null ? JSON.createArrayNode() : arts.path("artifacts")) {
          if (name.equals(a.path("name").asText())) {
            art = a;
            break;
          }
        }
        if (art == null) {
          continue;
        }
        if (art.path("expired").asBoolean(false)) {
          expired = expired == null ? art : expired;
          continue;
        }
        String where = "artifact " + name + " of run " + run.path("run_number").asText(String.valueOf(runId))
            + " on " + base + " (" + shortSha(run.path("head_sha").asText("")) + ")";
        if (art.path("size_in_bytes").asLong(0) > MAX_ZIP_BYTES) {
          return none(where + " is " + art.path("size_in_bytes").asLong() + " bytes, too large for a report");
        }
        return download(repo, art.path("id").asLong(), where, dest);
      }
      if (expired != null) {
        return none("artifact " + name + " has expired (expires_at " + expired.path("expires_at").asText("?")
            + "); the next push to " + base + " uploads a new one");
      }
      return none("no artifact " + name + " in the last " + list.size() + " successful push run(s) of " + workflow
          + " on " + base + " (does the workflow upload it, with this comment-key?)");
    } catch (IOException e) {
      String what = GitHubErrors.describe(e);
      return none(what != null ? what : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return none("interrupted");
    }
  }

  private Result download(String repo, long artifactId, String where, Path dest)
      throws IOException, InterruptedException {
    HttpResponse<InputStream> r = send(URI.create(apiUrl + "/repos/" + repo + "/actions/artifacts/" + artifactId
        + "/zip"), true);
    for (int hops = 0; r.statusCode() / 100 == 3 && hops < 3; hops++) {
      String location = r.headers().firstValue("Location").orElse(null);
      r.body().close();
      if (location == null) {
        return none(where + ": a redirect without a Location");
      }
      // The storage URL is signed; the token must not travel to another host.
      r = send(URI.create(apiUrl + "/").resolve(location), false);
    }
    try (InputStream body = r.body()) {
      if (r.statusCode() == 410) {
        return none(where + " has expired (HTTP 410 on download)");
      }
      if (r.statusCode() != 200) {
        return none(where + " could not be downloaded (HTTP " + r.statusCode() + ")");
      }
      // on disk, not in memory: the heap holds the diff's rows, never a whole artifact
      Path zip = Files.createTempFile("layerslim-artifact-", ".zip");
      try {
        if (!copyAtMost(body, zip, MAX_ZIP_BYTES)) {
          return none(where + " is larger than " + MAX_ZIP_BYTES + " bytes, too large for a report");
        }
        return extract(zip, where, dest);
      } finally {
        Files.deleteIfExists(zip);
      }
    }
  }

  /**
   * report.json from the artifact's zip, written to {@code dest} when the baseline reader takes it.
   * Anything else (no such entry, a malformed, foreign, newer or oversized report) is a notice: the
   * file is someone else's (the base branch's build), so it never fails this build.
   */
  private Result extract(Path zip, String where, Path dest) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        // upload-artifact stores a single file at the root; nothing else is taken.
        if (e.isDirectory() || !e.getName().equals("report.json")) {
          continue;
        }
        Files.createDirectories(dest.toAbsolutePath().getParent());
        if (!copyAtMost(in, dest, MAX_REPORT_BYTES)) {
          Files.deleteIfExists(dest);
          return none(where + ": report.json is larger than " + MAX_REPORT_BYTES + " bytes");
        }
        try {
          Baseline.read(dest);
        } catch (Baseline.Unusable bad) {
          Files.deleteIfExists(dest);
          return none(where + ": report.json is " + bad.getMessage());
        }
        return new Result(dest, "baseline: report.json from " + where);
      }
    } catch (java.util.zip.ZipException e) {
      return none(where + " is not a valid zip (" + e.getMessage() + ")");
    }
    return none(where + " holds no report.json at its root");
  }

  /** Copies {@code in} to {@code file}; false (the file then partial) when it holds more than {@code max} bytes. */
  private static boolean copyAtMost(InputStream in, Path file, long max) throws IOException {
    long total = 0;
    byte[] buf = new byte[64 * 1024];
    try (var out = Files.newOutputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
        if (total > max) {
          return false;
        }
        out.write(buf, 0, n);
      }
    }
    return true;
  }

  /** The JSON answer, null for 401/403/404 (no permission or no such workflow); other errors throw. */
  private JsonNode getJson(String path, String what) throws IOException, InterruptedException {
    HttpResponse<InputStream> r = send(URI.create(apiUrl + path), true);
    try (InputStream body = r.body()) {
      if (r.statusCode() == 403 || r.statusCode() == 404 || r.statusCode() == 401) {
        if (r.statusCode() == 401) {
          throw new IOException("GitHub refused the token while " + what
              + " (HTTP 401): the input github-token is invalid or expired");
        }
        return null;
      }
      if (r.statusCode() != 200) {
        throw new IOException("GitHub answered HTTP " + r.statusCode() + " while " + what);
      }
      byte[] bytes = readAtMost(body, 16L << 20);
      try {
        return JSON.readTree(bytes == null ? new byte[0] : bytes);
      } catch (IOException e) {
        throw new IOException("GitHub answered " + what + " with a body that is not JSON", e);
      }
    }
  }

  private HttpResponse<InputStream> send(URI uri, boolean withToken) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(http.timeouts().read()).GET()
        .header("Accept", withToken ? "application/vnd.github+json" : "*/*")
        .header("X-GitHub-Api-Version", "2022-11-28");
    if (withToken) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.client().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  /** All of {@code in}, or null when it holds more than {@code max} bytes. */
  private static byte[] readAtMost(InputStream in, long max) throws IOException {
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
    return bytes.length > max ? null : bytes;
  }

  /** {@code layer.yml} from {@code octo/app/.github/workflows/layer.yml@refs/pull/7/merge}. */
  static String workflowFile(String workflowRef) {
    int at = workflowRef.indexOf('@');
    String path = at < 0 ? workflowRef : workflowRef.substring(0, at);
    int slash = path.lastIndexOf('/');
    String file = slash < 0 ? path : path.substring(slash + 1);
    return file.endsWith(".yml") || file.endsWith(".yaml") ? file : null;
  }

  private static String shortSha(String sha) {
    return sha.length() > 7 ? sha.substring(0, 7) : sha;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Result none(String why) {
    return new Result(null, "no baseline: " + why);
  }
}
