package dev.layerslim.audit;

import dev.layerslim.layer.Names;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A parsed PEP 508 environment marker: {@code python_version < "3.12" and (extra == "s3" or
 * 'linux' in sys_platform)}.
 *
 * <p>Parse with {@link #parse}, evaluate with {@link #evaluate}. Comparisons on {@code
 * python_version}, {@code python_full_version}, {@code platform_release} and {@code
 * implementation_version} use PEP 440 version order when both sides are versions; all others, and
 * versions that do not parse, compare as strings (as {@code packaging} falls back to).
 */
public sealed interface Marker {

  /** Both sides hold. */
  record And(Marker left, Marker right) implements Marker {}

  /** Either side holds. */
  record Or(Marker left, Marker right) implements Marker {}

  /** {@code left op right}; each side a variable or a quoted string. */
  record Compare(Operand left, String op, Operand right) implements Marker {}

  /** One side of a comparison. */
  sealed interface Operand {}

  /** A marker variable such as {@code python_version} or {@code extra}. */
  record Variable(String name) implements Operand {}

  /** A quoted string. */
  record Literal(String value) implements Operand {}

  /** Variables whose values are versions. */
  Set<String> VERSION_VARIABLES = Set.of("python_version", "python_full_version", "platform_release",
      "implementation_version");

  /** Old spellings some distributions still write (PEP 345). */
  Map<String, String> LEGACY_NAMES = Map.of("os.name", "os_name", "sys.platform", "sys_platform",
      "platform.version", "platform_version", "platform.machine", "platform_machine",
      "platform.python_implementation", "platform_python_implementation",
      "python_implementation", "platform_python_implementation");

  /**
   * Parses a marker.
   *
   * @throws RequirementSyntaxException naming the column where it is malformed
   */
  static Marker parse(String text) {
    return new MarkerParser(text).parseAll();
  }

  /**
   * Evaluates this marker in {@code env}. A marker that tests {@code extra} is evaluated once with
   * {@code extra} empty and once per active extra, and holds when any of those holds: pip evaluates
   * a requirement's dependencies that way, once for the base and once per requested extra.
   */
  default boolean evaluate(MarkerEnvironment env) {
    if (!usesExtra()) {
      return eval(this, env, "");
    }
    Set<String> candidates = new LinkedHashSet<>();
    candidates.add("");
    candidates.addAll(env.extras());
    for (String extra : candidates) {
      if (eval(this, env, extra)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the marker tests the {@code extra} variable anywhere. */
  default boolean usesExtra() {
    if (this instanceof And a) {
      return a.left().usesExtra() || a.right().usesExtra();
    }
    if (this instanceof Or o) {
      return o.left().usesExtra() || o.right().usesExtra();
    }
    Compare c = (Compare) this;
    return c.left() instanceof Variable l && l.name().equals("extra")
        || c.right() instanceof Variable r && r.name().equals("extra");
  }

  private static boolean eval(Marker m, MarkerEnvironment env, String extra) {
    if (m instanceof And a) {
      return eval(a.left(), env, extra) && eval(a.right(), env, extra);
    }
    if (m instanceof Or o) {
      return eval(o.left(), env, extra) || eval(o.right(), env, extra);
    }
    Compare c = (Compare) m;
    boolean extraCompare = isVar(c.left(), "extra") || isVar(c.right(), "extra");
    String lhs = value(c.left(), env, extra);
    String rhs = value(c.right(), env, extra);
    if (extraCompare) {
      // PEP 685: extra names compare normalised on both sides
      lhs = lhs.isEmpty() ? lhs : Names.normalize(lhs);
      rhs = rhs.isEmpty() ? rhs : Names.normalize(rhs);
    }
    boolean versions = c.left() instanceof Variable l && VERSION_VARIABLES.contains(l.name())
        || c.right() instanceof Variable r && VERSION_VARIABLES.contains(r.name());
    return compare(lhs, c.op(), rhs, versions);
  }

  private static boolean isVar(Operand o, String name) {
    return o instanceof Variable v && v.name().equals(name);
  }

  private static String value(Operand o, MarkerEnvironment env, String extra) {
    if (o instanceof Literal l) {
      return l.value();
    }
    String name = ((Variable) o).name();
    return name.equals("extra") ? extra : env.value(name);
  }

  private static boolean compare(String lhs, String op, String rhs, boolean versions) {
    switch (op) {
      case "in": return rhs.contains(lhs);
      case "not in": return !rhs.contains(lhs);
      case "===": return lhs.equals(rhs);
      default: break;
    }
    if (versions) {
      Boolean v = Versions.satisfies(lhs, op, rhs);
      if (v != null) {
        return v;
      }
    }
    // ~= has no string meaning; packaging raises, a marker that cannot hold is the safe reading
    Boolean holds = Versions.holds(lhs.compareTo(rhs), op);
    return holds != null && holds;
  }
}
