package dev.layerslim.audit;

import dev.layerslim.audit.AuditResult.DistributionUse;
import dev.layerslim.audit.AuditResult.ImportUse;
import dev.layerslim.audit.AuditResult.UnresolvedImport;
import dev.layerslim.audit.AuditResult.Why;
import dev.layerslim.layer.Distribution;
import dev.layerslim.layer.Names;
import dev.layerslim.layer.Target;
import dev.layerslim.python.PythonImport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The audit step's work: which distributions of a layer the handler needs.
 *
 * <p>Roots are the distributions that provide the handler's third-party imports and the
 * {@code --keep} names. From them, {@code Requires-Dist} is followed breadth first, each
 * requirement's marker evaluated for the target with the extras its requirer asked for, so every
 * used distribution gets its shortest {@link Why}. The rest is unused.
 */
public final class Audit {
  private Audit() {}

  /** Audits distributions already read and imports already scanned. */
  public static AuditResult run(List<Distribution> distributions, HandlerImports imports, Target target,
      Set<String> keep) {
    Map<String, Distribution> byName = new TreeMap<>();
    for (Distribution d : distributions) {
      byName.put(d.name(), d);
    }
    List<String> problems = new ArrayList<>(imports.problems());
    for (Distribution d : distributions) {
      for (String p : d.problems()) {
        problems.add(d.name() + ": " + p);
      }
    }
    Map<String, List<Requirement>> requirements = new HashMap<>();
    for (Distribution d : distributions) {
      requirements.put(d.name(), parseRequirements(d, problems));
    }

    ImportIndex index = new ImportIndex(distributions);
    Map<String, ImportAccumulator> resolved = new TreeMap<>();
    Map<String, ImportAccumulator> unresolved = new TreeMap<>();
    Deque<Visit> queue = new ArrayDeque<>();
    for (ImportSite site : imports.thirdParty()) {
      PythonImport imp = site.pythonImport();
      Set<String> owners = index.resolve(imp);
      String runtime = owners.isEmpty() ? RuntimeProvided.providerOf(imp.topLevel()) : null;
      Map<String, ImportAccumulator> into = owners.isEmpty() && runtime == null ? unresolved : resolved;
      into.computeIfAbsent(imp.topLevel(), k -> new ImportAccumulator()).add(site, owners, runtime);
      for (String owner : owners) {
        String origin = site.where() + " import " + imp.module();
        queue.add(new Visit(owner, Set.of(), new Why(origin, List.of(owner))));
      }
    }
    List<AuditResult.ComputedUse> computed = new ArrayList<>();
    for (HandlerImports.ComputedSite c : imports.computed()) {
      // a name computed at run time: keep what its literal start allows, everything when nothing is literal
      Set<String> owners = index.providersOfPrefix(c.imp().head());
      computed.add(new AuditResult.ComputedUse(c.where(), c.imp().call(), c.imp().head(), List.copyOf(owners)));
      for (String owner : owners) {
        String origin = c.where() + " " + c.imp().call() + " (computed at run time)";
        queue.add(new Visit(owner, Set.of(), new Why(origin, List.of(owner))));
      }
    }
    for (String k : new TreeSet<>(keep)) {
      String name = Names.normalize(k);
      if (byName.containsKey(name)) {
        queue.add(new Visit(name, Set.of(), new Why("--keep " + k, List.of(name))));
      } else {
        problems.add("--keep " + k + ": no such distribution in the layer");
      }
    }

    MarkerEnvironment base = MarkerEnvironment.of(target);
    Map<String, Why> why = new HashMap<>();
    Map<String, Set<String>> doneExtras = new HashMap<>();
    Map<String, Set<String>> requires = new HashMap<>();
    Map<String, Set<String>> missing = new HashMap<>();
    while (!queue.isEmpty()) {
      Visit v = queue.poll();
      why.putIfAbsent(v.name(), v.why());
      Set<String> units = new LinkedHashSet<>();
      units.add("");
      units.addAll(v.extras());
      units.removeAll(doneExtras.getOrDefault(v.name(), Set.of()));
      doneExtras.computeIfAbsent(v.name(), k -> new TreeSet<>()).addAll(units);
      for (String unit : units) {
        MarkerEnvironment env = base.withExtras(unit.isEmpty() ? Set.of() : Set.of(unit));
        for (Requirement r : requirements.get(v.name())) {
          if (!r.appliesIn(env)) {
            continue;
          }
          if (byName.containsKey(r.name())) {
            requires.computeIfAbsent(v.name(), k -> new TreeSet<>()).add(r.name());
            List<String> path = new ArrayList<>(v.why().path());
            path.add(r.name());
            queue.add(new Visit(r.name(), r.extras(), new Why(v.why().origin(), path)));
          } else if (missing.computeIfAbsent(v.name(), k -> new LinkedHashSet<>()).add(r.text())
              && !RuntimeProvided.isProvided(r.name())) {
            // a requirement the runtime satisfies is not missing on Lambda
            problems.add(v.name() + " requires " + r.text() + ", which is not in the layer");
          }
        }
      }
    }

    List<DistributionUse> uses = new ArrayList<>();
    for (Distribution d : byName.values()) {
      boolean used = why.containsKey(d.name());
      Set<String> req = requires.getOrDefault(d.name(), Set.of());
      if (!used) {
        // unused distributions are shown with what they would pull in, without extras
        req = new TreeSet<>();
        for (Requirement r : requirements.get(d.name())) {
          if (r.appliesIn(base) && byName.containsKey(r.name())) {
            req.add(r.name());
          }
        }
      }
      uses.add(new DistributionUse(d.name(), d.version(), used, RuntimeProvided.isProvided(d.name()),
          List.copyOf(req), List.copyOf(missing.getOrDefault(d.name(), Set.of())), why.get(d.name())));
    }
    List<ImportUse> importUses = new ArrayList<>();
    resolved.forEach((name, acc) -> importUses.add(
        new ImportUse(name, acc.owners, acc.runtime, acc.where, acc.allOptional)));
    List<UnresolvedImport> unresolvedImports = new ArrayList<>();
    unresolved.forEach((name, acc) -> unresolvedImports.add(
        new UnresolvedImport(name, acc.where, acc.allOptional)));
    return new AuditResult(uses, importUses, unresolvedImports, problems, computed);
  }

  private static List<Requirement> parseRequirements(Distribution d, Collection<String> problems) {
    List<Requirement> out = new ArrayList<>();
    for (String text : d.requiresDist()) {
      try {
        out.add(Requirement.parse(text));
      } catch (RequirementSyntaxException e) {
        // one bad line must not hide the distribution's other requirements
        problems.add(d.name() + ": malformed Requires-Dist: " + e.getMessage());
      }
    }
    return out;
  }

  /** A distribution reached with the extras its requirer asked for. */
  private record Visit(String name, Set<String> extras, Why why) {}

  /** Collects the sites of one top-level import name. */
  private static final class ImportAccumulator {
    final Set<String> owners = new TreeSet<>();
    final List<String> where = new ArrayList<>();
    String runtime;
    boolean allOptional = true;

    void add(ImportSite site, Set<String> resolvedOwners, String runtimeProvider) {
      owners.addAll(resolvedOwners);
      if (runtimeProvider != null) {
        runtime = runtimeProvider;
      }
      if (!where.contains(site.where())) {
        where.add(site.where());
      }
      allOptional &= site.pythonImport().optional();
    }
  }
}
