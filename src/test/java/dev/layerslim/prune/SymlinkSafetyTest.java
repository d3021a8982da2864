package dev.layerslim.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.layerslim.testing.Wheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SymlinkSafetyTest {
  @TempDir Path tmp;

  @Test
  void build_neverRemovesFilesThroughALinkAndLeavesTheInputUnchanged() throws Exception {
    Path wheels = tmp.resolve("wheels");
    Wheels.wheel("linky", "1.0")
        .file("linky/__init__.py", "from linky.data import b\n")
        .file("linky/data/__init__.py", "")
        .file("linky/data/a.txt", "payload\n")
        .file("linky/data/b.py", "B = 2\n")
        .file("linky/__pycache__/x.cpython-311.pyc", new byte[] {1, 2, 3})
        .file("linky/docs/guide.txt", "guide\n")
        .build(wheels);
    Path site = tmp.resolve("site");
    Wheels.pipInstall(site, wheels, "linky");
    // a tests folder that is a link to a runtime folder elsewhere in the tree, and a file in a
    // docs folder that links to a runtime module
    Files.createSymbolicLink(site.resolve("linky/tests"), Path.of("data"));
    Files.createSymbolicLink(site.resolve("linky/docs/b_link.py"), Path.of("../data/b.py"));
    Map<String, String> before = Cli.snapshot(site);
    Path out = tmp.resolve("out");

    Cli.Result r = Cli.run("build", "--site-packages", site.toString(), "-o", out.toString(), "--no-smoke",
        "--no-strip");

    assertEquals(0, r.code(), r.toString());
    assertEquals(before, Cli.snapshot(site), "the input tree must be byte-for-byte unchanged, mtimes included");
    Path layer = out.resolve("layer/python");
    assertFalse(Files.exists(layer.resolve("linky/tests")), "the linked tests folder is left out");
    assertTrue(Files.isRegularFile(layer.resolve("linky/data/a.txt")), "its target is not deleted through it");
    assertTrue(Files.isRegularFile(layer.resolve("linky/data/b.py")));
    assertTrue(Files.isRegularFile(layer.resolve("linky/data/__init__.py")));
    assertTrue(r.err().contains("left out linky/tests"), "the folder link is reported, not followed: " + r.err());
    JsonNode docs = Cli.report(out).path("prune").path("byRule").path("docs");
    assertEquals(2, docs.path("files").asInt(), docs.toString());
    assertEquals(Cli.size(site, "linky/docs/guide.txt", "linky/data/b.py"), docs.path("bytes").asLong());
    assertFalse(Files.exists(layer.resolve("linky/docs")));
    assertTrue(Cli.report(out).path("prune").path("byRule").path("tests").isMissingNode());
  }
}
