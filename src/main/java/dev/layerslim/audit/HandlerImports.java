package dev.layerslim.audit;

import dev.layerslim.python.ComputedImport;
import java.util.List;
import java.util.Set;

/**
 * What a handler's sources import from outside themselves and the standard library.
 *
 * @param ownModules the top-level names the handler files and folders define ({@code app},
 *     {@code mypkg}): imports of these are the handler's own
 * @param thirdParty every other non-standard-library import, in file and line order
 * @param problems files that could not be read
 * @param computed dynamic imports whose name the scan could not read, in file and line order, except
 *     those whose literal start names the handler's own modules or the standard library
 */
public record HandlerImports(Set<String> ownModules, List<ImportSite> thirdParty, List<String> problems,
    List<ComputedSite> computed) {
  public HandlerImports {
    ownModules = Set.copyOf(ownModules);
    thirdParty = List.copyOf(thirdParty);
    problems = List.copyOf(problems);
    computed = List.copyOf(computed);
  }

  /**
   * A computed dynamic import in a handler file.
   *
   * @param file relative to its code root ({@code app.py})
   * @param imp the call
   */
  public record ComputedSite(String file, ComputedImport imp) {
    /** {@code app.py:7}. */
    public String where() {
      return file + ":" + imp.line();
    }
  }

  /** The distinct top-level third-party names, sorted. */
  public Set<String> topLevelNames() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (ImportSite s : thirdParty) {
      out.add(s.pythonImport().topLevel());
    }
    return out;
  }
}
