package dev.layerslim.strip;

import java.util.List;

/**
 * The result of one strip run.
 *
 * @param outcomes one per ELF file considered, sorted by path
 * @param skipped true when the whole step did nothing (no strip executable); nothing was changed
 * @param skipReason why it was skipped, for a warning; empty otherwise
 */
public record StripSummary(List<StripOutcome> outcomes, boolean skipped, String skipReason) {
  public StripSummary {
    outcomes = List.copyOf(outcomes);
    skipReason = skipReason == null ? "" : skipReason;
  }

  /** A step that changed nothing, with the warning to show. */
  public static StripSummary skipped(String reason) {
    return new StripSummary(List.of(), true, reason);
  }

  /** Total bytes saved by the files actually stripped. */
  public long bytesSaved() {
    return outcomes.stream().mapToLong(StripOutcome::saved).sum();
  }

  /** Total size of the files considered, before. */
  public long bytesBefore() {
    return outcomes.stream().mapToLong(StripOutcome::before).sum();
  }

  /** Total size of the files considered, after. */
  public long bytesAfter() {
    return outcomes.stream().mapToLong(StripOutcome::after).sum();
  }

  /** How many files ended with {@code status}. */
  public long count(StripOutcome.Status status) {
    return outcomes.stream().filter(o -> o.status() == status).count();
  }
}
