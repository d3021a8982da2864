package dev.layerslim.cli;

import dev.layerslim.error.LayerslimException;
import dev.layerslim.github.ActionInputs;
import dev.layerslim.pipeline.ConfigFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where {@code layerslim build}'s options come from besides the command line. The options are
 * declared once, as picocli options ({@link Options}); this default-value provider reads the same
 * options from the GitHub Action's inputs ({@code INPUT_<NAME>}, for {@code layerslim action}) and
 * from {@code layerslim.toml}, by one naming rule: option {@code --max-growth} is input
 * {@code max-growth} and key {@code max-growth} (the option's longest name without the dashes; the
 * prune options sit in the file's {@code [prune]} table).
 *
 * <p>Precedence, highest first: the command line, the action's inputs, layerslim.toml, the built-in
 * default. The runner passes action.yml's default for every input the workflow leaves out, so an
 * input at its default counts as unset and layerslim.toml's value applies. Lists add up instead:
 * layerslim.toml's values first, then the command line's or the inputs'. Relative paths are relative
 * to the current folder (command line), the workspace (inputs) or the file's folder (layerslim.toml).
 *
 * <p>Messages name an option where its value came from: {@code --max-growth}, {@code input
 * max-growth:} or {@code layerslim.toml: max-growth}.
 */
final class OptionSources implements CommandLine.IDefaultValueProvider {
  /** {@code build}'s options that are the console's, not the build's: no input, no key. */
  static final Set<String> CONSOLE = Set.of("help", "version", "verbose", "stacktrace");

  /** {@code build}'s options with no action input, and why. */
  static final Map<String, String> NOT_INPUTS = Map.of(
      "python-exe", "the action runs in the target runtime's image, whose python3 is the target's interpreter",
      "find-links", "the action takes it in pip's own spelling, in the input pip-args (-f, --find-links)",
      "no-index", "the action takes it in pip's own spelling, in the input pip-args",
      "require-hashes", "the action takes it in pip's own spelling, in the input pip-args",
      "dry-run", "the action's results are the layer, its zip and the comment; a plan is layerslim build --dry-run's");

  /** {@code build}'s options that layerslim.toml does not set, and why. */
  static final Map<String, String> NOT_KEYS = Map.of(
      "config", "it names the file itself",
      "dry-run", "a one-off request of the command line: a file that made every build a plan would surprise");

  private static Map<String, String> keys;
  private static Map<String, ConfigFile.Kind> kinds;

  private final ActionInputs inputs;
  private final Path base;
  private final Map<String, String> labels = new HashMap<>();
  private final Map<String, String> valueLabels = new HashMap<>();
  private CommandSpec spec;
  private ConfigFile config;
  private boolean configRead;
  private LayerslimException configError;
  private Path configPath;
  private boolean finished;

  /** The command line's: layerslim.toml in the current folder. */
  public OptionSources() {
    this(null, Path.of("").toAbsolutePath().normalize());
  }

  /** The action's: its inputs, then layerslim.toml in the workspace. */
  OptionSources(ActionInputs inputs) {
    this(inputs, inputs.workspace());
  }

  private OptionSources(ActionInputs inputs, Path base) {
    this.inputs = inputs;
    this.base = base;
  }

  /** The option's setting name: its longest name without the dashes ({@code max-growth}). */
  static String name(OptionSpec o) {
    return o.longestName().replaceFirst("^-+", "");
  }

  /** The labels of {@code spec}'s last parse, its lists filled in from every source (see {@link #finish}). */
  static OptionSources of(CommandSpec spec) {
    OptionSources s = spec.defaultValueProvider() instanceof OptionSources p ? p : new OptionSources();
    s.finish(spec);
    return s;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec o) || o.isMultiValue()) {
      return null; // lists add up: finish() fills them after the parse
    }
    spec = o.command();
    try {
      return valueOf(o);
    } catch (LayerslimException e) {
      // during the parse: picocli reports it as a usage error (exit 2), the action rethrows the cause
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e, arg, null);
    }
  }

  private String valueOf(OptionSpec o) {
    String name = name(o);
    if (CONSOLE.contains(name)) {
      return null;
    }
    String v = input(o, name);
    if (v == null) {
      v = fromFile(o, name);
    }
    if (v == null && isPath(o) && o.defaultValue() != null) {
      v = base.resolve(o.defaultValue()).toAbsolutePath().normalize().toString(); // relative to the workspace too
    }
    // picocli expands ${…} in a default; a value is taken as written
    return v == null ? null : v.replace("$", "$$");
  }

  private String input(OptionSpec o, String name) {
    if (inputs == null || !ActionInputs.NAMES.contains(name)) {
      return null;
    }
    String label = "input " + name + ":";
    String v = inputs.get(name);
    if (name.equals("python-version") && inputs.imagePython() != null) {
      // the image is one runtime's: it is the target (checkImage() refused another runtime), whatever
      // layerslim.toml says
      v = v != null ? v : inputs.imagePython();
    } else if (v == null || isDefault(o, v)) {
      return null;
    }
    v = checked(o, v, p -> LayerslimException.usage(label + " " + p));
    labels.put(name, label);
    return isPath(o) && !AutoBaseline.asked(Path.of(v)) ? inputs.workspace().resolve(v).toAbsolutePath().normalize()
        .toString() : v;
  }

  private String fromFile(OptionSpec o, String name) {
    ConfigFile c = config();
    String key = keys().get(name);
    if (c == null || key == null || !c.has(key)) {
      return null;
    }
    String v = checked(o, c.text(key), p -> c.error(key, p));
    labels.put(name, c.label(key));
    return isPath(o) && !AutoBaseline.asked(Path.of(v)) ? inFileFolder(c, v) : v;
  }

  private static String inFileFolder(ConfigFile c, String v) {
    return c.file().toAbsolutePath().getParent().resolve(v).normalize().toString();
  }

  /** Whether {@code v} is the option's built-in default, as action.yml's default is (ActionYmlTest). */
  private static boolean isDefault(OptionSpec o, String v) {
    String d = o.defaultValue();
    if (isBoolean(o)) {
      return (d == null ? "false" : d).equalsIgnoreCase(v);
    }
    return v.equals(d == null ? "" : d);
  }

  /** {@code v} when the option can take it (booleans lower-cased); otherwise {@code bad}'s error. */
  private static String checked(OptionSpec o, String v, Function<String, LayerslimException> bad) {
    if (isBoolean(o)) {
      String b = v.toLowerCase(Locale.ROOT);
      if (!b.equals("true") && !b.equals("false")) {
        throw bad.apply("'" + v + "' is not a boolean; use true or false");
      }
      return b;
    }
    for (CommandLine.ITypeConverter<?> c : o.converters()) {
      try {
        c.convert(v);
      } catch (CommandLine.TypeConversionException e) {
        throw bad.apply(e.getMessage());
      } catch (Exception e) {
        throw bad.apply("'" + v + "': " + e.getMessage());
      }
    }
    if (o.type() == int.class || o.type() == Integer.class) {
      try {
        Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw bad.apply("'" + v + "' is not a whole number");
      }
    }
    return v;
  }

  private static boolean isBoolean(OptionSpec o) {
    return o.type() == boolean.class || o.type() == Boolean.class;
  }

  private static boolean isPath(OptionSpec o) {
    Class<?> t = o.isMultiValue() ? o.auxiliaryTypes()[0] : o.type();
    return t == Path.class;
  }

  /**
   * layerslim.toml as {@code --config}, the input config or the default finds it, or null for none;
   * read again only when that changes (picocli asks a negated flag's default while it still reads the
   * arguments, before a later {@code --config}).
   */
  private ConfigFile config() {
    if (spec == null) {
      return null;
    }
    Path file = configFile(); // a --config that names no file fails here again in finish()
    if (!configRead || !java.util.Objects.equals(file, configPath)) {
      configRead = true;
      configPath = file;
      configError = null;
      config = null;
      try {
        config = file == null ? null : ConfigFile.read(file, kinds());
      } catch (LayerslimException e) {
        // picocli drops what the provider throws for some defaults (a negated flag's): kept, so every
        // later question about this file, and finish(), fails with it
        configError = e;
      }
    }
    if (configError != null) {
      throw configError;
    }
    return config;
  }

  private Path configFile() {
    OptionSpec option = spec.findOption("config");
    if (option == null) {
      return null; // a command that reads no layerslim.toml
    }
    // picocli applies defaults after the arguments: a --config given is set by now
    Path given = option.getValue();
    String label = labels.getOrDefault("config", cliLabel(option));
    if (given == null && inputs != null && inputs.get("config") != null) {
      given = inputs.workspace().resolve(inputs.get("config")).toAbsolutePath().normalize();
      label = "input config:";
    }
    if (given != null) {
      Path file = given.toAbsolutePath().normalize();
      if (!Files.isRegularFile(file)) {
        throw LayerslimException.usage(label + " " + given + ": no such file");
      }
      return file;
    }
    Path dflt = base.resolve(ConfigFile.DEFAULT_NAME).toAbsolutePath();
    return Files.isRegularFile(dflt) ? dflt : null;
  }

  /**
   * After the parse: reads layerslim.toml when no default had asked for it yet (its mistakes are
   * errors whatever the command line says), and fills each list option with the file's values
   * first, then the command line's, or else the inputs'. Once per parse.
   */
  void finish(CommandSpec command) {
    if (finished) {
      return;
    }
    finished = true;
    spec = command;
    ConfigFile c = config();
    for (OptionSpec o : command.options()) {
      if (!o.isMultiValue()) {
        continue;
      }
      String name = name(o);
      String key = keys().get(name);
      List<Object> values = new ArrayList<>();
      if (c != null && key != null && c.has(key)) {
        for (String s : c.strings(key)) {
          values.add(typed(o, isPath(o) ? inFileFolder(c, s) : s, c.label(key), name));
        }
      }
      if (!o.originalStringValues().isEmpty()) {
        List<?> given = o.getValue();
        values.addAll(given);
      } else if (inputs != null && ActionInputs.NAMES.contains(name)) {
        for (String s : inputs.list(name)) {
          values.add(typed(o, isPath(o) ? inputs.workspace().resolve(s).toAbsolutePath().normalize().toString() : s,
              "input " + name + ":", name));
        }
      }
      if (!values.isEmpty()) {
        o.setValue(values);
      }
    }
  }

  private Object typed(OptionSpec o, String value, String label, String name) {
    Object v = isPath(o) ? Path.of(value) : value;
    valueLabels.put(name + "\u0000" + v, label);
    return v;
  }

  /** The layerslim.toml read, or null. */
  Path configFileRead() {
    return config == null ? null : config.file();
  }

  /** Whether the values came from the action's inputs. */
  boolean action() {
    return inputs != null;
  }

  /** How a message names setting {@code name}: where its value came from. */
  String label(String name) {
    String l = labels.get(name);
    if (l != null) {
      return l;
    }
    OptionSpec o = spec == null ? null : spec.findOption(name);
    return o == null ? "--" + name : cliLabel(o);
  }

  /** How a message names the list value {@code value} of setting {@code name}: where it came from. */
  String label(String name, Object value) {
    String l = valueLabels.get(name + "\u0000" + value);
    return l != null ? l : label(name);
  }

  /** The option as the command line spells it: its first long name ({@code --python}, {@code --requirements}). */
  private static String cliLabel(OptionSpec o) {
    for (String n : o.names()) {
      if (n.startsWith("--")) {
        return n;
      }
    }
    return o.longestName();
  }

  /** {@code build}'s settings that layerslim.toml may set: name to key ({@code prune.exclude}). */
  static synchronized Map<String, String> keys() {
    if (keys == null) {
      CommandSpec build = CommandSpec.forAnnotatedObject(new BuildCommand());
      CommandSpec prune = build.mixins().get(ConfigFile.PRUNE);
      Set<String> inPrune = new java.util.HashSet<>();
      prune.options().forEach(o -> inPrune.add(name(o)));
      Map<String, String> k = new LinkedHashMap<>();
      Map<String, ConfigFile.Kind> t = new LinkedHashMap<>();
      for (OptionSpec o : build.options()) {
        String name = name(o);
        if (CONSOLE.contains(name) || NOT_KEYS.containsKey(name)) {
          continue;
        }
        String key = inPrune.contains(name) ? ConfigFile.PRUNE + "." + name : name;
        k.put(name, key);
        t.put(key, o.isMultiValue() ? ConfigFile.Kind.LIST : isBoolean(o) ? ConfigFile.Kind.FLAG
            : ConfigFile.Kind.VALUE);
      }
      keys = Map.copyOf(k);
      kinds = Map.copyOf(t);
    }
    return keys;
  }

  private static synchronized Map<String, ConfigFile.Kind> kinds() {
    keys();
    return kinds;
  }
}
