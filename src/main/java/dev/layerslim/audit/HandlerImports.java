package dev.layerslim.audit;

import java.util.List;
import java.util.Set;

/**
 * What a handler's sources import from outside themselves and the standard library.
 *
 * @param ownModules the top-level names the handler files and folders define ({@code app},
 *     {@code mypkg}): imports of these are the handler's own
 * @param thirdParty every other non-standard-library import, in file and line order
 * @param problems files that could not be read
 */
public record HandlerImports(Set<String> ownModules, List<ImportSite> thirdParty, List<String> problems) {
  public HandlerImports {
    ownModules = Set.copyOf(ownModules);
    thirdParty = List.copyOf(thirdParty);
    problems = List.copyOf(problems);
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
