package dev.layerslim.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Distributions every Lambda Python runtime already has on {@code sys.path}, at the runtime's
 * versions: boto3 and its dependencies. AWS documents that "the Lambda Python runtimes include the
 * AWS SDK for Python (Boto3) and its dependencies"; botocore requires python-dateutil, which
 * requires six, so those two are in the runtime as well as boto3, botocore, s3transfer, jmespath
 * and urllib3.
 *
 * <p>A layer copy shadows the runtime's (the layer comes first on {@code sys.path}), so these are
 * only flagged, never treated as absent: whether to drop them is the user's choice.
 */
public final class RuntimeProvided {
  private RuntimeProvided() {}

  /** Normalised distribution name → the top-level import name it provides. */
  public static final Map<String, String> DISTRIBUTIONS = table();

  private static Map<String, String> table() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("boto3", "boto3");
    m.put("botocore", "botocore");
    m.put("s3transfer", "s3transfer");
    m.put("jmespath", "jmespath");
    m.put("urllib3", "urllib3");
    m.put("python-dateutil", "dateutil");
    m.put("six", "six");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Whether the runtime provides the distribution (normalised name). */
  public static boolean isProvided(String distribution) {
    return DISTRIBUTIONS.containsKey(distribution);
  }

  /** The runtime distribution that provides the top-level import name, or null. */
  public static String providerOf(String topLevelImport) {
    for (Map.Entry<String, String> e : DISTRIBUTIONS.entrySet()) {
      if (e.getValue().equals(topLevelImport)) {
        return e.getKey();
      }
    }
    return null;
  }
}
