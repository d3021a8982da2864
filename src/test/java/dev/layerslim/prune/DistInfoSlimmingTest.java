package dev.layerslim.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.testing.Wheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistInfoSlimmingTest {
  @TempDir Path tmp;

  @Test
  void build_slimmedDistInfoStillAnswersImportlibMetadataVersionAndEntryPoints() throws Exception {
    Path wheels = tmp.resolve("wheels");
    Wheels.wheel("xpkg", "1.5.2").topLevel("xpkg")
        .file("xpkg/__init__.py", "def main():\n    return 0\n")
        .file("xpkg/plugins.py", "def first():\n    return 1\n")
        .distInfoFile("entry_points.txt", "[console_scripts]\nxpkg-cli = xpkg:main\n\n"
            + "[layerslim.plugins]\nfirst = xpkg.plugins:first\n")
        .distInfoFile("LICENSE", "Copyright the xpkg authors\n")
        .build(wheels);
    Path site = tmp.resolve("site");
    Wheels.pipInstall(site, wheels, "xpkg");
    Path out = tmp.resolve("out");

    Cli.Result r = Cli.run("build", "--site-packages", site.toString(), "-o", out.toString(), "--no-smoke",
        "--no-strip");

    assertEquals(0, r.code(), r.toString());
    Path distInfo = out.resolve("layer/python/xpkg-1.5.2.dist-info");
    for (String kept : List.of("METADATA", "entry_points.txt", "top_level.txt", "LICENSE")) {
      assertTrue(Files.isRegularFile(distInfo.resolve(kept)), kept);
    }
    for (String gone : List.of("RECORD", "WHEEL", "INSTALLER")) {
      assertTrue(Files.exists(site.resolve("xpkg-1.5.2.dist-info").resolve(gone)), "pip wrote " + gone);
      assertFalse(Files.exists(distInfo.resolve(gone)), gone);
    }
    String ran = Wheels.run(List.of("python3", "-I", "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
        + "import importlib.metadata as m; print(m.version('xpkg')); "
        + "print([(e.name, e.value) for e in m.entry_points(group='layerslim.plugins')]); "
        + "print([e.name for e in m.entry_points(group='console_scripts') if e.name == 'xpkg-cli']); "
        + "print(m.entry_points(group='layerslim.plugins')['first'].load()())",
        out.resolve("layer/python").toString()));
    assertEquals(List.of("1.5.2", "[('first', 'xpkg.plugins:first')]", "['xpkg-cli']", "1"),
        ran.strip().lines().toList());
  }
}
