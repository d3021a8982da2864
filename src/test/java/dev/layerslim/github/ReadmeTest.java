package dev.layerslim.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The README against what it documents: its inputs and outputs tables are action.yml's (names in
 * action.yml's order, and each default the table states), it quotes every example workflow verbatim,
 * one owner placeholder is used everywhere, and its links and the docs' links lead to files that exist.
 */
final class ReadmeTest {
  static final Path README = Path.of("README.md");
  static final Path ACTION_YML = Path.of("action.yml");
  static final Path EXAMPLES = Path.of(".github/workflows/examples");
  /** What every file writes for the published action. */
  static final String USES = "<owner>/layerslim@v1";

  /** action.yml as YAML: inputs and outputs, each name to its fields, in the file's order. */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> actionYml(String block) throws IOException {
    Map<String, Object> root = new Yaml().load(Files.readString(ACTION_YML));
    return (Map<String, Map<String, Object>>) root.get(block);
  }

  /** The rows of the first table under the heading {@code heading}: the cells of each, trimmed. */
  static List<List<String>> table(String markdown, String heading) {
    List<String> lines = markdown.lines().toList();
    int at = lines.indexOf(heading);
    assertTrue(at >= 0, "no heading " + heading + " in the README");
    List<List<String>> rows = new ArrayList<>();
    int i = at + 1;
    while (i < lines.size() && !lines.get(i).startsWith("|")) {
      i++;
    }
    for (; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String line = lines.get(i).trim();
      List<String> cells = new ArrayList<>();
      for (String c : line.substring(1, line.length() - 1).split("(?<!\\\\)\\|", -1)) {
        cells.add(c.trim());
      }
      rows.add(cells);
    }
    // the header and the --- line
    return rows.subList(2, rows.size());
  }

  /** The `code` spans of a cell: {@code `a`, `b`} gives a and b. */
  static List<String> codeSpans(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("`([^`]+)`").matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void inputsTable_namesEveryInputOfActionYml_inItsOrder_andStatesTheirDefaults() throws IOException {
    Map<String, Map<String, Object>> inputs = actionYml("inputs");
    List<List<String>> rows = table(Files.readString(README), "### Inputs");

    List<String> names = new ArrayList<>();
    for (List<String> row : rows) {
      List<String> name = codeSpans(row.get(0));
      assertEquals(1, name.size(), "one input a row: " + row);
      names.add(name.get(0));
    }
    assertEquals(new ArrayList<>(inputs.keySet()), names, "the README's inputs table and action.yml's inputs differ");

    for (List<String> row : rows) {
      String name = codeSpans(row.get(0)).get(0);
      String actual = String.valueOf(inputs.get(name).get("default"));
      String stated = row.get(1);
      // a default in code is action.yml's own; words ("the runtime's") or nothing describe an empty one
      if (stated.matches("`[^`]+`")) {
        assertEquals(actual, stated.substring(1, stated.length() - 1), "default of " + name);
      } else {
        assertEquals("", actual, name + ": the README describes a default action.yml does not have");
      }
      assertFalse(row.get(2).isBlank(), name + " has no meaning in the README");
    }
  }

  @Test
  void outputsTable_namesEveryOutputOfActionYml_inItsOrder() throws IOException {
    Map<String, Map<String, Object>> outputs = actionYml("outputs");
    List<String> names = new ArrayList<>();
    for (List<String> row : table(Files.readString(README), "### Outputs")) {
      names.addAll(codeSpans(row.get(0)));
    }

    assertEquals(new ArrayList<>(outputs.keySet()), names, "the README's outputs table and action.yml's outputs differ");
  }

  /** Each fenced yaml block of {@code markdown}, its text up to the closing fence. */
  static List<String> yamlBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("(?ms)^```yaml\\n(.*?)^```$").matcher(markdown);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    }
  }

  @Test
  void readme_quotesEveryExampleWorkflowVerbatim() throws IOException {
    List<String> blocks = yamlBlocks(Files.readString(README));
    List<Path> examples = examples();

    assertEquals(List.of("layer-comment.yml", "layer.yml"),
        examples.stream().map(p -> p.getFileName().toString()).toList());
    for (Path example : examples) {
      String text = Files.readString(example);
      assertTrue(blocks.contains(text), "the README does not quote " + example + " as it is");
    }
  }

  @Test
  void examples_useTheOwnerPlaceholder_andTheCommenterWaitsForTheLayerWorkflowByName() throws IOException {
    Map<String, Object> layer = new Yaml().load(Files.readString(EXAMPLES.resolve("layer.yml")));
    Map<String, Object> commenter = new Yaml().load(Files.readString(EXAMPLES.resolve("layer-comment.yml")));

    assertTrue(Files.readString(EXAMPLES.resolve("layer.yml")).contains("uses: " + USES));
    // workflow_run names the workflow by its name:, not its file; YAML 1.1 reads the key on as true
    @SuppressWarnings("unchecked")
    Map<String, Object> on = (Map<String, Object>) commenter.getOrDefault("on", commenter.get(Boolean.TRUE));
    @SuppressWarnings("unchecked")
    Map<String, Object> run = (Map<String, Object>) on.get("workflow_run");
    assertEquals(List.of(layer.get("name")), run.get("workflows"));
  }

  /** README.md, docs/, .github/ and action.yml: what a user reads or copies. */
  static List<Path> userFacingFiles() throws IOException {
    List<Path> files = new ArrayList<>(List.of(README, ACTION_YML));
    for (Path dir : List.of(Path.of("docs"), Path.of(".github"))) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(md|yml|yaml)$")).forEach(files::add);
      }
    }
    return files;
  }

  @Test
  void everyFileNamesThePublishedActionOneWay() throws IOException {
    Pattern uses = Pattern.compile("[\\w<>.-]+/layerslim@[\\w.-]+");
    Map<Path, List<String>> other = new LinkedHashMap<>();
    for (Path f : userFacingFiles()) {
      Matcher m = uses.matcher(Files.readString(f));
      while (m.find()) {
        if (!m.group().equals(USES)) {
          other.computeIfAbsent(f, k -> new ArrayList<>()).add(m.group());
        }
      }
    }
    assertEquals(Map.of(), other, "write " + USES + " everywhere");
  }

  @Test
  void everyRelativeLinkOfTheReadmeAndTheDocs_leadsToAFileThatExists() throws IOException {
    List<String> broken = new ArrayList<>();
    Pattern link = Pattern.compile("\\]\\(([^)\\s#]+)(#[^)]*)?\\)");
    for (Path f : userFacingFiles()) {
      if (!f.toString().endsWith(".md")) {
        continue;
      }
      Matcher m = link.matcher(Files.readString(f));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-z]+:.*")) {
          continue;
        }
        Path resolved = (f.getParent() == null ? Path.of("") : f.getParent()).resolve(target).normalize();
        if (!Files.exists(resolved)) {
          broken.add(f + " → " + target);
        }
      }
    }
    assertEquals(List.of(), broken);
  }

  @Test
  void readme_staysShortEnoughToReadFirst() throws IOException {
    long lines = Files.readAllLines(README).size();

    assertTrue(lines <= 300, "README.md has " + lines + " lines; details belong in docs/");
  }
}
