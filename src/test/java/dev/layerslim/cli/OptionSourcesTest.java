package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.error.LayerslimException;
import dev.layerslim.github.ActionInputs;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.ConfigFile;
import dev.layerslim.pipeline.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One declaration, three sources: every option of {@code layerslim build} is an action input (in
 * action.yml) and a layerslim.toml key by one naming rule, or is listed with the reason it is not;
 * the action and build agree on each default; and the same value reaches the same BuildOptions
 * whichever source gives it, with the documented precedence.
 */
class OptionSourcesTest {
  /** The action's inputs that are not build options: what the action does besides building. */
  static final Set<String> ACTION_ONLY = Set.of("pip-args", "comment", "comment-key", "github-token", "release-tag");

  @TempDir Path ws;

  static List<OptionSpec> buildOptions() {
    List<OptionSpec> out = new ArrayList<>();
    for (OptionSpec o : CommandSpec.forAnnotatedObject(new BuildCommand()).options()) {
      if (!OptionSources.CONSOLE.contains(OptionSources.name(o))) {
        out.add(o);
      }
    }
    return out;
  }

  static Map<String, Map<String, String>> actionYmlInputs() throws IOException {
    Map<String, Map<String, String>> entries = new LinkedHashMap<>();
    boolean inBlock = false;
    Map<String, String> current = null;
    for (String line : Files.readAllLines(Path.of("action.yml"))) {
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      if (!line.startsWith(" ")) {
        inBlock = line.equals("inputs:");
        continue;
      }
      Matcher entry = Pattern.compile("^  ([\\w-]+):\\s*$").matcher(line);
      Matcher field = Pattern.compile("^    ([\\w-]+):\\s*(.*)$").matcher(line);
      if (inBlock && entry.matches()) {
        current = new LinkedHashMap<>();
        entries.put(entry.group(1), current);
      } else if (inBlock && field.matches() && current != null) {
        String v = field.group(2).trim();
        current.put(field.group(1), v.length() >= 2 && (v.startsWith("'") && v.endsWith("'")
            || v.startsWith("\"") && v.endsWith("\"")) ? v.substring(1, v.length() - 1) : v);
      }
    }
    return entries;
  }

  @Test
  void everyBuildOption_isAnInputAndAKey_orSaysWhyNot() throws IOException {
    Map<String, Map<String, String>> yml = actionYmlInputs();
    Set<String> names = new TreeSet<>();
    for (OptionSpec o : buildOptions()) {
      String name = OptionSources.name(o);
      names.add(name);
      if (OptionSources.NOT_INPUTS.containsKey(name)) {
        assertFalse(OptionSources.NOT_INPUTS.get(name).isBlank(), name);
        assertFalse(yml.containsKey(name), name + " is listed as no input, but action.yml has it");
      } else {
        assertTrue(yml.containsKey(name), "--" + name + " has no input " + name + " in action.yml, nor a reason in "
            + "OptionSources.NOT_INPUTS");
        assertTrue(ActionInputs.NAMES.contains(name), name);
      }
      if (OptionSources.NOT_KEYS.containsKey(name)) {
        assertFalse(OptionSources.NOT_KEYS.get(name).isBlank(), name);
        assertFalse(OptionSources.keys().containsKey(name), name);
      } else {
        assertTrue(OptionSources.keys().containsKey(name), "--" + name + " is no layerslim.toml key, nor listed in "
            + "OptionSources.NOT_KEYS");
        String key = OptionSources.keys().get(name);
        assertTrue(key.equals(name) || key.equals(ConfigFile.PRUNE + "." + name), key);
      }
    }
    // nothing listed that is not an option, and every input is an option or the action's own
    assertTrue(names.containsAll(OptionSources.NOT_INPUTS.keySet()), OptionSources.NOT_INPUTS.keySet().toString());
    assertTrue(names.containsAll(OptionSources.NOT_KEYS.keySet()), OptionSources.NOT_KEYS.keySet().toString());
    for (String input : yml.keySet()) {
      assertTrue(names.contains(input) != ACTION_ONLY.contains(input),
          input + ": an input is either a build option or one of the action's own (ACTION_ONLY)");
    }
    // the documented [prune] table
    assertEquals(Set.of("keep", "exclude", "include", "prune-unused", "prune-modules", "cold-storage",
        "drop-runtime-provided"), OptionSources.keys().entrySet().stream()
        .filter(e -> e.getValue().startsWith("prune.")).map(Map.Entry::getKey).collect(java.util.stream.Collectors.toSet()));
  }

  /**
   * A flag with no fallback value flips its default: with prune-unused = true in layerslim.toml,
   * --prune-unused would turn it off. Every switch sets true when given (--no-… sets false).
   */
  @Test
  void everySwitch_givenOnTheCommandLine_isOn_whateverLayerslimTomlSays() throws IOException {
    for (OptionSpec o : buildOptions()) {
      if (o.type() == boolean.class && !OptionSources.CONSOLE.contains(OptionSources.name(o))) {
        assertEquals("true", o.fallbackValue(), "--" + OptionSources.name(o) + " needs fallbackValue = \"true\"");
      }
    }
    Files.writeString(ws.resolve("r.txt"), "six\n");
    Path toml = Files.writeString(ws.resolve("layerslim.toml"), "strip = false\nsmoke-test = false\n"
        + "[prune]\nprune-unused = true\ncold-storage = false\n");
    String r = ws.resolve("r.txt").toString();
    BuildOptions on = cli("-r", r, "--config", toml.toString(), "--prune-unused", "--cold-storage", "--strip", "--smoke");
    assertTrue(on.pruneUnused() && on.coldStorage() && on.strip() && on.smokeTest().smoke(), on.toString());
    BuildOptions off = cli("-r", r, "--config", toml.toString(), "--no-strip", "--no-smoke");
    assertFalse(off.strip() || off.smokeTest().smoke(), off.toString());
    assertTrue(off.pruneUnused());
  }

  @Test
  void theActionAndBuild_agreeOnEveryDefault() throws IOException {
    Map<String, Map<String, String>> yml = actionYmlInputs();
    for (OptionSpec o : buildOptions()) {
      String name = OptionSources.name(o);
      if (!yml.containsKey(name)) {
        continue;
      }
      String picocli = o.defaultValue();
      if (picocli == null) {
        picocli = o.type() == boolean.class ? "false" : "";
      }
      assertEquals(picocli, yml.get(name).get("default"), "input " + name + "'s default in action.yml");
    }
  }

  /** A value for each setting that is an input and a key, written as each source takes it. */
  Map<String, Object> samples() throws IOException {
    Files.writeString(ws.resolve("r.txt"), "six\n");
    Files.writeString(ws.resolve("app.py"), "import six\n");
    Files.writeString(ws.resolve("check.py"), "print(1)\n");
    Files.writeString(ws.resolve("event.json"), "{}\n");
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("requirements", ws.resolve("r.txt").toString());
    s.put("handler", List.of(ws.resolve("app.py").toString()));
    s.put("handler-function", "app.handler");
    s.put("python-version", "3.12");
    s.put("architecture", "arm64");
    s.put("glibc", "2.28");
    s.put("output-dir", ws.resolve("out").toString());
    s.put("index-url", "https://i.example.com/simple");
    s.put("extra-index-url", List.of("https://e.example.com/simple", "https://f.example.com/simple"));
    s.put("pip-cache", ws.resolve(".pip-cache").toString());
    s.put("max-unzipped", "200MiB");
    s.put("max-zipped", "50MiB");
    s.put("max-growth", "5MiB");
    s.put("extra-bytes", "1000");
    s.put("strip", false);
    s.put("smoke-test", false);
    s.put("bytecode", "all");
    s.put("compat", "warn");
    s.put("system-lib", List.of("libgdal.so.30"));
    s.put("threads", "3");
    s.put("smoke-import", List.of("json", "six"));
    s.put("smoke-script", ws.resolve("check.py").toString());
    s.put("smoke-event", ws.resolve("event.json").toString());
    s.put("smoke-timeout", "60");
    s.put("keep", List.of("six"));
    s.put("exclude", List.of("**/tests/**"));
    s.put("include", List.of("six/**"));
    s.put("prune-unused", true);
    s.put("prune-modules", true);
    s.put("cold-storage", true);
    s.put("drop-runtime-provided", true);
    return s;
  }

  /** Settings no sample covers on purpose: a baseline must be a real report (BuildBaselineTest, ActionOptionsTest). */
  static final Set<String> NOT_SAMPLED = Set.of("baseline", "site-packages");

  static BuildOptions cli(String... args) {
    BuildCommand build = new BuildCommand();
    new CommandLine(build).parseArgs(args);
    return build.toOptions();
  }

  @Test
  void theSameValue_fromTheCommandLine_theInputs_orLayerslimToml_givesTheSameBuild() throws IOException {
    Map<String, Object> samples = samples();
    for (OptionSpec o : buildOptions()) {
      String name = OptionSources.name(o);
      if (ActionInputs.NAMES.contains(name) && OptionSources.keys().containsKey(name) && !NOT_SAMPLED.contains(name)) {
        assertTrue(samples.containsKey(name), "no sample for " + name + ": add one so the three sources are compared");
      }
    }
    List<String> args = new ArrayList<>();
    Map<String, String> env = new HashMap<>(Map.of("GITHUB_WORKSPACE", ws.toString()));
    StringBuilder top = new StringBuilder();
    StringBuilder prune = new StringBuilder("[prune]\n");
    samples.forEach((name, v) -> {
      String key = OptionSources.keys().get(name);
      StringBuilder toml = key.startsWith("prune.") ? prune : top;
      if (v instanceof Boolean b) {
        args.add((b ? "--" : "--no-") + name);
        env.put(ActionInputs.envName(name), b.toString());
        toml.append(name).append(" = ").append(b).append('\n');
      } else if (v instanceof List<?> l) {
        l.forEach(x -> args.addAll(List.of("--" + name, x.toString())));
        env.put(ActionInputs.envName(name), String.join("\n", l.stream().map(Object::toString).toList()));
        toml.append(name).append(" = [").append(String.join(", ", l.stream().map(x -> "'" + x + "'").toList()))
            .append("]\n");
      } else {
        args.addAll(List.of("--" + name, v.toString()));
        env.put(ActionInputs.envName(name), v.toString());
        toml.append(name).append(" = '").append(v).append("'\n");
      }
    });
    Path config = Files.writeString(ws.resolve("sources.toml"), top + "\n" + prune);

    BuildOptions fromCli = cli(args.toArray(String[]::new));
    BuildOptions fromInputs = BuildCommand.fromInputs(new ActionInputs(env));
    BuildOptions fromToml = cli("--config", config.toString());

    assertEquals(fromCli.toBuilder().vocabulary(Vocabulary.ACTION).smokeRequired(false).build(), fromInputs);
    assertEquals(fromCli.toBuilder().configFile(config).build(), fromToml);
    // and the values are the samples, not three equal defaults
    assertEquals(5L << 20, fromToml.maxGrowth());
    assertEquals(List.of("json", "six"), fromToml.smokeTest().imports());
    assertFalse(fromToml.strip());
    assertEquals(60, fromToml.smokeTest().timeoutSeconds());
    assertEquals(3, fromToml.threads());
  }

  @Test
  void withNothingSet_theActionAndBuild_buildTheSame() throws IOException {
    Files.writeString(ws.resolve("r.txt"), "six\n");
    Map<String, String> env = new HashMap<>(Map.of("GITHUB_WORKSPACE", ws.toString()));
    // the runner passes action.yml's default for every input left out
    actionYmlInputs().forEach((name, fields) -> env.put(ActionInputs.envName(name), fields.get("default")));
    env.put(ActionInputs.envName("requirements"), "r.txt");
    env.put(ActionInputs.envName("output-dir"), ws.resolve("layerslim-out").toString());
    BuildOptions action = BuildCommand.fromInputs(new ActionInputs(env));
    BuildOptions build = cli("-r", ws.resolve("r.txt").toString(), "-o", ws.resolve("layerslim-out").toString());
    assertEquals(build.toBuilder().vocabulary(Vocabulary.ACTION).smokeRequired(true).build(), action);
  }

  @Test
  void precedence_commandLine_thenInputs_thenLayerslimToml_thenTheDefault_andListsAddUp() throws IOException {
    Files.writeString(ws.resolve("r.txt"), "six\n");
    Path toml = Files.writeString(ws.resolve("layerslim.toml"), "max-growth = '1MiB'\nsmoke-timeout = 30\n"
        + "bytecode = 'all'\n[prune]\nexclude = ['a/**']\nprune-unused = true\n");
    Map<String, String> env = new HashMap<>(Map.of("GITHUB_WORKSPACE", ws.toString(),
        ActionInputs.envName("requirements"), "r.txt", ActionInputs.envName("max-growth"), "2MiB",
        ActionInputs.envName("exclude"), "b/**", ActionInputs.envName("prune-unused"), "false",
        ActionInputs.envName("bytecode"), "cold-path", ActionInputs.envName("smoke-timeout"), "45"));
    BuildOptions action = BuildCommand.fromInputs(new ActionInputs(env));
    assertEquals(2L << 20, action.maxGrowth(), "the input over the file");
    assertEquals(45, action.smokeTest().timeoutSeconds());
    assertEquals(List.of("a/**", "b/**"), action.prune().exclude(), "lists add up: the file's first");
    assertTrue(action.pruneUnused(), "an input at its default (as the runner passes it) leaves the file's value");
    assertEquals(dev.layerslim.pipeline.BytecodeMode.ALL, action.bytecode(), "cold-path is the input's default");
    assertEquals(toml, action.prune().configFile());

    BuildOptions build = cli("-r", ws.resolve("r.txt").toString(), "--config", toml.toString(), "--max-growth", "3MiB",
        "--exclude", "c/**");
    assertEquals(3L << 20, build.maxGrowth(), "the command line over the file");
    assertEquals(30, build.smokeTest().timeoutSeconds(), "the file over the default");
    assertEquals(List.of("a/**", "c/**"), build.prune().exclude());
    assertEquals(null, cli("-r", ws.resolve("r.txt").toString()).maxGrowth(), "the default");
  }

  @Test
  void layerslimToml_relativePaths_areRelativeToTheFile_andAValueIsTakenAsWritten() throws IOException {
    Files.createDirectories(ws.resolve("layers"));
    Files.writeString(ws.resolve("layers/r.txt"), "six\n");
    Path toml = Files.writeString(ws.resolve("layers/geo.toml"), "requirements = 'r.txt'\n"
        + "index-url = 'https://x.example.com/${HOME}/$$'\n");
    BuildOptions o = cli("--config", toml.toString());
    assertEquals(ws.resolve("layers/r.txt"), o.requirements());
    assertEquals("https://x.example.com/${HOME}/$$", o.install().indexUrl(), "picocli expands ${…} in defaults; not in values");
  }

  @Test
  void layerslimToml_aKeyDefinedTwice_isExitTwoNamingTheKeyAndTheFile() throws IOException {
    Files.writeString(ws.resolve("r.txt"), "six\n");
    Path toml = Files.writeString(ws.resolve("layerslim.toml"), "max-growth = '1MiB'\nmax-growth = '2MiB'\n");
    CliRun run = CliRun.of("build", "-r", ws.resolve("r.txt").toString(), "--config", toml.toString(), "--no-smoke");
    assertEquals(LayerslimException.EXIT_USAGE, run.exitCode(), run.err());
    assertTrue(run.err().contains(toml + ":2: 'max-growth' is defined twice (first on line 1)"), run.err());

    // the action reads the workspace's layerslim.toml the same way
    Map<String, String> env = new HashMap<>(Map.of("GITHUB_WORKSPACE", ws.toString(),
        ActionInputs.envName("requirements"), "r.txt"));
    LayerslimException e = assertThrows(LayerslimException.class, () -> BuildCommand.fromInputs(new ActionInputs(env)));
    assertEquals(LayerslimException.EXIT_USAGE, e.exitCode());
    assertTrue(e.getMessage().startsWith(toml + ":2: 'max-growth' is defined twice"), e.getMessage());
  }

  @Test
  void layerslimToml_anUnknownKey_orAWrongValue_isExitTwoNamingIt() throws IOException {
    Files.writeString(ws.resolve("r.txt"), "six\n");
    Path toml = Files.writeString(ws.resolve("layerslim.toml"), "# mine\nmax-grwoth = '1MiB'\n");
    CliRun run = CliRun.of("build", "-r", ws.resolve("r.txt").toString(), "--config", toml.toString());
    assertEquals(LayerslimException.EXIT_USAGE, run.exitCode(), run.err());
    assertTrue(run.err().contains(toml + ":2: unknown key 'max-grwoth' (known: "), run.err());

    Files.writeString(toml, "max-growth = 'lots'\n");
    run = CliRun.of("build", "-r", ws.resolve("r.txt").toString(), "--config", toml.toString());
    assertEquals(LayerslimException.EXIT_USAGE, run.exitCode(), run.err());
    assertTrue(run.err().contains(toml + ":1: max-growth: 'lots' is not a size"), run.err());

    Files.writeString(toml, "[prune]\nexclude = ['../etc']\n");
    run = CliRun.of("build", "-r", ws.resolve("r.txt").toString(), "--config", toml.toString());
    assertEquals(LayerslimException.EXIT_USAGE, run.exitCode(), run.err());
    assertTrue(run.err().contains(toml + ": [prune] exclude '../etc'"), "a bad glob is the file's: " + run.err());

    Files.writeString(toml, "bytecode = 'some'\n");
    run = CliRun.of("build", "-r", ws.resolve("r.txt").toString(), "--config", toml.toString());
    assertTrue(run.err().contains(toml + ": bytecode some: use one of"), run.err());
  }
}
