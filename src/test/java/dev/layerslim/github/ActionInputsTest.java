package dev.layerslim.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActionInputsTest {
  @TempDir Path ws;

  Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("GITHUB_WORKSPACE", ws.toString());
    for (int i = 0; i < kv.length; i += 2) {
      m.put(ActionInputs.envName(kv[i]), kv[i + 1]);
    }
    return m;
  }

  @Test
  void envName_upperCasesAndKeepsHyphens() {
    assertEquals("INPUT_PRUNE-UNUSED", ActionInputs.envName("prune-unused"));
    assertEquals("INPUT_GITHUB-TOKEN", ActionInputs.envName("github-token"));
  }

  @Test
  void mapsInputsOntoBuildOptions_pathsRelativeToTheWorkspace_listsByLineOrComma() throws IOException {
    Files.writeString(ws.resolve("requirements.txt"), "six\n");
    Files.createDirectories(ws.resolve("src"));
    Files.writeString(ws.resolve("src/app.py"), "import six\n");
    BuildOptions o = new ActionInputs(env("requirements", "requirements.txt", "handler", "src/app.py",
        "handler-function", "app.handler", "python-version", "3.12", "architecture", "arm64", "glibc", "2.28",
        "prune-unused", "TRUE", "keep", "boto3, six\nurllib3", "exclude", "**/tests/**", "bytecode", "all",
        "strip", "False", "smoke-test", "false", "max-unzipped", "200MiB", "max-zipped", "50MB",
        "max-growth", "5MB", "extra-bytes", "1000", "output-dir", "out/layer")).toBuildOptions();
    assertEquals(ws.resolve("requirements.txt"), o.requirements());
    assertEquals(List.of(ws.resolve("src/app.py")), o.handlers());
    assertEquals("app.handler", o.handlerFunction());
    assertEquals("3.12", o.target().python());
    assertEquals("arm64", o.target().arch().lambdaName());
    assertEquals("2.28", o.target().glibc());
    assertTrue(o.pruneUnused());
    assertEquals(List.of("boto3", "six", "urllib3"), o.keep());
    assertEquals(List.of("**/tests/**"), o.exclude());
    assertEquals(dev.layerslim.pipeline.BytecodeMode.ALL, o.bytecode());
    assertFalse(o.strip());
    assertFalse(o.smoke());
    assertEquals(200L * 1024 * 1024, o.maxUnzipped());
    assertEquals(50_000_000L, o.maxZipped());
    assertEquals(5_000_000L, o.maxGrowth());
    assertEquals(1000, o.extraBytes());
    assertEquals(ws.resolve("out/layer"), o.output());
  }

  @Test
  void badValues_areUsageErrorsNamingTheInput() throws IOException {
    Files.writeString(ws.resolve("r.txt"), "six\n");
    assertUsage("input strip: 'yes' is not a boolean", "requirements", "r.txt", "strip", "yes");
    assertUsage("input max-zipped: 'lots'", "requirements", "r.txt", "max-zipped", "lots");
    assertUsage("input python-version: 3.8", "requirements", "r.txt", "python-version", "3.8");
    assertUsage("input architecture: sparc", "requirements", "r.txt", "architecture", "sparc");
    assertUsage("input glibc: 3.1", "requirements", "r.txt", "glibc", "3.1");
    assertUsage("input bytecode: 'some'", "requirements", "r.txt", "bytecode", "some");
    assertUsage("input requirements: ", "requirements", "missing.txt");
    assertUsage("set the input requirements or site-packages");
    Files.writeString(ws.resolve("bad.json"), "{\"packages\": 3}");
    assertUsage("input baseline: " + ws.resolve("bad.json") + ": not a layerslim report.json", "requirements",
        "r.txt", "baseline", "bad.json");
    Files.writeString(ws.resolve("broken.json"), "{\"packages\": [");
    assertUsage("input baseline: " + ws.resolve("broken.json") + ": not valid JSON", "requirements", "r.txt",
        "baseline", "broken.json");
  }

  void assertUsage(String start, String... kv) {
    LayerslimException e = assertThrows(LayerslimException.class, () -> {
      ActionInputs in = new ActionInputs(env(kv));
      in.toBuildOptions();
    });
    assertEquals(LayerslimException.EXIT_USAGE, e.exitCode());
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
  }

  @Test
  void commentKey_fromTheKeyInput_elseTheOutputDir_elseTheRequirementsPath() {
    assertEquals("api", new ActionInputs(env("comment-key", "api", "output-dir", "out")).commentKey());
    assertEquals("layers/geo", new ActionInputs(env("output-dir", "layers/geo")).commentKey());
    assertEquals("svc/requirements.txt", new ActionInputs(env("requirements", "svc/requirements.txt")).commentKey());
    assertFalse(new ActionInputs(env("comment-key", "x-->y")).commentKey().contains("-->"));
  }
}
