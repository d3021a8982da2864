package dev.layerslim.audit;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the audit found: which distributions the handler reaches and why, what it imports, and
 * what could not be resolved. Nothing here is fatal; the lead decides what to prune or fail on.
 *
 * @param distributions every distribution in the layer, sorted by name
 * @param imports the handler's third-party top-level imports that resolved (to the layer or the
 *     runtime), sorted by name
 * @param unresolved imports nothing in the layer or the runtime provides
 * @param problems malformed metadata and missing requirements, one sentence each
 */
public record AuditResult(List<DistributionUse> distributions, List<ImportUse> imports,
    List<UnresolvedImport> unresolved, List<String> problems, List<ComputedUse> computed) {

  public AuditResult {
    distributions = List.copyOf(distributions);
    imports = List.copyOf(imports);
    unresolved = List.copyOf(unresolved);
    problems = List.copyOf(problems);
    computed = List.copyOf(computed);
  }

  /**
   * A handler's dynamic import whose name is computed at run time, and what the audit kept for it.
   *
   * @param where {@code app.py:7}
   * @param call the call as written ({@code importlib.import_module(f"plugins.{…}")})
   * @param head the literal start of the name; empty when nothing of it is literal
   * @param kept the distributions kept because the name may name one of their modules, sorted: those
   *     with a module starting with {@code head}, every distribution when the head is empty
   */
  public record ComputedUse(String where, String call, String head, List<String> kept) {
    public ComputedUse {
      kept = List.copyOf(kept);
    }

    /** What this site may need, for people: one sentence naming the site. */
    public String sentence() {
      String start = where + ": " + call + " imports a name computed at run time";
      if (head.isEmpty()) {
        return start + ", with nothing literal in it: every distribution is kept (" + kept.size()
            + "); name what it loads literally, or in a module-level constant, to let unused ones go";
      }
      if (kept.isEmpty()) {
        return start + " starting '" + head + "', which no distribution in the layer provides: it will fail "
            + "at run time unless the module comes from elsewhere";
      }
      return start + " starting '" + head + "': kept " + String.join(", ", kept)
          + ", whose modules it may name";
    }
  }

  /**
   * One distribution's verdict.
   *
   * @param name normalised name
   * @param version its version
   * @param used reached from a handler import or a {@code --keep} name
   * @param runtimeProvided the Lambda runtime has its own copy ({@link RuntimeProvided})
   * @param requires the distributions in the layer it requires on the target (for the extras it was
   *     reached with), sorted
   * @param missing requirements that apply on the target but are not in the layer, as written
   * @param why how it is reached, null when unused
   */
  public record DistributionUse(String name, String version, boolean used, boolean runtimeProvided,
      List<String> requires, List<String> missing, Why why) {
    public DistributionUse {
      requires = List.copyOf(requires);
      missing = List.copyOf(missing);
    }
  }

  /**
   * The shortest chain that reaches a distribution.
   *
   * @param origin {@code app.py:3 import geopandas} or {@code --keep pandas}
   * @param path distribution names from the root to this one ({@code [geopandas, pandas, numpy]})
   */
  public record Why(String origin, List<String> path) {
    public Why {
      path = List.copyOf(path);
    }

    /** {@code app.py:3 import geopandas → geopandas → pandas → numpy}. */
    @Override
    public String toString() {
      return origin + " → " + String.join(" → ", path);
    }
  }

  /**
   * A third-party top-level import name.
   *
   * @param name the top-level name ({@code PIL})
   * @param distributions the layer distributions that provide it
   * @param runtimeProvider the runtime distribution that provides it, or null
   * @param where every {@code file:line} importing it
   * @param optional every import of it is guarded by {@code except ImportError}
   */
  public record ImportUse(String name, Set<String> distributions, String runtimeProvider,
      List<String> where, boolean optional) {
    public ImportUse {
      distributions = Set.copyOf(distributions);
      where = List.copyOf(where);
    }
  }

  /** An import nothing provides; {@code optional} when every import of it is guarded. */
  public record UnresolvedImport(String name, List<String> where, boolean optional) {
    public UnresolvedImport {
      where = List.copyOf(where);
    }
  }

  /** The used distributions' names, sorted. */
  public Set<String> usedNames() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (DistributionUse d : distributions) {
      if (d.used()) {
        out.add(d.name());
      }
    }
    return out;
  }

  /** The unused distributions' names, sorted: what {@code --prune-unused} may remove. */
  public Set<String> unusedNames() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (DistributionUse d : distributions) {
      if (!d.used()) {
        out.add(d.name());
      }
    }
    return out;
  }

  /** Name → verdict, for renderers. */
  Map<String, DistributionUse> byName() {
    Map<String, DistributionUse> m = new java.util.LinkedHashMap<>();
    for (DistributionUse d : distributions) {
      m.put(d.name(), d);
    }
    return m;
  }
}
