package dev.layerslim.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** report.md's computed-import sites: grouped per kept distribution, each rule said once, removed code left out. */
class DynamicSitesReportTest {
  @Test
  void sitesAreGroupedPerKeptDistribution_sentencesSaidOnce_andSitesInRemovedCodeLeftOut() {
    List<ModuleReach.Dynamic> dynamic = new ArrayList<>();
    for (String sub : List.of("stats", "linalg", "signal", "io", "optimize")) {
      String module = "scipy." + sub;
      dynamic.add(new ModuleReach.Dynamic("scipy/" + sub + "/__init__.py:40", "lazy-getattr", null,
          "a computed import in " + module + "'s module-level __getattr__ runs only for attributes code reads from "
              + module + "; the attribute chains and from-imports reaching it are followed instead", "scipy"));
    }
    dynamic.add(new ModuleReach.Dynamic("scipy/io/_loader.py:7", "computed-import", "scipy.io",
        "imports a computed name: every sub-package of scipy.io is kept", "scipy"));
    // matplotlib is removed as unused: its site must not be listed
    dynamic.add(new ModuleReach.Dynamic("matplotlib/backends/__init__.py:12", "computed-import", "matplotlib",
        "imports a computed name: every sub-package of matplotlib is kept", "matplotlib"));
    ModuleReach.Result r = new ModuleReach.Result(Map.of(), Map.of(), dynamic, Map.of());
    PrunePlan plan = new PrunePlan(List.of(new PrunePlan.Deletion("matplotlib/backends/__init__.py", Rule.UNUSED,
        "matplotlib", 100, "distribution matplotlib is unused")), List.of(), 0, 0);

    String md = PruneReport.dynamicMarkdown(plan, r);

    assertFalse(md.contains("matplotlib"), md);
    assertTrue(md.contains("- **scipy** (6 sites)"), md);
    assertEquals(1, count(md, "runs only for attributes code reads"), md);
    assertTrue(md.contains("`scipy/io/__init__.py:40`, `scipy/linalg/__init__.py:40`"), md);
    assertTrue(md.contains("is kept: `scipy.io` (`scipy/io/_loader.py:7`)"), md);
    List<String> lines = md.lines().filter(l -> l.startsWith("  - ")).toList();
    assertEquals(lines.size(), lines.stream().distinct().count(), md);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
