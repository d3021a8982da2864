package dev.layerslim.prune;

import dev.layerslim.layer.Glob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.layerslim.testing.Wheels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserRulesTest {
  @TempDir Path tmp;

  private Path site() throws Exception {
    Path wheels = tmp.resolve("wheels");
    Wheels.wheel("svc", "1.0")
        .file("svc/__init__.py", "from svc import docs\n")
        .file("svc/docs/__init__.py", "D = 1\n")
        .file("svc/tests/test_a.py", "A = 1\n")
        .file("svc/data/big/model.bin", "0123456789".repeat(100))
        .file("svc/data/small.json", "{}\n")
        .file("svc/data/keep.json", "{\"keep\": true}\n")
        .build(wheels);
    Path site = tmp.resolve("site");
    Wheels.pipInstall(site, wheels, "svc");
    return site;
  }

  @Test
  void glob_doubleStarSpansFoldersSingleStarStaysInOneAndAFolderMatchesItsContents() {
    Glob deep = Glob.compile("**/*.json", "--exclude");
    assertTrue(deep.matches("a.json") && deep.matches("svc/data/small.json"));
    Glob one = Glob.compile("svc/*.py", "--exclude");
    assertTrue(one.matches("svc/a.py"));
    assertFalse(one.matches("svc/sub/a.py"));
    Glob folder = Glob.compile("svc/data/", "--exclude");
    assertTrue(folder.matches("svc/data/big/model.bin"));
    assertFalse(folder.matches("svc/database.py"));
    assertTrue(Glob.compile("svc/**/model.bin", "--exclude").matches("svc/model.bin"));
  }

  @Test
  void build_excludeBeatsTheGuardAndIncludeProtectsFromDefaultRules() throws Exception {
    Path site = site();
    Path out = tmp.resolve("out");

    Cli.Result r = Cli.run("build", "--site-packages", site.toString(), "-o", out.toString(), "--no-smoke",
        "--no-strip", "--exclude", "svc/docs", "--exclude", "svc/data/**/*.bin", "--include", "svc/tests/**");

    assertEquals(0, r.code(), r.toString());
    Path layer = out.resolve("layer/python");
    assertFalse(Files.exists(layer.resolve("svc/docs/__init__.py")), "exclude removes what code imports");
    assertFalse(Files.exists(layer.resolve("svc/data/big/model.bin")));
    assertTrue(Files.isRegularFile(layer.resolve("svc/tests/test_a.py")), "include protects from the tests rule");
    assertTrue(Files.isRegularFile(layer.resolve("svc/data/small.json")));
    JsonNode prune = Cli.report(out).path("prune");
    assertEquals(Cli.size(site, "svc/docs/__init__.py", "svc/data/big/model.bin"),
        prune.path("byRule").path("user-exclude").path("bytes").asLong());
    assertTrue(prune.path("byRule").path("tests").isMissingNode(), prune.toString());
    assertEquals(1, prune.path("protected").path("files").asInt());
  }

  @Test
  void build_readsPruneRulesFromTheConfigFile() throws Exception {
    Path site = site();
    Path out = tmp.resolve("out");
    Path config = Files.writeString(tmp.resolve("layerslim.toml"), """
        # prune rules for svc
        [prune]
        exclude = [
          "svc/data/**",   # the data is downloaded at run time
        ]
        include = ['svc/data/keep.json']
        prune-unused = false
        """);

    Cli.Result r = Cli.run("build", "--site-packages", site.toString(), "-o", out.toString(), "--no-smoke",
        "--no-strip", "--config", config.toString());

    assertEquals(0, r.code(), r.toString());
    Path layer = out.resolve("layer/python");
    assertFalse(Files.exists(layer.resolve("svc/data/small.json")));
    assertFalse(Files.exists(layer.resolve("svc/data/big/model.bin")));
    assertTrue(Files.isRegularFile(layer.resolve("svc/data/keep.json")));
    assertEquals("svc/data/**", Cli.report(out).path("prune").path("exclude").path(0).asText());
    assertTrue(r.out().contains("prune rules from " + config), r.out());
  }

  @Test
  void build_failsWithExit2NamingAnUnknownConfigKeyAndItsFile() throws Exception {
    Path config = Files.writeString(tmp.resolve("layerslim.toml"), "[prune]\nexclude = []\nexlcude = [\"x\"]\n");
    Path site = Files.createDirectories(tmp.resolve("site"));

    Cli.Result r = Cli.run("build", "--site-packages", site.toString(), "-o", tmp.resolve("out").toString(),
        "--config", config.toString());

    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("exlcude") && r.err().contains(config.toString()), r.err());
    assertFalse(Files.exists(tmp.resolve("out")), "nothing runs after a usage error");
  }
}
