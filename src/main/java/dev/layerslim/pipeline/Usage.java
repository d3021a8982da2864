package dev.layerslim.pipeline;

import java.util.Set;

/**
 * What the audit step found: which distributions the handler's imports reach.
 *
 * @param used distributions the handler's imports reach (with their requirements and {@code --keep});
 *     null when no audit ran (no handler given): then every distribution counts as used
 * @param runtimeProvided distributions the Lambda runtime already provides (boto3 &amp; co.)
 */
public record Usage(Set<String> used, Set<String> runtimeProvided) {

  public Usage {
    used = used == null ? null : Set.copyOf(used);
    runtimeProvided = Set.copyOf(runtimeProvided);
  }

  /** No audit ran: everything counts as used, nothing is known to be provided by the runtime. */
  public static Usage unaudited() {
    return new Usage(null, Set.of());
  }

  public boolean audited() {
    return used != null;
  }

  /** Whether {@code distribution} counts as used (always, when no audit ran). */
  public boolean isUsed(String distribution) {
    return used == null || used.contains(distribution);
  }
}
