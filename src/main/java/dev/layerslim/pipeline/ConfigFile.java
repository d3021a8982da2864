package dev.layerslim.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code layerslim.toml}, read with jackson-dataformat-toml into Jackson's tree model (nothing is
 * bound by reflection, for the native image). Its keys are {@code layerslim build}'s options,
 * each under the option's name without the dashes ({@code max-growth = "5MiB"}); the prune options
 * ({@code exclude}, {@code include}, {@code keep}, {@code prune-unused}, {@code prune-modules},
 * {@code cold-storage}, {@code drop-runtime-provided}) sit in the {@code [prune]} table, where
 * {@code modules} is the older spelling of {@code prune-modules}. The caller says which keys exist
 * and what each holds ({@link Kind}); the command line derives them from its options.
 *
 * <p>The file is TOML: a key defined twice is an error, as the TOML specification says, never "the
 * last one wins"; a UTF-8 byte order mark is allowed. Any other key or table, or a value of the
 * wrong type, is an error naming the file, its line and the key, so a typo never passes silently.
 */
public final class ConfigFile {
  public static final String DEFAULT_NAME = "layerslim.toml";
  /** The one table: the prune options sit in it; every other option is a top-level key. */
  public static final String PRUNE = "prune";
  /** Spellings the documentation gave before every key was its option's name. */
  private static final Map<String, String> ALIASES = Map.of(PRUNE + ".modules", PRUNE + ".prune-modules");
  private static final TomlMapper TOML = TomlMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** What a key holds. */
  public enum Kind {
    /** {@code true} or {@code false}. */
    FLAG,
    /** A string, or a whole number ({@code smoke-timeout = 60}, {@code max-growth = 5242880}). */
    VALUE,
    /** An array of strings. */
    LIST
  }

  private final Path file;
  private final String[] lines;
  private final Map<String, JsonNode> values;

  private ConfigFile(Path file, String[] lines, Map<String, JsonNode> values) {
    this.file = file;
    this.lines = lines;
    this.values = values;
  }

  /** The file read. */
  public Path file() {
    return file;
  }

  /** Whether the file sets {@code key} ({@code max-growth}, {@code prune.exclude}). */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** A {@link Kind#FLAG} or {@link Kind#VALUE} key's value as text, or null when the file does not set it. */
  public String text(String key) {
    JsonNode v = values.get(key);
    return v == null ? null : v.isTextual() ? v.textValue() : v.asText();
  }

  /** A {@link Kind#LIST} key's strings; empty when the file does not set it. */
  public List<String> strings(String key) {
    List<String> out = new ArrayList<>();
    JsonNode v = values.get(key);
    if (v != null) {
      v.forEach(s -> out.add(s.textValue()));
    }
    return out;
  }

  /** How messages name {@code key}: {@code FILE: [prune] exclude}, {@code FILE: max-growth}. */
  public String label(String key) {
    return file + ": " + shown(key);
  }

  /** A usage error naming the file, the line that sets {@code key} and the key. */
  public LayerslimException error(String key, String problem) {
    return error(file, lines, tableOf(key), leaf(key), shown(key) + ": " + problem);
  }

  /**
   * Reads {@code file}, which may set only {@code keys} ({@code name} at the top level or
   * {@code prune.name}), each holding its {@link Kind}. A file that is not TOML, a key defined twice,
   * an unknown key or table, or a value of the wrong type is exit 2 naming the file and the key.
   */
  public static ConfigFile read(Path file, Map<String, Kind> keys) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw LayerslimException.usage("cannot read the config file " + file + ": " + e.getMessage());
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1); // a byte order mark, as editors on Windows write
    }
    String[] lines = text.split("\r?\n", -1);
    JsonNode root = parse(file, text, lines);
    Map<String, JsonNode> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> top : root.properties()) {
      String name = top.getKey();
      JsonNode v = top.getValue();
      if (keys.containsKey(name)) {
        values.put(name, checked(file, lines, "", name, keys.get(name), v));
      } else if (name.equals(PRUNE)) {
        if (!v.isObject()) {
          throw error(file, lines, "", PRUNE, "prune must be a table: [prune]");
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
          String key = ALIASES.getOrDefault(PRUNE + "." + e.getKey(), PRUNE + "." + e.getKey());
          if (!keys.containsKey(key)) {
            throw error(file, lines, PRUNE, e.getKey(), "unknown key '" + e.getKey() + "' in [prune] (known in [prune]: "
                + String.join(", ", known(keys, PRUNE + ".")) + ")");
          }
          if (values.containsKey(key)) {
            throw error(file, lines, PRUNE, e.getKey(), "'" + e.getKey() + "' sets " + shown(key)
                + " a second time (modules is its older spelling): keep one");
          }
          values.put(key, checked(file, lines, PRUNE, e.getKey(), keys.get(key), e.getValue()));
        }
      } else if (v.isObject()) {
        throw error(file, lines, "", name, "unknown table [" + name + "] (layerslim reads [prune]; every other key "
            + "is a top-level one)");
      } else {
        throw error(file, lines, "", name, "unknown key '" + name + "'"
            + (keys.containsKey(PRUNE + "." + name) ? " outside [prune] (it goes in [prune])"
                : " (known: " + String.join(", ", known(keys, "")) + ", and [prune])"));
      }
    }
    return new ConfigFile(file, lines, values);
  }

  private static JsonNode parse(Path file, String text, String[] lines) {
    try {
      return TOML.readTree(text);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      String why = e.getOriginalMessage();
      if (why != null && why.startsWith("Duplicate key")) {
        Duplicate d = duplicateKey(lines, line);
        throw LayerslimException.usage(file + ":" + (d == null ? line : d.line()) + ": " + (d == null
            ? "a key is defined twice" : "'" + d.key() + "' is defined twice (first on line " + d.first() + ")")
            + ": TOML allows each key once; merge the values into one");
      }
      if (why != null && why.startsWith("Table redefined")) {
        throw LayerslimException.usage(file + (line > 0 ? ":" + line : "") + ": a table is defined twice (TOML "
            + "allows each table once; put all of [prune] under one header)");
      }
      throw LayerslimException.usage(file + (line > 0 ? ":" + line : "") + ": not valid TOML ("
          + (why == null ? "unreadable" : why.lines().findFirst().orElse(why)) + ")");
    }
  }

  /** {@code v} when it is what {@code kind} holds; otherwise exit 2 naming the key. */
  private static JsonNode checked(Path file, String[] lines, String table, String key, Kind kind, JsonNode v) {
    switch (kind) {
      case FLAG -> {
        if (!v.isBoolean()) {
          throw error(file, lines, table, key, key + " must be true or false, not " + v);
        }
      }
      case VALUE -> {
        if (!v.isTextual() && !v.isIntegralNumber()) {
          throw error(file, lines, table, key, key + " must be a string" + (v.isNumber() ? " (write \"" + v.asText()
              + "\" in quotes: 3.10 as a number is 3.1)" : " or a whole number, not " + v));
        }
      }
      case LIST -> {
        if (!v.isArray()) {
          throw error(file, lines, table, key, key + " must be an array of strings, like [\"pkg/data/**\"]");
        }
        for (JsonNode s : v) {
          if (!s.isTextual()) {
            throw error(file, lines, table, key, key + " must be an array of strings, like [\"pkg/data/**\"], not "
                + s + " in it");
          }
        }
      }
    }
    return v;
  }

  private static List<String> known(Map<String, Kind> keys, String prefix) {
    TreeSet<String> out = new TreeSet<>();
    for (String k : keys.keySet()) {
      String rest = k.startsWith(prefix) ? k.substring(prefix.length()) : null;
      if (rest != null && !rest.contains(".")) {
        out.add(rest);
      }
    }
    return new ArrayList<>(out);
  }

  private static String tableOf(String key) {
    int dot = key.indexOf('.');
    return dot < 0 ? "" : key.substring(0, dot);
  }

  private static String leaf(String key) {
    return key.substring(key.indexOf('.') + 1);
  }

  /** {@code [prune] exclude} or {@code max-growth}. */
  private static String shown(String key) {
    return tableOf(key).isEmpty() ? key : "[" + tableOf(key) + "] " + leaf(key);
  }

  /** A usage error naming the file and, where it can be found, the line that sets {@code key} in {@code table}. */
  private static LayerslimException error(Path file, String[] lines, String table, String key, String message) {
    int line = lineOf(lines, table, key);
    return LayerslimException.usage(file + (line > 0 ? ":" + line : "") + ": " + message);
  }

  /**
   * The line that sets {@code key} in {@code table} (or opens a table of that name; a dotted key
   * {@code prune.key} counts too), else the first line that sets {@code key} anywhere; -1.
   */
  private static int lineOf(String[] lines, String table, String key) {
    String current = "";
    int anywhere = -1;
    for (int i = 0; i < lines.length; i++) {
      String k = keyOf(lines[i]);
      if (k == null) {
        continue;
      }
      boolean header = lines[i].strip().startsWith("[");
      if (header) {
        current = k;
      }
      String l = lines[i].strip();
      boolean dotted = !header && l.startsWith(table + ".");
      if (key.equals(k) && (current.equals(table) || dotted || header)) {
        return i + 1;
      }
      if (key.equals(k) && anywhere < 0) {
        anywhere = i + 1;
      }
    }
    return anywhere;
  }

  /**
   * The key a line sets ({@code key = …}, quoted or dotted: the last part), or the name of the table
   * it opens; null for other lines. Only to name the key in a message: the parser has read the file.
   */
  private static String keyOf(String line) {
    String l = line.strip();
    if (l.startsWith("[") && !l.startsWith("[[") && l.indexOf(']') > 0) {
      return l.substring(1, l.indexOf(']')).strip();
    }
    int eq = l.indexOf('=');
    if (eq <= 0) {
      return null;
    }
    String k = l.substring(0, eq).strip();
    int dot = k.lastIndexOf('.');
    if (dot >= 0 && !k.endsWith("\"") && !k.endsWith("'")) {
      k = k.substring(dot + 1).strip();
    }
    if (k.length() >= 2 && (k.startsWith("\"") && k.endsWith("\"") || k.startsWith("'") && k.endsWith("'"))) {
      k = k.substring(1, k.length() - 1);
    }
    return k.matches("[A-Za-z0-9_.-]+") ? k : null;
  }

  /** A key set a second time in one table: on {@code line}, first on {@code first}. */
  private record Duplicate(String key, int line, int first) {}

  /** The first key that a line up to {@code line} sets a second time within the same table, or null. */
  private static Duplicate duplicateKey(String[] lines, int line) {
    Map<String, Integer> seen = new java.util.HashMap<>();
    String table = "";
    for (int i = 0; i < Math.min(lines.length, line < 0 ? lines.length : line); i++) {
      String k = keyOf(lines[i]);
      if (k == null) {
        continue;
      }
      if (lines[i].strip().startsWith("[")) {
        table = k;
        continue;
      }
      Integer first = seen.putIfAbsent(table + "\u0000" + k, i + 1);
      if (first != null) {
        return new Duplicate(k, i + 1, first);
      }
    }
    return null;
  }
}
