package dev.layerslim.github;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.kohsuke.github.GHException;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * All of one run's talk with GitHub: one hub4j client on one connector ({@link GitHubHttp}, with its
 * timeouts) and one {@link RetryPolicy}, shared by the sticky comment, the baseline finder and the
 * release uploader. Opening it makes no request.
 *
 * <p>Rate limits (403/429 with rate-limit headers or Retry-After), 5xx and timeouts are retried per
 * the policy by {@link #call}; hub4j's own waiting (up to an hour for a rate-limit reset) is switched
 * off: its handlers here fail at once with {@link RateLimited}, and the policy decides.
 */
public final class GitHubSession {
  /** The GitHub API of github.com; {@code GITHUB_API_URL} points elsewhere on GitHub Enterprise Server. */
  public static final String DEFAULT_API_URL = "https://api.github.com";

  private final GitHub github;
  private final RetryPolicy retry;

  private GitHubSession(GitHub github, RetryPolicy retry) {
    this.github = github;
    this.retry = retry;
  }

  /**
   * A session for {@code apiUrl} (GitHub.com's API or an Enterprise server's {@code /api/v3}) with
   * {@code token}, each request bounded by the policy's timeouts.
   *
   * @throws IOException when hub4j refuses the URL
   */
  public static GitHubSession open(String apiUrl, String token, RetryPolicy retry) throws IOException {
    GitHub github = new GitHubHttp(retry.timeouts()).connect(apiUrl, token, new FailFastRateLimit(),
        new FailFastAbuseLimit());
    return new GitHubSession(github, retry);
  }

  /** The pull request's sticky comment. */
  public StickyComment stickyComment() {
    return new StickyComment(this);
  }

  /** {@code baseline: auto}. */
  public BaselineFinder baselineFinder() {
    return new BaselineFinder(this);
  }

  /** Release assets. */
  public ReleaseUploader releaseUploader() {
    return new ReleaseUploader(this);
  }

  GitHub github() {
    return github;
  }

  @FunctionalInterface
  interface Call<T> {
    T run() throws IOException;
  }

  /** Runs {@code call}, retrying rate limits, 5xx and timeouts within the policy's bounds. */
  <T> T call(Call<T> call) throws IOException {
    return call(call, true);
  }

  /** Runs a call that must not be repeated blindly (a POST): only a rate limit (nothing was done) is retried. */
  <T> T callOnce(Call<T> call) throws IOException {
    return call(call, false);
  }

  private <T> T call(Call<T> call, boolean idempotent) throws IOException {
    long waitedMs = 0;
    for (int attempt = 1; ; attempt++) {
      try {
        try {
          return call.run();
        } catch (GHException e) {
          // paging wraps a failed page fetch in an unchecked exception
          throw e.getCause() instanceof IOException io ? io : new IOException(e);
        }
      } catch (IOException e) {
        Duration wait = idempotent || e instanceof RateLimited ? retryWait(e, attempt + 1) : null;
        if (!mayRetry(wait, attempt, waitedMs)) {
          throw e;
        }
        sleep(wait);
        waitedMs += wait.toMillis();
      }
    }
  }

  /** Whether a wait of {@code wait} before try {@code attempt + 1} fits the policy, {@code waitedMs} spent. */
  boolean mayRetry(Duration wait, int attempt, long waitedMs) {
    return wait != null && attempt < retry.attempts() && waitedMs + wait.toMillis() <= retry.maxTotal().toMillis();
  }

  /** How long to wait before try {@code next}, or null when {@code e} is not worth retrying. */
  Duration retryWait(IOException e, int next) {
    if (e instanceof RateLimited r) {
      return r.waitMillis >= 0 ? Duration.ofMillis(r.waitMillis) : retry.backoff(next);
    }
    if (e instanceof HttpException h && h.getResponseCode() >= 500) {
      return retry.backoff(next);
    }
    if (GitHubErrors.isTimeout(e)) {
      return retry.backoff(next);
    }
    return null;
  }

  static void sleep(Duration d) throws IOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting to retry");
    }
  }

  /** 401, 403 (not a rate limit) or 404: the token may not, or the thing is not there. */
  static boolean isPermission(IOException e) {
    if (e instanceof FileNotFoundException) {
      return true; // hub4j reports 404 this way
    }
    return e instanceof HttpException h && !(e instanceof RateLimited)
        && (h.getResponseCode() == 401 || h.getResponseCode() == 403 || h.getResponseCode() == 404);
  }

  /** The HTTP status of {@code e}: hub4j's 404 is a FileNotFoundException; -1 when there was no answer. */
  static int status(IOException e) {
    if (e instanceof HttpException h) {
      return h.getResponseCode();
    }
    return e instanceof FileNotFoundException ? 404 : -1;
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
