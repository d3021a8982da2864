package dev.layerslim.audit;

import dev.layerslim.layer.Names;
import dev.layerslim.layer.Target;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The values PEP 508 marker variables take on a Lambda runtime, plus the extras being evaluated.
 *
 * @param values marker variable → value ({@code python_version} → {@code 3.11})
 * @param extras the extras the requirer asked for, normalised; a marker that tests {@code extra} is
 *     true when it holds for one of them or for no extra at all (see {@link Marker#evaluate})
 */
public record MarkerEnvironment(Map<String, String> values, Set<String> extras) {

  /** Every variable PEP 508 defines (besides {@code extra}). */
  public static final Set<String> VARIABLES = Set.of("python_version", "python_full_version",
      "os_name", "sys_platform", "platform_release", "platform_system", "platform_version",
      "platform_machine", "platform_python_implementation", "implementation_name",
      "implementation_version");

  /**
   * The patch release assumed for each runtime's {@code python_full_version}. Lambda keeps its
   * runtimes on a recent patch and does not promise which; these are late patches of each line, so
   * that a marker excluding an early buggy patch ({@code python_full_version >= "3.11.1"}) holds, as it
   * does on Lambda.
   */
  private static final Map<String, String> FULL_VERSIONS = Map.of("3.9", "3.9.23", "3.10", "3.10.18",
      "3.11", "3.11.13", "3.12", "3.12.11", "3.13", "3.13.7", "3.14", "3.14.0");

  public MarkerEnvironment {
    values = Map.copyOf(values);
    Set<String> norm = new TreeSet<>();
    for (String e : extras) {
      norm.add(Names.normalize(e));
    }
    extras = Set.copyOf(norm);
  }

  /** The environment of {@code target}'s Lambda runtime, with no extras. */
  public static MarkerEnvironment of(Target target) {
    String full = FULL_VERSIONS.getOrDefault(target.python(), target.python() + ".0");
    Map<String, String> v = new LinkedHashMap<>();
    v.put("python_version", target.python());
    v.put("python_full_version", full);
    v.put("os_name", "posix");
    v.put("sys_platform", "linux");
    v.put("platform_system", "Linux");
    v.put("platform_machine", target.arch().machine());
    v.put("platform_python_implementation", "CPython");
    v.put("implementation_name", "cpython");
    v.put("implementation_version", full);
    // The kernel release and version of Lambda's hosts are not published and change: markers on
    // them are rare, and an empty value makes them compare as strings instead of failing.
    v.put("platform_release", "");
    v.put("platform_version", "");
    return new MarkerEnvironment(v, Set.of());
  }

  /** This environment with {@code active} as the extras. */
  public MarkerEnvironment withExtras(Set<String> active) {
    return new MarkerEnvironment(values, active);
  }

  /** The value of a variable; {@code extra} is not one (it is evaluated per active extra). */
  public String value(String variable) {
    String v = values.get(variable);
    if (v == null) {
      throw new IllegalArgumentException("unknown marker variable " + variable);
    }
    return v;
  }
}
