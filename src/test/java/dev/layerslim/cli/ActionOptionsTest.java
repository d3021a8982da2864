package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.github.ActionInputs;
import java.io.IOException;
import java.nio.file.Files;
import dev.layerslim.testing.ActionEnv;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * layerslim action's options: build's options parsed from the inputs (and layerslim.toml), with the
 * action's rules on top. Paths are relative to the workspace; bad input is exit 2 naming the input.
 */
class ActionOptionsTest {
  @TempDir Path ws;

  Map<String, String> env(String... kv) {
    return ActionEnv.of(ws, kv);
  }

  static BuildOptions options(ActionInputs inputs) {
    return BuildCommand.fromInputs(inputs);
  }

  @Test
  void mapsInputsOntoBuildOptions_pathsRelativeToTheWorkspace_listsByLineOrComma() throws IOException {
    Files.writeString(ws.resolve("requirements.txt"), "six\n");
    Files.createDirectories(ws.resolve("src"));
    Files.writeString(ws.resolve("src/app.py"), "import six\n");
    BuildOptions o = options(new ActionInputs(env("requirements", "requirements.txt", "handler", "src/app.py",
        "handler-function", "app.handler", "python-version", "3.12", "architecture", "arm64", "glibc", "2.28",
        "prune-unused", "TRUE", "keep", "boto3, six\nurllib3", "exclude", "**/tests/**", "bytecode", "all",
        "strip", "False", "smoke-test", "false", "max-unzipped", "200MiB", "max-zipped", "50MB",
        "max-growth", "5MB", "extra-bytes", "1000", "output-dir", "out/layer")));
    assertEquals(ws.resolve("requirements.txt"), o.install().requirements());
    assertEquals(List.of(ws.resolve("src/app.py")), o.handlers());
    assertEquals("app.handler", o.handlerFunction());
    assertEquals("3.12", o.target().python());
    assertEquals("arm64", o.target().arch().lambdaName());
    assertEquals("2.28", o.target().glibc());
    assertTrue(o.prune().pruneUnused());
    assertEquals(List.of("boto3", "six", "urllib3"), o.prune().keep());
    assertEquals(List.of("**/tests/**"), o.prune().exclude());
    assertEquals(dev.layerslim.pipeline.BytecodeMode.ALL, o.bytecode());
    assertFalse(o.strip());
    assertFalse(o.smokeTest().smoke());
    assertEquals(200L * 1024 * 1024, o.limits().maxUnzipped());
    assertEquals(50_000_000L, o.limits().maxZipped());
    assertEquals(5_000_000L, o.limits().maxGrowth());
    assertEquals(1000, o.limits().extraBytes());
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
    assertUsage("input bytecode: some: use one of", "requirements", "r.txt", "bytecode", "some");
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
      options(new ActionInputs(env(kv)));
    });
    assertEquals(LayerslimException.EXIT_USAGE, e.exitCode());
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
  }

  @Test
  void newInputs_mapOntoWhatTheBuildCommandTakes() throws IOException {
    Files.writeString(ws.resolve("requirements.txt"), "six\n");
    Files.writeString(ws.resolve("check.py"), "import six\n");
    BuildOptions o = options(new ActionInputs(env("requirements", "requirements.txt", "compat", "warn",
        "drop-runtime-provided", "true", "system-lib", "libgdal.so.30\nlibproj.so.25", "smoke-import", "six, json",
        "smoke-script", "check.py", "index-url", "https://pypi.example.com/simple",
        "extra-index-url", "https://a.example.com/simple\nhttps://b.example.com/simple",
        "pip-args", "--no-index  -f wheels --find-links=https://x.example.com/links --require-hashes")));
    assertEquals(dev.layerslim.pipeline.CompatMode.WARN, o.compatCheck().mode());
    assertTrue(o.prune().dropRuntimeProvided());
    assertEquals(List.of("libgdal.so.30", "libproj.so.25"), o.compatCheck().systemLibs());
    assertEquals(List.of("six", "json"), o.smokeTest().imports());
    assertEquals(ws.resolve("check.py"), o.smokeTest().script());
    assertEquals("https://pypi.example.com/simple", o.install().indexUrl());
    assertEquals(List.of("https://a.example.com/simple", "https://b.example.com/simple"), o.install().extraIndexUrls());
    assertEquals(List.of(ws.resolve("wheels").toString(), "https://x.example.com/links"), o.install().findLinks());
    assertTrue(o.install().noIndex());
    assertTrue(o.install().requireHashes());
    // nothing pip-args needed a requirements file of its own for: the user's file is used as it is
    assertEquals(ws.resolve("requirements.txt"), o.install().requirements());

    BuildOptions d = options(new ActionInputs(env("requirements", "requirements.txt")));
    assertEquals(dev.layerslim.pipeline.CompatMode.FAIL, d.compatCheck().mode());
    assertFalse(d.prune().dropRuntimeProvided());
    assertEquals(List.of(), d.install().findLinks());
    assertEquals(null, d.install().indexUrl());
  }

  @Test
  void pipArgs_constraintsAndPre_goIntoARequirementsFileThatIncludesTheUsers() throws IOException {
    Files.writeString(ws.resolve("requirements.txt"), "six\n");
    Files.createDirectories(ws.resolve("ci"));
    Files.writeString(ws.resolve("ci/constraints.txt"), "six==1.16.0\n");
    String before = Files.readString(ws.resolve("requirements.txt"));
    BuildOptions o = options(new ActionInputs(env("requirements", "requirements.txt",
        "pip-args", "-c ci/constraints.txt\n--pre --trusted-host 'pypi.internal'")));

    assertFalse(o.install().requirements().startsWith(ws), "a file of layerslim's, outside the workspace: " + o.install().requirements());
    List<String> lines = Files.readAllLines(o.install().requirements()).stream().filter(l -> !l.startsWith("#")).toList();
    assertEquals(List.of("-r " + ws.resolve("requirements.txt"), "-c " + ws.resolve("ci/constraints.txt"), "--pre",
        "--trusted-host pypi.internal"), lines);
    assertEquals(before, Files.readString(ws.resolve("requirements.txt")), "the user's file is unchanged");
  }

  @Test
  void pipArgs_badOptions_areUsageErrorsNamingTheInput() throws IOException {
    Files.writeString(ws.resolve("r.txt"), "six\n");
    Files.createDirectories(ws.resolve("site"));
    assertUsage("input pip-args: --target is not one layerslim passes on; use --index-url", "requirements", "r.txt",
        "pip-args", "--target /tmp/x");
    assertUsage("input pip-args: --find-links needs a value", "requirements", "r.txt", "pip-args", "--find-links");
    assertUsage("input pip-args: --no-index takes no value", "requirements", "r.txt", "pip-args", "--no-index=1");
    assertUsage("input pip-args: --index-url is given twice", "requirements", "r.txt", "index-url",
        "https://a.example.com", "pip-args", "-i https://b.example.com");
    assertUsage("input pip-args: --constraint " + ws.resolve("nope.txt") + ": no such file", "requirements", "r.txt",
        "pip-args", "-c nope.txt");
    assertUsage("input pip-args: a quote is not closed", "requirements", "r.txt", "pip-args", "--pre 'x");
    Files.writeString(ws.resolve("c.txt"), "six==1\n");
    assertUsage("input pip-args: -c " + ws.resolve("c.txt") + " applies to an install from requirements",
        "site-packages", "site", "pip-args", "-c c.txt");
    assertUsage("input compat: maybe: use one of fail, warn", "requirements", "r.txt", "compat", "maybe");
    assertUsage("input smoke-script: " + ws.resolve("gone.py") + ": no such file", "requirements", "r.txt",
        "smoke-script", "gone.py");
    assertUsage("input drop-runtime-provided: 'yes' is not a boolean", "requirements", "r.txt",
        "drop-runtime-provided", "yes");
    assertUsage("input exclude: '../etc'", "requirements", "r.txt", "exclude", "../etc");
  }

  @Test
  void imagePython_anotherPythonVersion_isUsageErrorWithTheUsesLineOfTheRightImage() throws IOException {
    Files.writeString(ws.resolve("r.txt"), "six\n");
    Map<String, String> e = env("requirements", "missing-is-not-checked-first.txt", "python-version", "3.12");
    e.put(ActionInputs.IMAGE_PYTHON_ENV, "3.11");
    e.put(ActionInputs.IMAGE_ENV, "ghcr.io/octo-org/layerslim:v1.4.0-python3.11");
    LayerslimException x = assertThrows(LayerslimException.class, () -> options(new ActionInputs(e)));
    assertEquals(LayerslimException.EXIT_USAGE, x.exitCode());
    assertTrue(x.getMessage().startsWith("input python-version: 3.12, but this action's image is for python3.11"),
        x.getMessage());
    assertTrue(x.getMessage().contains("\n  uses: docker://ghcr.io/octo-org/layerslim:v1.4.0-python3.12\n"),
        x.getMessage());

    // built from the Dockerfile (uses: ./), the image has no published name: the pattern is named
    e.remove(ActionInputs.IMAGE_ENV);
    x = assertThrows(LayerslimException.class, () -> options(new ActionInputs(e)));
    assertTrue(x.getMessage().contains("uses: docker://ghcr.io/<owner>/layerslim:v"), x.getMessage());
    assertTrue(x.getMessage().contains("--build-arg PYTHON_VERSION=3.12"), x.getMessage());
  }

  @Test
  void imagePython_isTheDefault_andTheSameVersionPasses() throws IOException {
    Files.writeString(ws.resolve("r.txt"), "six\n");
    Map<String, String> e = env("requirements", "r.txt");
    e.put(ActionInputs.IMAGE_PYTHON_ENV, "3.13");
    assertEquals("3.13", options(new ActionInputs(e)).target().python(), "a docker:// step without the input");
    e.put(ActionInputs.envName("python-version"), "3.13");
    assertEquals("3.13", options(new ActionInputs(e)).target().python());
    // outside the image (layerslim action run by hand) any runtime goes
    assertEquals("3.12", options(new ActionInputs(env("requirements", "r.txt", "python-version", "3.12")))
        .target().python());
  }

  @Test
  void imagePython_winsOverLayerslimToml_andABadInputIsStillNamed() throws IOException {
    Files.writeString(ws.resolve("r.txt"), "six\n");
    Files.writeString(ws.resolve("layerslim.toml"), "python-version = \"3.12\"\n");
    Map<String, String> e = env("requirements", "r.txt", "python-version", "3.11");
    e.put(ActionInputs.IMAGE_PYTHON_ENV, "3.11");
    assertEquals("3.11", options(new ActionInputs(e)).target().python(), "the image's runtime is the target");
    e.put(ActionInputs.envName("python-version"), "3.8");
    assertUsage("input python-version: 3.8 is not a Lambda Python runtime", "requirements", "r.txt",
        "python-version", "3.8");
    LayerslimException x = assertThrows(LayerslimException.class, () -> options(new ActionInputs(e)));
    assertTrue(x.getMessage().startsWith("input python-version: 3.8 is not a Lambda Python runtime"), x.getMessage());
  }

  @Test
  void layerslimToml_inTheWorkspace_isReadLikeTheCli_andTheInputsGoOnTop() throws IOException {
    Files.writeString(ws.resolve("r.txt"), "six\n");
    Files.writeString(ws.resolve("layerslim.toml"),
        "[prune]\nexclude = [\"botocore/data/**\"]\nkeep = [\"six\"]\nprune-unused = true\n");
    BuildOptions o = options(new ActionInputs(env("requirements", "r.txt", "exclude", "**/tests/**", "keep", "attrs")));
    assertEquals(List.of("botocore/data/**", "**/tests/**"), o.prune().exclude());
    assertEquals(List.of("six", "attrs"), o.prune().keep());
    assertTrue(o.prune().pruneUnused(), "prune-unused = true in layerslim.toml, the input left at its default false");
    assertEquals(ws.resolve("layerslim.toml"), o.prune().configFile());

    Files.createDirectories(ws.resolve("layers"));
    Files.writeString(ws.resolve("layers/geo.toml"), "[prune]\ninclude = [\"pyproj/proj_dir/**\"]\n");
    BuildOptions g = options(new ActionInputs(env("requirements", "r.txt", "config", "layers/geo.toml")));
    assertEquals(List.of("pyproj/proj_dir/**"), g.prune().include());
    assertEquals(List.of(), g.prune().exclude(), "the input config replaces the workspace's layerslim.toml");
    assertFalse(g.prune().pruneUnused());

    assertUsage("input config: " + ws.resolve("none.toml") + ": no such file", "requirements", "r.txt", "config",
        "none.toml");
    Files.writeString(ws.resolve("layerslim.toml"), "[prune]\nexlude = []\n");
    assertUsage(ws.resolve("layerslim.toml") + ":2: unknown key 'exlude'", "requirements", "r.txt");
  }

  @TempDir Path outside;

  @Test
  void pipPaths_outsideTheWorkspace_areExitTwoNamingTheOption_inEverySpelling() throws IOException {
    Files.writeString(ws.resolve("r.txt"), "six\n");
    Path secret = Files.writeString(outside.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
    String up = ws.relativize(secret).toString(); // ../../…/passwd
    assertUsage("input pip-args: --constraint " + ws.resolve(up).normalize() + " is outside the workspace",
        "requirements", "r.txt", "pip-args", "-c " + up);
    assertUsage("input pip-args: --constraint", "requirements", "r.txt", "pip-args", "--constraint=" + secret);
    assertUsage("input pip-args: --find-links " + outside + " is outside", "requirements", "r.txt", "pip-args",
        "--find-links " + outside);
    assertUsage("input pip-args: --find-links", "requirements", "r.txt", "pip-args", "-f " + outside);
    assertUsage("input pip-args: --find-links", "requirements", "r.txt", "pip-args", "--find-links=file://" + outside);
    assertUsage("input pip-args: --find-links", "requirements", "r.txt", "pip-args", "-f file:" + outside);
    assertUsage("input pip-args: --index-url", "requirements", "r.txt", "pip-args", "-i file://" + outside + "/");
    assertUsage("input index-url:", "requirements", "r.txt", "index-url", "file://" + outside + "/simple");
    assertUsage("input extra-index-url or pip-args --extra-index-url:", "requirements", "r.txt",
        "extra-index-url", "file://" + outside + "/simple");
    // a link inside the workspace that leads out of it is followed to where it leads
    Files.createSymbolicLink(ws.resolve("ci"), outside);
    assertUsage("input pip-args: --constraint " + ws.resolve("ci/passwd") + " is outside the workspace "
        + ws + " (it leads to " + secret.toRealPath() + ")", "requirements", "r.txt", "pip-args", "-c ci/passwd");
    assertUsage("input pip-args: --find-links", "requirements", "r.txt", "pip-args", "-f ci/wheels");
    // the requirements file, and what it includes
    assertUsage("input requirements: " + secret + " is outside the workspace", "requirements", secret.toString());
    Files.writeString(ws.resolve("r.txt"), "six\n-r " + up + "\n");
    assertUsage("input requirements: " + ws.resolve("r.txt") + ":2: -r", "requirements", "r.txt");
    // local projects pip would build from outside the workspace, in each spelling pip takes
    for (String line : List.of("-e " + up, "--editable=" + outside, "../../../../etc", outside + "/pkg",
        "demo @ file://" + outside + "/demo", "demo[extra] @ file:" + outside, "-e file://" + outside, "-e ci/pkg")) {
      Files.writeString(ws.resolve("r.txt"), "six\n" + line + "\n");
      assertUsage("input requirements: " + ws.resolve("r.txt") + ":2: ", "requirements", "r.txt");
    }
    // remote and in-workspace ones are pip's to judge
    Files.createDirectories(ws.resolve("pkg"));
    Files.writeString(ws.resolve("r.txt"), "six\n-e ./pkg\n./pkg\ngit+https://example.org/x.git#egg=x\n"
        + "demo @ https://example.org/demo.whl\n-e git+ssh://git@example.org/x.git#egg=x\n");
    options(new ActionInputs(env("requirements", "r.txt")));
    Files.writeString(ws.resolve("base.txt"), "-c ci/passwd\n");
    Files.writeString(ws.resolve("r.txt"), "six\n--requirement=base.txt\n");
    assertUsage("input requirements: " + ws.resolve("base.txt") + ":1: -c", "requirements", "r.txt");
    Files.writeString(ws.resolve("r.txt"), "--find-links " + outside + "\nsix\n");
    assertUsage("input requirements: " + ws.resolve("r.txt") + ":1: --find-links", "requirements", "r.txt");
    Files.writeString(ws.resolve("r.txt"), "-i file://" + outside + "/simple\nsix\n");
    assertUsage("input requirements: " + ws.resolve("r.txt") + ":1: -i", "requirements", "r.txt");
  }

  @Test
  void pipPaths_insideTheWorkspace_andRemoteUrls_areTakenAsBefore() throws IOException {
    Files.writeString(ws.resolve("r.txt"), "-r sub/more.txt\n-c c.txt\nsix\n");
    Files.createDirectories(ws.resolve("sub"));
    Files.writeString(ws.resolve("sub/more.txt"), "--find-links ../wheels\nattrs\n");
    Files.writeString(ws.resolve("c.txt"), "six==1\n");
    Files.createDirectories(ws.resolve("wheels"));
    BuildOptions o = options(new ActionInputs(env("requirements", "r.txt", "index-url", "https://pypi.example.com/simple",
        "pip-args", "-c c.txt -f wheels --find-links=file://" + ws.resolve("wheels")
            + " --find-links https://x.example.com/links -f not-there-yet")));
    assertEquals(List.of(ws.resolve("wheels").toString(), "file://" + ws.resolve("wheels"),
        "https://x.example.com/links", ws.resolve("not-there-yet").toString()), o.install().findLinks());
  }
}
