package dev.layerslim.cold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.layer.Distribution;
import dev.layerslim.layer.Glob;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Ownership;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which sub-packages {@link ColdPlanner} sends cold, and which it keeps hot and why. */
class ColdPlannerTest {
  @TempDir Path root;

  private void file(String rel, byte[] bytes) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
  }

  private void file(String rel) throws Exception {
    file(rel, "x = 1\n".getBytes());
  }

  private ColdPlanner.Plan plan(Set<String> hot, List<Glob> include) throws Exception {
    Ownership own = new Ownership(List.of(new Distribution("pkg", "pkg", "1.0", "pkg-1.0.dist-info", List.of(),
        Set.of(), Set.of("pkg"), List.of(), List.of())));
    return ColdPlanner.plan(new ColdPlanner.Input(LayerTree.scan(root), own, hot, include, "why"));
  }

  @Test
  void untouchedSubPackages_goCold_outermostOnly_andTouchedOnesStayHot() throws Exception {
    file("pkg/__init__.py");
    file("pkg/loaded/__init__.py");
    file("pkg/loaded/deep/__init__.py"); // below a hot unit, itself untouched: cold on its own
    file("pkg/read/__init__.py");
    file("pkg/read/data/table.csv");     // opened by path by the hot path: its unit stays hot
    file("pkg/cold/__init__.py");
    file("pkg/cold/inner/__init__.py");  // goes with pkg/cold
    file("pkg/cold/__pycache__/__init__.cpython-311.pyc");
    ColdPlanner.Plan p = plan(Set.of("pkg/__init__.py", "pkg/loaded/__init__.py", "pkg/read/data/table.csv"),
        List.of());
    assertEquals(List.of("pkg/cold", "pkg/loaded/deep"), p.cold().stream().map(ColdPlanner.Candidate::folder).toList());
    ColdPlanner.Candidate cold = p.cold().get(0);
    assertEquals(3, cold.files().size());
    assertEquals(2, cold.archived().size(), "the pyc is not archived");
    assertTrue(p.refused().isEmpty(), p.refused().toString());
  }

  @Test
  void namespaceTopLevelAndExtensionInit_areNeverCold() throws Exception {
    file("pkg/__init__.py");
    file("pkg/ns/sub/__init__.py");           // its parent is a namespace folder: not a unit
    file("nsonly/sub/__init__.py");            // below a namespace top-level: not a unit
    file("pkg/ext/__init__.py");
    byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    file("pkg/ext/__init__.cpython-311-x86_64-linux-gnu.so", elf);
    file("pkg/kept/__init__.py");
    ColdPlanner.Plan p = plan(Set.of(), List.of(Glob.compile("pkg/kept/**", "--include")));
    assertEquals(List.of(), p.cold().stream().map(ColdPlanner.Candidate::folder).toList());
    assertEquals(Set.of("pkg/ext", "pkg/kept"), p.refused().keySet());
    assertTrue(p.refused().get("pkg/ext").contains("extension module"), p.refused().toString());
    assertTrue(p.refused().get("pkg/kept").contains("--include"), p.refused().toString());
  }
}
