package dev.layerslim.github;

import java.time.Duration;

/**
 * How often and how long to retry a GitHub call that hit a rate limit, a server error or a timeout
 * (one policy per run, in its {@link GitHubSession}). Bounded on purpose: a comment is not worth
 * holding a CI job for minutes.
 *
 * @param attempts tries in all, the first included
 * @param firstDelay the wait before the second try when the server names none; tripled each time
 * @param maxTotal the most time spent waiting across all tries; a server that asks for longer
 *     (Retry-After, a rate-limit reset) makes the call give up at once
 * @param timeouts how long each request and the whole GitHub phase may take
 */
public record RetryPolicy(int attempts, Duration firstDelay, Duration maxTotal, GitHubHttp.Timeouts timeouts) {
  /** Three tries, waits of 1 s and 3 s, at most 10 s in all; the default timeouts. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(10));

  /** With the default timeouts. */
  public RetryPolicy(int attempts, Duration firstDelay, Duration maxTotal) {
    this(attempts, firstDelay, maxTotal, GitHubHttp.Timeouts.DEFAULT);
  }

  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
    if (timeouts == null) {
      throw new IllegalArgumentException("timeouts must be set");
    }
  }

  /** The wait before try {@code next} (2, 3, …) when the server did not say. */
  Duration backoff(int next) {
    long ms = firstDelay.toMillis();
    for (int i = 2; i < next; i++) {
      ms *= 3;
    }
    return Duration.ofMillis(ms);
  }
}
