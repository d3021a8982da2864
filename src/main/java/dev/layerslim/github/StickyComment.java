package dev.layerslim.github;

import dev.layerslim.github.GitHubSession.RateLimited;
import java.io.IOException;
import java.time.Duration;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.HttpException;

/**
 * One comment per layer on a pull request, found again by its hidden marker and updated in place.
 *
 * <p>It pages through all of the PR's issue comments and takes the one that carries the marker
 * and was written by the token's own account: {@code GET /user} (asked once) names it for a user
 * token; the Actions {@code GITHUB_TOKEN} and a GitHub App installation token cannot read
 * {@code /user} (403) and comment as {@code github-actions[bot]} or {@code <app-slug>[bot]}, so then
 * any bot account's comment with the marker is ours, never a user's. Among several, the one whose
 * id marker names its own id wins. Other people's comments that quote the marker are left alone.
 *
 * <p>Creating the comment is not retried blindly: after a 5xx or a timeout on the POST, the
 * comments are listed again first, so a comment GitHub saved before failing is not posted twice.
 *
 * <p>Rate limits (403/429 with rate-limit headers or Retry-After) and 5xx are retried per the
 * session's {@link RetryPolicy} ({@link GitHubSession#call}). Nothing here throws for an HTTP failure: the {@link Result} says what happened, and the
 * caller turns a failure into a warning, never a failed check.
 */
public final class StickyComment {
  /** What {@link #upsert} did. */
  public enum Outcome { CREATED, UPDATED, FAILED }

  /**
   * @param url the comment's html_url when it was written
   * @param message for FAILED, why (a sentence for the log)
   */
  public record Result(Outcome outcome, String url, String message) {}

  private final GitHubSession session;
  private final GitHub github;

  StickyComment(GitHubSession session) {
    this.session = session;
    this.github = session.github();
  }

  /**
   * Creates or updates the comment with {@code marker} on PR {@code number} of {@code repository}.
   * The comment it writes carries its own id in a second hidden marker ({@link #idMarker}), so a later
   * run can tell it from a copy of its text in someone else's comment.
   */
  public Result upsert(String repository, int number, String marker, String body) {
    String step = "reading " + repository;
    try {
      Identity me = identity();
      GHRepository repo = call(() -> github.getRepository(repository));
      step = "reading pull request #" + number;
      GHIssue issue = call(() -> repo.getIssue(number));
      step = "listing the comments of #" + number;
      GHIssueComment existing = call(() -> find(issue, marker, me));
      if (existing != null) {
        step = "updating comment " + existing.getId();
        update(existing, body);
        return new Result(Outcome.UPDATED, String.valueOf(existing.getHtmlUrl()), null);
      }
      step = "commenting on #" + number;
      return create(issue, marker, me, body);
    } catch (IOException e) {
      return new Result(Outcome.FAILED, null, describe(step, e));
    }
  }

  private void update(GHIssueComment existing, String body) throws IOException {
    String withId = withId(body, existing.getId());
    call(() -> {
      existing.update(withId);
      return null;
    });
  }

  /**
   * POSTs the comment. A POST is not idempotent: after a 5xx or a timeout GitHub may have saved the
   * comment anyway, so before posting again the comments are listed again, and a comment of ours
   * that appeared is taken (and updated) instead of posting a second one.
   */
  private Result create(GHIssue issue, String marker, Identity me, String body) throws IOException {
    long waitedMs = 0;
    for (int attempt = 1; ; attempt++) {
      try {
        GHIssueComment created = callOnce(() -> issue.comment(body));
        return new Result(Outcome.CREATED, String.valueOf(created.getHtmlUrl()), null);
      } catch (IOException e) {
        Duration wait = e instanceof RateLimited ? null : session.retryWait(e, attempt + 1);
        if (!session.mayRetry(wait, attempt, waitedMs)) {
          throw e;
        }
        GitHubSession.sleep(wait);
        waitedMs += wait.toMillis();
        GHIssueComment saved = call(() -> find(issue, marker, me));
        if (saved != null) {
          update(saved, body);
          return new Result(Outcome.CREATED, String.valueOf(saved.getHtmlUrl()), null);
        }
      }
    }
  }

  /**
   * Whose comments are ours: the login {@code GET /user} names, or, when the token may not read
   * {@code /user} (the Actions GITHUB_TOKEN, a GitHub App installation token), any bot account.
   * Asked once per instance, whatever happens.
   */
  record Identity(String login) {
    // hub4j deprecates getUserName() with no replacement that stays offline: getUser() asks GitHub
    // GET /users/{login} for each new author, an extra call that can fail, for a login the listing already holds
    @SuppressWarnings("deprecation")
    boolean owns(GHIssueComment c) {
      String author = c.getUserName();
      if (author == null) {
        return false;
      }
      // GitHub reserves the [bot] suffix to App accounts (type Bot); a user's login cannot hold brackets.
      return login == null ? author.toLowerCase(java.util.Locale.ROOT).endsWith("[bot]")
          : login.equalsIgnoreCase(author);
    }
  }

  private Identity identity;

  private Identity identity() throws IOException {
    if (identity == null) {
      identity = new Identity(call(this::ownLogin));
    }
    return identity;
  }

  /** The token's own login; null when the token cannot read {@code /user}. */
  private String ownLogin() throws IOException {
    try {
      return github.getMyself().getLogin();
    } catch (IOException e) {
      if (GitHubSession.isPermission(e) && !(e instanceof HttpException h && h.getResponseCode() == 401)) {
        return null;
      }
      throw e;
    }
  }

  /** The second hidden marker: the id of the comment that carries it. */
  public static String idMarker(long id) {
    return "<!-- layerslim-comment-id:" + id + " -->";
  }

  private static final java.util.regex.Pattern ID_MARKER =
      java.util.regex.Pattern.compile("<!-- layerslim-comment-id:(\\d+) -->");

  /** {@code body} carrying {@link #idMarker} for {@code id} after its first line (the key marker). */
  static String withId(String body, long id) {
    String clean = ID_MARKER.matcher(body).replaceAll("");
    int nl = clean.indexOf('\n');
    return nl < 0 ? clean + "\n" + idMarker(id) : clean.substring(0, nl + 1) + idMarker(id) + clean.substring(nl);
  }

  /**
   * The comment of ours with {@code marker}: the first one by {@code me} whose id marker names
   * itself, else the first one by {@code me}.
   */
  private static GHIssueComment find(GHIssue issue, String marker, Identity me) throws IOException {
    GHIssueComment first = null;
    for (GHIssueComment c : issue.listComments().withPageSize(100)) {
      String body = c.getBody();
      if (body == null || !body.contains(marker) || !me.owns(c)) {
        continue;
      }
      if (body.contains(idMarker(c.getId()))) {
        return c;
      }
      if (first == null) {
        first = c;
      }
    }
    return first;
  }

  private <T> T call(GitHubSession.Call<T> call) throws IOException {
    return session.call(call);
  }

  private <T> T callOnce(GitHubSession.Call<T> call) throws IOException {
    return session.callOnce(call);
  }

  private static String describe(String step, IOException e) {
    if (e instanceof RateLimited r) {
      return "GitHub rate-limited " + step + " (HTTP " + r.getResponseCode() + ") and asked to wait longer than "
          + "layerslim waits; the comment was not written";
    }
    if (e instanceof HttpException h && h.getResponseCode() == 401) {
      return "GitHub refused the token while " + step + " (HTTP 401): the input github-token is invalid or "
          + "expired; pass a current one (the default ${{ github.token }} is valid for the job's run)";
    }
    if (GitHubSession.isPermission(e)) {
      int code = e instanceof HttpException h ? h.getResponseCode() : 404;
      return "no permission for " + step + " (HTTP " + code + "): a pull request from a fork gets a read-only "
          + "token; post comment.md from a workflow_run job instead (see the README, 'Pull requests from forks'), or give the job "
          + "'permissions: pull-requests: write'";
    }
    String what = GitHubErrors.describe(e);
    if (what != null) {
      return what + " while " + step + "; the comment was not written";
    }
    if (e instanceof HttpException h) {
      return "GitHub failed " + step + " (HTTP " + h.getResponseCode() + ") after retrying; the comment was not "
          + "written";
    }
    return "could not reach GitHub while " + step + ": " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : " " + GitHubErrors.firstLine(e.getMessage()));
  }
}
