package dev.layerslim.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.layer.Distribution;
import dev.layerslim.layer.Target;
import dev.layerslim.python.PythonImport;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuditTest {
  private static Distribution dist(String name, List<String> requires, String... record) {
    return new Distribution(name, name, "1.0", name + "-1.0.dist-info", requires, Set.of(), Set.of(),
        List.of(record), List.of());
  }

  private static final List<Distribution> LAYER = List.of(
      dist("ns-a", List.of(), "ns/a/__init__.py"),
      dist("ns-b", List.of("not-there>=1", "six", "bad ((("), "ns/b.py"),
      dist("pillow", List.of(), "PIL/__init__.py", "PIL/_imaging.cpython-311-x86_64-linux-gnu.so"));

  private static PythonImport imp(String module, String... names) {
    return new PythonImport(module, List.of(names), 1, false, false, false);
  }

  @Test
  void index_narrowsANamespaceByRecordAndFallsBackToAllOwners() {
    ImportIndex index = new ImportIndex(LAYER);
    assertEquals(Set.of("ns-a"), index.resolve(imp("ns.a")));
    assertEquals(Set.of("ns-b"), index.resolve(imp("ns", "b")));
    assertEquals(Set.of("ns-a", "ns-b"), index.resolve(imp("ns")));
    assertEquals(Set.of("pillow"), index.resolve(imp("PIL._imaging")));
    assertEquals(Set.of(), index.resolve(imp("requests")));
  }

  @Test
  void audit_reportsMissingAndMalformedRequirementsButNotRuntimeProvidedOnes() {
    HandlerImports imports = new HandlerImports(Set.of("app"),
        List.of(new ImportSite("app.py", imp("ns.b"))), List.of(), List.of());
    AuditResult r = Audit.run(LAYER, imports, Target.defaults(), Set.of("nope"));
    assertEquals(Set.of("ns-b"), r.usedNames());
    assertEquals(List.of("not-there>=1", "six"), r.byName().get("ns-b").missing());
    assertEquals(3, r.problems().size(), r.problems().toString());
    assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("ns-b: malformed Requires-Dist")));
    assertTrue(r.problems().contains("ns-b requires not-there>=1, which is not in the layer"));
    assertTrue(r.problems().contains("--keep nope: no such distribution in the layer"));
  }
}
