package dev.layerslim.github;

import dev.layerslim.github.GitHubSession.RateLimited;
import dev.layerslim.reportfile.Baseline;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.kohsuke.github.GHArtifact;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHWorkflow;
import org.kohsuke.github.GHWorkflowRun;
import org.kohsuke.github.HttpException;

/**
 * {@code baseline: auto}: the report.json of the newest successful run of this workflow on the pull
 * request's base branch, from its artifact {@code layerslim-<comment-key>} (which the workflow
 * uploads on pushes to that branch, see docs/action.md).
 *
 * <p>Through the run's {@link GitHubSession} (hub4j), with the token of the run ({@code actions: read}):
 * {@code GET /repos/{o}/{r}}, {@code GET /repos/{o}/{r}/actions/workflows/{file}} (for its id),
 * {@code GET /repos/{o}/{r}/actions/runs?branch=B&event=push&status=success} (paged, this workflow's
 * runs taken), {@code GET /repos/{o}/{r}/actions/runs/{id}/artifacts}, and
 * {@code GET /repos/{o}/{r}/actions/artifacts/{id}/zip}, which answers 302 to a storage URL that is
 * fetched without the token ({@link GitHubHttp#send}). Finding nothing (no run, an expired artifact,
 * 410 on download, no permission) is a {@link Result#notice()}, never a failure: the build goes on
 * without a baseline.
 */
public final class BaselineFinder {
  /** A zip larger than this is not a layerslim report artifact. */
  static final long MAX_ZIP_BYTES = 64L << 20;
  /** report.json is read up to this size. */
  static final long MAX_REPORT_BYTES = 64L << 20;
  /** How many of the newest successful runs are searched for the artifact. */
  static final int RUNS_SEARCHED = 5;
  /**
   * How many of the base branch's successful push runs, of all the repository's workflows, are looked
   * through for this workflow's (the API filters runs by branch, event and status, not by workflow
   * through hub4j): three pages of 100.
   */
  static final int RUNS_LISTED = 300;

  /**
   * @param report the downloaded report.json, or null when none was found
   * @param notice one line for the log: where the baseline came from, or why there is none
   */
  public record Result(Path report, String notice) {}

  private final GitHubSession session;

  BaselineFinder(GitHubSession session) {
    this.session = session;
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
    String step = "listing the runs of " + workflow;
    try {
      List<GHWorkflowRun> runs;
      try {
        GHRepository repository = session.call(() -> session.github().getRepository(repo));
        GHWorkflow wf = session.call(() -> repository.getWorkflow(workflow));
        runs = session.call(() -> runs(repository, wf.getId(), base));
      } catch (IOException e) {
        if (GitHubSession.isPermission(e) && GitHubSession.status(e) != 401) {
          return none("the token may not read the workflow runs (give the job 'permissions: actions: read')");
        }
        throw e;
      }
      if (runs.isEmpty()) {
        return none("no successful push run of " + workflow + " on " + base + " yet");
      }
      GHArtifact expired = null;
      for (GHWorkflowRun run : runs) {
        step = "listing the artifacts of run " + run.getId();
        GHArtifact art = artifact(run, name);
        if (art == null) {
          continue;
        }
        if (art.isExpired()) {
          expired = expired == null ? art : expired;
          continue;
        }
        String where = "artifact " + name + " of run " + (run.getRunNumber() > 0 ? run.getRunNumber() : run.getId())
            + " on " + base + " (" + shortSha(String.valueOf(run.getHeadSha())) + ")";
        if (art.getSizeInBytes() > MAX_ZIP_BYTES) {
          return none(where + " is " + art.getSizeInBytes() + " bytes, too large for a report");
        }
        step = "downloading " + where;
        return download(art, where, dest);
      }
      if (expired != null) {
        return none("artifact " + name + " has expired (expires_at " + (expired.getExpiresAt() == null ? "?"
            : expired.getExpiresAt().toInstant()) + "); the next push to " + base + " uploads a new one");
      }
      return none("no artifact " + name + " in the last " + runs.size() + " successful push run(s) of " + workflow
          + " on " + base + " (does the workflow upload it, with this comment-key?)");
    } catch (IOException e) {
      return none(describe(step, e));
    }
  }

  /** The newest {@link #RUNS_SEARCHED} successful push runs of workflow {@code workflowId} on {@code base}. */
  private static List<GHWorkflowRun> runs(GHRepository repo, long workflowId, String base) {
    List<GHWorkflowRun> ours = new ArrayList<>();
    int listed = 0;
    for (GHWorkflowRun run : repo.queryWorkflowRuns().branch(base).event("push")
        .conclusion(GHWorkflowRun.Conclusion.SUCCESS).list().withPageSize(100)) {
      if (run.getWorkflowId() == workflowId) {
        ours.add(run);
        if (ours.size() == RUNS_SEARCHED) {
          break;
        }
      }
      if (++listed >= RUNS_LISTED) {
        break;
      }
    }
    return ours;
  }

  /** The run's artifact named {@code name}; null when it has none, or the token may not list them. */
  private GHArtifact artifact(GHWorkflowRun run, String name) throws IOException {
    try {
      return session.call(() -> {
        for (GHArtifact a : run.listArtifacts().withPageSize(100)) {
          if (name.equals(a.getName())) {
            return a;
          }
        }
        return null;
      });
    } catch (IOException e) {
      if (GitHubSession.isPermission(e) && GitHubSession.status(e) != 401) {
        return null;
      }
      throw e;
    }
  }

  /**
   * The artifact's zip, on disk (the heap holds the diff's rows, never a whole artifact), then its
   * report.json. hub4j follows the API's 302 to the storage URL; the connector sends that without the token.
   */
  private Result download(GHArtifact art, String where, Path dest) throws IOException {
    Path zip = Files.createTempFile("layerslim-artifact-", ".zip");
    try {
      boolean fits;
      try {
        fits = session.call(() -> art.download(in -> copyAtMost(in, zip, MAX_ZIP_BYTES)));
      } catch (IOException e) {
        int code = GitHubSession.status(e);
        if (code == 410) {
          return none(where + " has expired (HTTP 410 on download)");
        }
        if (code > 0 && code != 401 && !(e instanceof RateLimited) && GitHubErrors.describe(e) == null) {
          return none(where + " could not be downloaded (HTTP " + code + ")");
        }
        throw e;
      }
      if (!fits) {
        return none(where + " is larger than " + MAX_ZIP_BYTES + " bytes, too large for a report");
      }
      return extract(zip, where, dest);
    } finally {
      Files.deleteIfExists(zip);
    }
  }

  private static String describe(String step, IOException e) {
    if (e instanceof RateLimited r) {
      return "GitHub rate-limited " + step + " (HTTP " + r.getResponseCode() + ") and asked to wait longer than "
          + "layerslim waits";
    }
    if (GitHubSession.status(e) == 401) {
      return "GitHub refused the token while " + step + " (HTTP 401): the input github-token is invalid or expired";
    }
    String what = GitHubErrors.describe(e);
    if (what != null) {
      return what + " while " + step;
    }
    if (e instanceof HttpException h) {
      return "GitHub answered HTTP " + h.getResponseCode() + " while " + step;
    }
    return "could not reach GitHub while " + step + ": " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : " " + GitHubErrors.firstLine(e.getMessage()));
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

  private static Result none(String why) {
    return new Result(null, "no baseline: " + why);
  }
}
