package dev.layerslim.archive;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deflated bytes a zip (and the prefetch that feeds it) may hold in memory at once: a file that
 * would go over it is deflated to a scratch file instead, the same bytes either way. Each build's
 * zip has its own, so two zips in one process neither share nor wait on each other's memory.
 */
final class MemoryBudget {
  private final long limit;
  private final AtomicLong held = new AtomicLong();

  MemoryBudget(long limit) {
    this.limit = limit;
  }

  /** 64 MiB, or an eighth of the heap when that is less. */
  static MemoryBudget forHeap() {
    return new MemoryBudget(Math.min(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 8));
  }

  long limit() {
    return limit;
  }

  /** Bytes held now. */
  long held() {
    return held.get();
  }

  /** Takes {@code n} bytes, or nothing and null when they do not fit. */
  Reservation reserve(long n) {
    while (true) {
      long h = held.get();
      if (h + n > limit) {
        return null;
      }
      if (held.compareAndSet(h, h + n)) {
        return new Reservation(this, n);
      }
    }
  }

  /** Bytes taken from a budget; {@link #release} gives them back once, however often it is called. */
  static final class Reservation {
    private final MemoryBudget budget;
    private final long bytes;
    private final AtomicBoolean released = new AtomicBoolean();

    private Reservation(MemoryBudget budget, long bytes) {
      this.budget = budget;
      this.bytes = bytes;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        budget.held.addAndGet(-bytes);
      }
    }
  }
}
