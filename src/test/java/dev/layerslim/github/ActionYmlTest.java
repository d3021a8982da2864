package dev.layerslim.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * action.yml against the code behind it: its inputs are exactly {@link ActionInputs#NAMES}, its
 * outputs exactly what ActionCommand writes, and the Dockerfile starts that command. Read with a small
 * line parser of the two-space-indented {@code inputs:}/{@code outputs:} blocks (action.yml is ours
 * and kept in that shape) rather than a YAML library the project does not otherwise need.
 */
final class ActionYmlTest {
  private static final Path ACTION_YML = Path.of("action.yml");
  private static final Path DOCKERFILE = Path.of("Dockerfile");
  private static final Path RELEASE = Path.of(".github/workflows/release.yml");
  private static final Path README = Path.of("README.md");

  /** The entries of a top-level block: name → its own key/value lines (description, default, …). */
  static Map<String, Map<String, String>> block(List<String> lines, String name) {
    Map<String, Map<String, String>> entries = new LinkedHashMap<>();
    boolean inBlock = false;
    Map<String, String> current = null;
    for (String line : lines) {
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      if (!line.startsWith(" ")) {
        inBlock = line.equals(name + ":");
        continue;
      }
      if (!inBlock) {
        continue;
      }
      Matcher entry = Pattern.compile("^  ([\\w-]+):\\s*$").matcher(line);
      Matcher field = Pattern.compile("^    ([\\w-]+):\\s*(.*)$").matcher(line);
      if (entry.matches()) {
        current = new LinkedHashMap<>();
        entries.put(entry.group(1), current);
      } else if (field.matches() && current != null) {
        current.put(field.group(1), unquote(field.group(2).trim()));
      }
    }
    return entries;
  }

  private static String unquote(String v) {
    return v.length() >= 2 && (v.startsWith("'") && v.endsWith("'") || v.startsWith("\"") && v.endsWith("\""))
        ? v.substring(1, v.length() - 1) : v;
  }

  @Test
  void inputs_areExactlyTheEntrypointsInputNames_inItsOrder() throws Exception {
    Map<String, Map<String, String>> inputs = block(Files.readAllLines(ACTION_YML), "inputs");

    assertEquals(ActionInputs.NAMES, new ArrayList<>(inputs.keySet()));
  }

  @Test
  void inputs_eachHaveADescriptionAndADefault_withTheDocumentedDefaults() throws Exception {
    Map<String, Map<String, String>> inputs = block(Files.readAllLines(ACTION_YML), "inputs");

    inputs.forEach((name, fields) -> {
      assertFalse(fields.getOrDefault("description", "").isBlank(), name + " has no description");
      assertTrue(fields.containsKey("default"), name + " has no default");
      assertEquals("false", fields.get("required"), name + " must not be required: a docker action cannot enforce it");
    });
    assertEquals("${{ github.token }}", inputs.get("github-token").get("default"));
    assertEquals("3.11", inputs.get("python-version").get("default"));
    assertEquals("x86_64", inputs.get("architecture").get("default"));
    assertEquals("cold-path", inputs.get("bytecode").get("default"));
    assertEquals("true", inputs.get("strip").get("default"));
    assertEquals("true", inputs.get("smoke-test").get("default"));
    assertEquals("true", inputs.get("comment").get("default"));
    assertEquals("false", inputs.get("prune-unused").get("default"));
    assertEquals("layerslim-out", inputs.get("output-dir").get("default"));
  }

  @Test
  void outputs_areExactlyWhatActionCommandWrites() throws Exception {
    Map<String, Map<String, String>> outputs = block(Files.readAllLines(ACTION_YML), "outputs");
    String command = Files.readString(Path.of("src/main/java/dev/layerslim/cli/ActionCommand.java"));
    // distinct, in the order of first appearance (a failed build writes some of them again)
    java.util.Set<String> written = new java.util.LinkedHashSet<>();
    Matcher put = Pattern.compile("outputs\\.put\\(\"([\\w-]+)\"").matcher(command);
    while (put.find()) {
      written.add(put.group(1));
    }

    assertEquals(List.of("layer-zip", "layer-dir", "report-json", "report-md", "unzipped-bytes", "zipped-bytes",
        "exceeded", "result", "comment-body", "release-assets"), new ArrayList<>(written));
    assertEquals(new ArrayList<>(written), new ArrayList<>(outputs.keySet()));
    outputs.forEach((name, fields) ->
        assertFalse(fields.getOrDefault("description", "").isBlank(), name + " has no description"));
  }

  @Test
  void runs_isTheDockerfileWhoseEntrypointIsTheActionCommand() throws Exception {
    Map<String, Map<String, String>> runs = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(ACTION_YML);
    for (String l : lines) {
      Matcher m = Pattern.compile("^  (using|image):\\s*(\\S+)$").matcher(l);
      if (m.matches()) {
        runs.computeIfAbsent("runs", k -> new LinkedHashMap<>()).put(m.group(1), m.group(2));
      }
    }
    assertEquals(Map.of("using", "docker", "image", "Dockerfile"), runs.get("runs"));

    List<String> docker = Files.readAllLines(DOCKERFILE);
    List<String> froms = docker.stream().filter(l -> l.startsWith("FROM ")).toList();
    // the final stage is the SAM build image of the runtime (a digest in place of the tag when released)
    assertEquals("FROM ${BASE_IMAGE}", froms.get(froms.size() - 1));
    assertTrue(docker.contains("ARG BASE_IMAGE=public.ecr.aws/sam/build-python${PYTHON_VERSION}:${SAM_IMAGE_TAG}"),
        "BASE_IMAGE defaults to the runtime's SAM build image");
    assertEquals("ENTRYPOINT [\"/usr/local/bin/layerslim\", \"action\"]",
        docker.stream().filter(l -> l.startsWith("ENTRYPOINT")).reduce((a, b) -> b).orElse(""));
  }

  @Test
  void dockerfile_pinsEveryBaseImage_andRedeclaresTheArgsItsStagesUse() throws Exception {
    List<String> docker = Files.readAllLines(DOCKERFILE);
    Map<String, String> globalArgs = new LinkedHashMap<>();
    int firstFrom = -1;
    for (int i = 0; i < docker.size(); i++) {
      String l = docker.get(i);
      if (l.startsWith("FROM ") && firstFrom < 0) {
        firstFrom = i;
      }
      Matcher arg = Pattern.compile("^ARG (\\w+)=(\\S+)$").matcher(l);
      if (arg.matches() && firstFrom < 0) {
        globalArgs.put(arg.group(1), arg.group(2));
      }
    }
    assertEquals("3.11", globalArgs.get("PYTHON_VERSION"));
    for (String image : List.of("SAM_IMAGE_TAG", "GRAALVM_IMAGE", "GRAALVM_GLIBC_IMAGE", "MAVEN_IMAGE")) {
      String v = globalArgs.get(image);
      assertTrue(v != null && !v.endsWith(":latest") && !v.isBlank(), image + " is not pinned: " + v);
      assertTrue(image.equals("SAM_IMAGE_TAG") ? v.matches("\\d+\\.\\d+\\.\\d+(-\\d{14})?") : v.matches(".+:\\d[\\w.-]+"),
          image + " is not pinned to a release: " + v);
    }
    // an ARG from before the first FROM is empty inside a stage unless the stage declares it again
    int lastFrom = 0;
    for (int i = 0; i < docker.size(); i++) {
      if (docker.get(i).startsWith("FROM ")) {
        lastFrom = i;
      }
    }
    List<String> finalStage = docker.subList(lastFrom + 1, docker.size());
    assertTrue(finalStage.contains("ARG PYTHON_VERSION"), "the final stage uses PYTHON_VERSION without ARG");
  }

  @Test
  void dockerfile_eachArchitectureHasItsNativeStage_theImageKnowsItsRuntime_andBuildsWithoutTests()
      throws Exception {
    String docker = Files.readString(DOCKERFILE);
    List<String> lines = Files.readAllLines(DOCKERFILE);
    // buildx picks the stage by TARGETARCH: musl static on amd64, glibc inside the SAM image on arm64
    assertTrue(lines.contains("FROM native-${TARGETARCH} AS native"), "no per-architecture native stage");
    assertTrue(lines.contains("FROM ${GRAALVM_IMAGE} AS native-amd64"));
    assertTrue(lines.contains("FROM ${BASE_IMAGE} AS native-arm64"), "arm64 must link on the target's own glibc");
    for (String stage : List.of("native-amd64", "native-arm64")) {
      String body = docker.substring(docker.indexOf(" AS " + stage));
      body = body.substring(0, body.indexOf("\nFROM "));
      assertTrue(body.contains("RUN --mount=type=cache,target=/root/.m2"), stage + ": no Maven cache");
      assertTrue(body.contains("-Dmaven.test.skip=true"), stage + ": compiles the tests it does not run");
      assertTrue(body.contains("LANG=C.UTF-8"), stage + ": no UTF-8 locale");
      assertTrue(body.contains("./target/layerslim --version"), stage + ": the binary is not started");
    }
    assertTrue(docker.contains("-Pnative,static -Dmaven.test.skip=true"), "amd64 is the static musl build");
    assertTrue(docker.contains("ENV LAYERSLIM_IMAGE_PYTHON=${PYTHON_VERSION}"));
    assertTrue(docker.contains("LAYERSLIM_IMAGE=${IMAGE_REF}"), "the image's own name for the uses: line");
    assertTrue(docker.contains("org.opencontainers.image.source=\"${IMAGE_SOURCE}\""));
    assertTrue(docker.contains(ActionInputs.IMAGE_PYTHON_ENV) && docker.contains(ActionInputs.IMAGE_ENV));
  }

  /** The runtimes of the release workflow's PYTHON_RUNTIMES. */
  static List<String> releaseRuntimes() throws Exception {
    Matcher m = Pattern.compile("(?m)^  PYTHON_RUNTIMES: '([^']+)'$").matcher(Files.readString(RELEASE));
    assertTrue(m.find(), "no PYTHON_RUNTIMES in " + RELEASE);
    return List.of(m.group(1).trim().split("\\s+"));
  }

  @Test
  void release_buildsAnImageForEveryRuntimeTheCliKnows_andTheReadmeListsExactlyThose() throws Exception {
    List<String> runtimes = releaseRuntimes();
    assertEquals(new ArrayList<>(dev.layerslim.layer.Target.RUNTIMES.keySet()), runtimes);

    List<String> inReadme = new ArrayList<>();
    Matcher row = Pattern.compile("(?m)^\\| python(\\d+\\.\\d+) \\| `docker://ghcr\\.io/<owner>/layerslim:v1-python(\\d+\\.\\d+)`")
        .matcher(Files.readString(README));
    while (row.find()) {
      assertEquals(row.group(1), row.group(2), "a README row names another runtime's image");
      inReadme.add(row.group(1));
    }
    assertEquals(runtimes, inReadme, "the README's image table and the release's PYTHON_RUNTIMES differ");
  }

  @Test
  void release_pointsActionYmlAtTheImageOfTheDefaultRuntime_andNeverMovesTheMajorTagOnAPreRelease()
      throws Exception {
    String release = Files.readString(RELEASE);
    assertTrue(release.contains("DEFAULT_PYTHON: '" + ActionYmlTest.block(Files.readAllLines(ACTION_YML), "inputs")
        .get("python-version").get("default") + "'"), "action.yml's image must be the default input's runtime");
    assertTrue(release.contains("sed -i \"s|^  image: Dockerfile\\$|  image: $ref|\" action.yml"));
    assertTrue(release.contains("ref=\"docker://$IMAGE:$VERSION-python$DEFAULT_PYTHON\""));
    // the major tag (git and image) moves inside "if [ "$PRERELEASE" = false ]" only
    for (String move : List.of("git push -f origin \"refs/tags/$MAJOR\"", "tags+=(-t \"$IMAGE:$MAJOR-python$PY\")")) {
      int at = release.indexOf(move);
      assertTrue(at > 0, move);
      String before = release.substring(0, at);
      assertTrue(before.lastIndexOf("if [ \"$PRERELEASE\" = false ]; then") > before.lastIndexOf("fi\n"),
          move + " is not guarded by PRERELEASE = false");
    }
    assertTrue(release.contains("--build-arg") || release.contains("BASE_IMAGE=$base"), "base image by digest");
  }

  @Test
  void block_readsEntriesAndFields_andSkipsComments() {
    List<String> yml = List.of("name: x", "inputs:", "  # a comment", "  a-b:", "    description: first",
        "    default: '0'", "  c:", "    description: \"second\"", "outputs:", "  d:", "    description: third");

    Map<String, Map<String, String>> inputs = block(yml, "inputs");

    assertEquals(Map.of("a-b", Map.of("description", "first", "default", "0"), "c", Map.of("description", "second")),
        inputs);
    assertEquals(List.of("d"), new ArrayList<>(block(yml, "outputs").keySet()));
  }
}
