package dev.layerslim.github;

import java.time.Duration;

/**
 * How often and how long to retry a GitHub call that hit a rate limit or a server error. Bounded
 * on purpose: a comment is not worth holding a CI job for minutes.
 *
 * @param attempts tries in all, the first included
 * @param firstDelay the wait before the second try when the server names none; tripled each time
 * @param maxTotal the most time spent waiting across all tries; a server that asks for longer
 *     (Retry-After, a rate-limit reset) makes the call give up at once
 */
public record RetryPolicy(int attempts, Duration firstDelay, Duration maxTotal) {
  /** Three tries, waits of 1 s and 3 s, at most 10 s in all. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(10));

  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
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
