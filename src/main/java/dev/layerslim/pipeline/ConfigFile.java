package dev.layerslim.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.layer.Glob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code layerslim.toml}, read with jackson-dataformat-toml into Jackson's tree model (nothing is
 * bound by reflection, for the native image). layerslim reads its {@code [prune]} table:
 * {@code exclude}, {@code include}, {@code keep} (arrays of strings), {@code prune-unused},
 * {@code modules} and {@code cold-storage} (booleans). The file is TOML: a key defined twice is an error, as the TOML
 * specification says, never "the last one wins"; a UTF-8 byte order mark is allowed. Any other key or
 * table is an error naming it and the file, so a typo never passes silently.
 */
public final class ConfigFile {
  public static final String DEFAULT_NAME = "layerslim.toml";
  private static final Set<String> PRUNE_KEYS = Set.of("exclude", "include", "keep", "prune-unused", "modules",
      "cold-storage");
  private static final String KNOWN = "known in [prune]: exclude, include, keep, prune-unused, modules, cold-storage";
  private static final TomlMapper TOML = TomlMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** The {@code [prune]} table; absent keys are empty lists and null. */
  public record Prune(List<String> exclude, List<String> include, List<String> keep, Boolean pruneUnused,
      Boolean modules, Boolean coldStorage) {}

  private ConfigFile() {}

  /**
   * Fills {@code b}'s prune options the way every entry point reads them: the {@code [prune]} table of
   * {@code file} first (none when null), then the command line's or the action's values on top. Globs
   * are checked now, not after a long install; a bad one is a usage error naming where it was written:
   * the file and its key, or {@code excludeLabel} / {@code includeLabel} for the command line's or
   * the action's.
   */
  public static void applyPrune(BuildOptions.Builder b, Path file, List<String> keep, List<String> exclude,
      List<String> include, boolean pruneUnused, boolean pruneModules, String excludeLabel, String includeLabel) {
    applyPrune(b, file, keep, exclude, include, pruneUnused, pruneModules, false, excludeLabel, includeLabel);
  }

  /** As above, with {@code coldStorage} ({@code --cold-storage}) on top of the file's {@code cold-storage}. */
  public static void applyPrune(BuildOptions.Builder b, Path file, List<String> keep, List<String> exclude,
      List<String> include, boolean pruneUnused, boolean pruneModules, boolean coldStorage, String excludeLabel,
      String includeLabel) {
    List<String> keeps = new ArrayList<>();
    List<String> excludes = new ArrayList<>();
    List<String> includes = new ArrayList<>();
    boolean unused = false;
    boolean modules = false;
    boolean cold = false;
    if (file != null) {
      Prune c = read(file);
      c.exclude().forEach(g -> Glob.compile(g, file + ": [prune] exclude"));
      c.include().forEach(g -> Glob.compile(g, file + ": [prune] include"));
      excludes.addAll(c.exclude());
      includes.addAll(c.include());
      keeps.addAll(c.keep());
      unused = Boolean.TRUE.equals(c.pruneUnused());
      modules = Boolean.TRUE.equals(c.modules());
      cold = Boolean.TRUE.equals(c.coldStorage());
      b.configFile(file);
    }
    exclude.forEach(g -> Glob.compile(g, excludeLabel));
    include.forEach(g -> Glob.compile(g, includeLabel));
    keeps.addAll(keep);
    excludes.addAll(exclude);
    includes.addAll(include);
    b.pruneUnused(unused || pruneUnused).pruneModules(modules || pruneModules).coldStorage(cold || coldStorage)
        .keep(keeps).exclude(excludes).include(includes);
  }

  /** Reads {@code file}; a file that is not TOML, a key defined twice, an unknown key or a wrong type is exit 2. */
  public static Prune read(Path file) {
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
    JsonNode root;
    try {
      root = TOML.readTree(text);
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
    } catch (IOException e) {
      throw LayerslimException.usage("cannot read the config file " + file + ": " + e.getMessage());
    }
    List<String> exclude = new ArrayList<>();
    List<String> include = new ArrayList<>();
    List<String> keep = new ArrayList<>();
    Boolean pruneUnused = null;
    Boolean modules = null;
    Boolean coldStorage = null;
    for (Map.Entry<String, JsonNode> top : root.properties()) {
      if (!top.getKey().equals("prune")) {
        throw error(file, lines, top.getKey(), top.getValue().isObject()
            ? "unknown table [" + top.getKey() + "] (layerslim reads [prune])"
            : "unknown key '" + top.getKey() + "' outside [prune] (" + KNOWN + ")");
      }
      if (!top.getValue().isObject()) {
        throw error(file, lines, "prune", "prune must be a table: [prune]");
      }
      for (Map.Entry<String, JsonNode> e : top.getValue().properties()) {
        String key = e.getKey();
        JsonNode v = e.getValue();
        if (!PRUNE_KEYS.contains(key)) {
          throw error(file, lines, key, "unknown key '" + key + "' in [prune] (" + KNOWN + ")");
        }
        switch (key) {
          case "prune-unused" -> pruneUnused = bool(file, lines, key, v);
          case "modules" -> modules = bool(file, lines, key, v);
          case "cold-storage" -> coldStorage = bool(file, lines, key, v);
          case "exclude" -> exclude.addAll(strings(file, lines, key, v));
          case "include" -> include.addAll(strings(file, lines, key, v));
          default -> keep.addAll(strings(file, lines, key, v));
        }
      }
    }
    return new Prune(exclude, include, keep, pruneUnused, modules, coldStorage);
  }

  private static boolean bool(Path file, String[] lines, String key, JsonNode v) {
    if (!v.isBoolean()) {
      throw error(file, lines, key, key + " must be true or false, not " + v);
    }
    return v.booleanValue();
  }

  private static List<String> strings(Path file, String[] lines, String key, JsonNode v) {
    if (!v.isArray()) {
      throw error(file, lines, key, key + " must be an array of strings, like [\"pkg/data/**\"]");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode s : v) {
      if (!s.isTextual()) {
        throw error(file, lines, key, key + " must be an array of strings, like [\"pkg/data/**\"], not " + s
            + " in it");
      }
      out.add(s.textValue());
    }
    return out;
  }

  /** A usage error naming the file and, where it can be found, the line that sets {@code key}. */
  private static LayerslimException error(Path file, String[] lines, String key, String message) {
    int line = lineOf(lines, key, lines.length);
    return LayerslimException.usage(file + (line > 0 ? ":" + line : "") + ": " + message);
  }

  /** The first line up to {@code before} (1-based, inclusive) that sets {@code key} or opens a table of that name; -1. */
  private static int lineOf(String[] lines, String key, int before) {
    for (int i = 0; i < Math.min(lines.length, before); i++) {
      String k = keyOf(lines[i]);
      if (key.equals(k)) {
        return i + 1;
      }
    }
    return -1;
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
