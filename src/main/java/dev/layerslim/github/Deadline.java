package dev.layerslim.github;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A total time budget for GitHub calls: each task runs on a daemon thread and is abandoned
 * (interrupted, never joined) when the budget is spent, so no answer from GitHub can hold the job.
 * The per-request timeouts of {@link GitHubHttp} bound one request; this bounds all of them, retries
 * and rate-limit waits included.
 */
public final class Deadline {
  private final long endNanos;
  private final Duration total;

  private Deadline(Duration total) {
    this.total = total;
    this.endNanos = System.nanoTime() + total.toNanos();
  }

  /** A budget of {@code total} from now. */
  public static Deadline after(Duration total) {
    return new Deadline(total);
  }

  public Duration total() {
    return total;
  }

  /** What is left of the budget, never negative. */
  public Duration remaining() {
    return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
  }

  /**
   * Runs {@code task} within what is left of the budget.
   *
   * @throws TimeoutException when the budget ran out first (the task is interrupted and left behind)
   * @throws RuntimeException what the task threw, unwrapped (checked exceptions wrapped)
   */
  public <T> T run(String name, Callable<T> task) throws TimeoutException {
    FutureTask<T> future = new FutureTask<>(task);
    Thread t = new Thread(future, "layerslim-github-" + name);
    t.setDaemon(true);
    t.start();
    try {
      return future.get(remaining().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw e;
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new TimeoutException("interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(c);
    }
  }
}
