package dev.layerslim.github;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import org.kohsuke.github.GHException;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * One comment per layer on a pull request, found again by its hidden marker and updated in place.
 *
 * <p>It pages through all of the PR's issue comments and takes the first that carries the marker
 * and was written by the token's own account: {@code GET /user} names it for a user token; the
 * Actions {@code GITHUB_TOKEN} cannot read {@code /user} (403), and its comments are by
 * {@code github-actions[bot]}. Other people's comments that quote the marker are left alone.
 *
 * <p>Rate limits (403/429 with rate-limit headers or Retry-After) and 5xx are retried per the
 * {@link RetryPolicy}; hub4j's own waiting (up to an hour for a rate-limit reset) is switched
 * off. Nothing here throws for an HTTP failure: the {@link Result} says what happened, and the
 * caller turns a failure into a warning, never a failed check.
 */
public final class StickyComment {
  /** The login the Actions GITHUB_TOKEN comments as. */
  public static final String ACTIONS_BOT = "github-actions[bot]";

  /** What {@link #upsert} did. */
  public enum Outcome { CREATED, UPDATED, FAILED }

  /**
   * @param url the comment's html_url when it was written
   * @param message for FAILED, why (a sentence for the log)
   */
  public record Result(Outcome outcome, String url, String message) {}

  private final GitHub github;
  private final RetryPolicy retry;

  public StickyComment(GitHub github, RetryPolicy retry) {
    this.github = github;
    this.retry = retry;
  }

  /** A client for {@code apiUrl} (GitHub.com or an Enterprise server's {@code /api/v3}) with {@code token}. */
  public static GitHub connect(String apiUrl, String token) throws IOException {
    return new GitHubBuilder().withEndpoint(apiUrl).withOAuthToken(token)
        .withRateLimitHandler(new FailFastRateLimit()).withAbuseLimitHandler(new FailFastAbuseLimit()).build();
  }

  /** Creates or updates the comment with {@code marker} on PR {@code number} of {@code repository}. */
  public Result upsert(String repository, int number, String marker, String body) {
    String step = "reading " + repository;
    try {
      String me = call(this::ownLogin);
      GHRepository repo = call(() -> github.getRepository(repository));
      step = "reading pull request #" + number;
      GHIssue issue = call(() -> repo.getIssue(number));
      step = "listing the comments of #" + number;
      GHIssueComment existing = call(() -> find(issue, marker, me));
      if (existing != null) {
        step = "updating comment " + existing.getId();
        call(() -> {
          existing.update(body);
          return null;
        });
        return new Result(Outcome.UPDATED, String.valueOf(existing.getHtmlUrl()), null);
      }
      step = "commenting on #" + number;
      GHIssueComment created = call(() -> issue.comment(body));
      return new Result(Outcome.CREATED, String.valueOf(created.getHtmlUrl()), null);
    } catch (IOException e) {
      return new Result(Outcome.FAILED, null, describe(step, e));
    }
  }

  /** The token's own login; the Actions bot when the token cannot read {@code /user}. */
  private String ownLogin() throws IOException {
    try {
      return github.getMyself().getLogin();
    } catch (IOException e) {
      if (isPermission(e)) {
        return ACTIONS_BOT;
      }
      throw e;
    }
  }

  private static GHIssueComment find(GHIssue issue, String marker, String me) throws IOException {
    try {
      for (GHIssueComment c : issue.listComments().withPageSize(100)) {
        String body = c.getBody();
        if (body != null && body.contains(marker) && me.equalsIgnoreCase(c.getUserName())) {
          return c;
        }
      }
      return null;
    } catch (GHException e) {
      // Paging wraps a failed page fetch in an unchecked exception.
      throw e.getCause() instanceof IOException io ? io : new IOException(e);
    }
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws IOException;
  }

  /** Runs {@code call}, retrying rate limits, 5xx and timeouts within the policy's bounds. */
  private <T> T call(Call<T> call) throws IOException {
    long waitedMs = 0;
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (IOException e) {
        Duration wait = retryWait(e, attempt + 1);
        if (attempt >= retry.attempts() || wait == null
            || waitedMs + wait.toMillis() > retry.maxTotal().toMillis()) {
          throw e;
        }
        sleep(wait);
        waitedMs += wait.toMillis();
      }
    }
  }

  /** How long to wait before try {@code next}, or null when {@code e} is not worth retrying. */
  private Duration retryWait(IOException e, int next) {
    if (e instanceof RateLimited r) {
      return r.waitMillis >= 0 ? Duration.ofMillis(r.waitMillis) : retry.backoff(next);
    }
    if (e instanceof HttpException h && h.getResponseCode() >= 500) {
      return retry.backoff(next);
    }
    if (e instanceof SocketTimeoutException || e instanceof HttpTimeoutException) {
      return retry.backoff(next);
    }
    return null;
  }

  private static void sleep(Duration d) throws IOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting to retry");
    }
  }

  static boolean isPermission(IOException e) {
    if (e instanceof FileNotFoundException) {
      return true; // hub4j reports 404 this way
    }
    return e instanceof HttpException h && !(e instanceof RateLimited)
        && (h.getResponseCode() == 401 || h.getResponseCode() == 403 || h.getResponseCode() == 404);
  }

  private static String describe(String step, IOException e) {
    if (e instanceof RateLimited r) {
      return "GitHub rate-limited " + step + " (HTTP " + r.getResponseCode() + ") and asked to wait longer than "
          + "layerslim waits; the comment was not written";
    }
    if (isPermission(e)) {
      int code = e instanceof HttpException h ? h.getResponseCode() : 404;
      return "no permission for " + step + " (HTTP " + code + "): a pull request from a fork gets a read-only "
          + "token; post comment.md from a workflow_run job instead (see the README), or give the job "
          + "'permissions: pull-requests: write'";
    }
    if (e instanceof HttpException h) {
      return "GitHub failed " + step + " (HTTP " + h.getResponseCode() + ") after retrying; the comment was not "
          + "written";
    }
    return "could not reach GitHub while " + step + ": " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : " " + firstLine(e.getMessage()));
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** A rate-limit response, with the wait the server asked for (-1 when it named none). */
  static final class RateLimited extends HttpException {
    private static final long serialVersionUID = 1L;
    final long waitMillis;

    RateLimited(int code, String url, long waitMillis) {
      super("rate limited", code, "rate limited", url);
      this.waitMillis = waitMillis;
    }
  }

  /** Reads the wait from Retry-After (seconds) or X-RateLimit-Reset (epoch seconds). */
  static long waitMillis(GitHubConnectorResponse r) {
    try {
      String retryAfter = r.header("Retry-After");
      if (retryAfter != null) {
        return Math.max(0, Long.parseLong(retryAfter.trim()) * 1000);
      }
      String reset = r.header("X-RateLimit-Reset");
      if (reset != null) {
        return Math.max(0, Long.parseLong(reset.trim()) * 1000 - Instant.now().toEpochMilli());
      }
    } catch (NumberFormatException e) {
      // An HTTP-date Retry-After or a garbled header: fall back to our own back-off.
    }
    return -1;
  }

  /** Primary rate limit (403 with X-RateLimit-Remaining: 0): fail at once, {@link #call} decides. */
  private static final class FailFastRateLimit extends GitHubRateLimitHandler {
    @Override
    public void onError(GitHubConnectorResponse r) throws IOException {
      throw new RateLimited(r.statusCode(), String.valueOf(r.request().url()), waitMillis(r));
    }
  }

  /** Secondary rate limit (429, or 403 with Retry-After): fail at once, {@link #call} decides. */
  private static final class FailFastAbuseLimit extends GitHubAbuseLimitHandler {
    @Override
    public void onError(GitHubConnectorResponse r) throws IOException {
      throw new RateLimited(r.statusCode(), String.valueOf(r.request().url()), waitMillis(r));
    }
  }
}
