package dev.layerslim.github;

import dev.layerslim.redact.UrlCredentials;
import dev.layerslim.layer.Target;
import dev.layerslim.layer.Version;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.error.LayerslimException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The action's inputs as the runner passes them: environment variables {@code INPUT_<NAME>}, the
 * name upper-cased with hyphens kept ({@code INPUT_PRUNE-UNUSED}). Multi-value inputs take one
 * value per line or comma-separated; relative paths are relative to {@code GITHUB_WORKSPACE}.
 */
public final class ActionInputs {
  /** Every input the action declares, in action.yml's order. action.yml must list exactly these. */
  public static final List<String> NAMES = List.of(
      "requirements", "site-packages", "handler", "handler-function", "python-version", "architecture", "glibc",
      "index-url", "extra-index-url", "pip-args", "pip-cache", "config", "prune-unused", "prune-modules",
      "cold-storage", "keep", "exclude", "include", "drop-runtime-provided", "bytecode", "strip", "smoke-test",
      "smoke-event", "smoke-import", "smoke-script", "smoke-timeout", "compat", "system-lib", "threads", "baseline",
      "max-unzipped", "max-zipped", "max-growth", "extra-bytes", "output-dir", "comment", "comment-key",
      "github-token", "release-tag");

  /** Set in the action's image (Dockerfile): the Python runtime the image was built for. */
  public static final String IMAGE_PYTHON_ENV = "LAYERSLIM_IMAGE_PYTHON";
  /** Set in a published image (release workflow): its own reference, {@code ghcr.io/o/r:v1.2.0-python3.11}. */
  public static final String IMAGE_ENV = "LAYERSLIM_IMAGE";

  private final Map<String, String> env;
  private final Path workspace;

  /** The tag whose GitHub release gets layer.zip and report.json, or null for none. */
  public String releaseTag() {
    return get("release-tag");
  }

  /** Reads inputs from {@code env}; {@code GITHUB_WORKSPACE} (or the working folder) anchors paths. */
  public ActionInputs(Map<String, String> env) {
    this.env = env;
    String ws = env.get("GITHUB_WORKSPACE");
    this.workspace = (ws == null || ws.isBlank() ? Path.of("") : Path.of(ws)).toAbsolutePath().normalize();
  }

  /** The environment variable the runner sets for {@code input}. */
  public static String envName(String input) {
    return "INPUT_" + input.replace(' ', '_').toUpperCase(Locale.ROOT);
  }

  public Path workspace() {
    return workspace;
  }

  /** The trimmed value, or null when the input is unset or blank. */
  public String get(String input) {
    if (!NAMES.contains(input)) {
      throw new IllegalArgumentException("not an input of the action: " + input);
    }
    String v = env.get(envName(input));
    return v == null || v.isBlank() ? null : v.trim();
  }

  /** {@code true}/{@code false}, any case; anything else is exit 2 naming the input. */
  private boolean bool(String input, boolean defaultValue) {
    String v = get(input);
    if (v == null) {
      return defaultValue;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw LayerslimException.usage("input " + input + ": '" + v + "' is not a boolean; use true or false");
    }
  }

  /** The values of a multi-value input: one per line or comma-separated, blanks dropped. */
  public List<String> list(String input) {
    String v = get(input);
    List<String> out = new ArrayList<>();
    if (v != null) {
      for (String part : v.split("[\\r\\n,]+")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  private Path resolve(String v) {
    return workspace.resolve(v).toAbsolutePath().normalize();
  }

  /** Whether to comment on the pull request (default true). */
  public boolean comment() {
    return bool("comment", true);
  }

  /**
   * The key that tells this layer's comment from other layers' in the same PR, and names its
   * baseline artifact: the {@code comment-key} input (exit 2 when it holds a character an artifact
   * name cannot keep), else the output folder, else the requirements or site-packages path, as the
   * user wrote it. See {@link CommentKey}.
   */
  public CommentKey layerKey() {
    String key = get("comment-key");
    if (key != null) {
      return CommentKey.checked(key, "input comment-key");
    }
    key = get("output-dir");
    if (key == null) {
      key = get("requirements") != null ? get("requirements") : get("site-packages");
    }
    return CommentKey.of(key);
  }

  /** The key inside this layer's comment marker ({@link #layerKey}). */
  public String commentKey() {
    return layerKey().markerKey();
  }

  /**
   * The layer's name in the comment's title: the {@code comment-key} input, else the requirements
   * file or site-packages path as the user wrote it (the output folder only keys the marker).
   */
  public String layerName() {
    for (String input : List.of("comment-key", "requirements", "site-packages")) {
      if (get(input) != null) {
        return get(input);
      }
    }
    return commentKey();
  }

  /**
   * The marker key of {@code key} ({@link CommentKey#of}); {@code layerslim report --format comment}
   * keys its comment the same way.
   */
  public static String safeCommentKey(String key) {
    return CommentKey.of(key).markerKey();
  }

  /**
   * The action's own rules on top of the options {@code layerslim build}'s parser read from the inputs
   * (and layerslim.toml): the requirements file and what pip reads must lie inside the workspace,
   * pip-args is passed on, the log names inputs, and the smoke test (smoke-test: true, the default) is
   * a promise: one that cannot run fails the check. Bad input is exit 2 naming the input.
   */
  public BuildOptions finish(BuildOptions parsed) {
    BuildOptions.Builder o = parsed.toBuilder().vocabulary(dev.layerslim.pipeline.Vocabulary.ACTION)
        .smokeRequired(parsed.smokeTest().smoke());
    Path requirements = parsed.install().requirements();
    if (requirements != null) {
      insideWorkspace(requirements, "input requirements:");
      checkIncludes(requirements);
    }
    return o.requirements(pipOptions(o, parsed, requirements)).build();
  }

  /**
   * In an image built for one runtime ({@value #IMAGE_PYTHON_ENV}) the input python-version naming
   * another runtime is exit 2 naming the image to use: pip, the smoke test and the ABI check all need
   * the target's own interpreter.
   */
  public void checkImage() {
    String image = imagePython();
    String input = get("python-version");
    if (image != null && input != null && !image.equals(input) && Target.RUNTIMES.containsKey(input)) {
      throw LayerslimException.usage("input python-version: " + input + ", but this action's image is for python"
          + image + " (pip, the smoke test and the ABI check need the target's own Python). Use the python" + input
          + " image instead:\n  uses: " + imageFor(env.get(IMAGE_ENV), input)
          + "\n(a docker:// step takes no action.yml defaults: pass github-token: ${{ github.token }} in its with:)");
    }
  }

  /** The runtime the action's image was built for, which is then the target's; null outside the image. */
  public String imagePython() {
    String image = env.get(IMAGE_PYTHON_ENV);
    return image == null || image.isBlank() ? null : image.trim();
  }

  /**
   * The {@code docker://} reference of the image for {@code python}: this image's own reference with
   * its {@code -pythonX.Y} suffix replaced, when the image knows it (published images do); otherwise
   * the published image's pattern, since an image built from the Dockerfile has no name to go by.
   */
  static String imageFor(String thisImage, String python) {
    if (thisImage != null && thisImage.trim().matches(".+-python\\d+\\.\\d+")) {
      String ref = thisImage.trim();
      return "docker://" + ref.substring(0, ref.lastIndexOf("-python")) + "-python" + python;
    }
    return "docker://ghcr.io/<owner>/layerslim:v" + Version.get() + "-python" + python
        + " (or build the Dockerfile with --build-arg PYTHON_VERSION=" + python + ")";
  }

  /** The pip-args options layerslim passes on, for the error an unknown one gets. */
  static final List<String> PIP_ARGS = List.of("--index-url", "--extra-index-url", "--find-links", "--no-index",
      "--require-hashes", "--constraint", "--pre", "--prefer-binary", "--trusted-host");

  /**
   * index-url, extra-index-url and pip-args onto the install. pip-args takes pip's own spelling
   * ({@code -i}, {@code -f}, {@code -c}, {@code --opt=value}); options the build has fields for go
   * there, the others ({@code --constraint}, {@code --pre}, {@code --prefer-binary},
   * {@code --trusted-host}) into a requirements file of two lines more that pip reads instead: pip
   * takes these options inside a requirements file, and the user's own file is never changed.
   */
  private Path pipOptions(BuildOptions.Builder o, BuildOptions parsed, Path requirements) {
    String indexUrl = parsed.install().indexUrl();
    List<String> extraIndexUrls = new ArrayList<>(parsed.install().extraIndexUrls());
    List<String> findLinks = new ArrayList<>();
    for (String f : parsed.install().findLinks()) {
      findLinks.add(pipLocation(f, "layerslim.toml find-links:"));
    }
    List<String> extraLines = new ArrayList<>();
    List<String> args = words(get("pip-args"));
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      name = switch (name) {
        case "-i" -> "--index-url";
        case "-f" -> "--find-links";
        case "-c" -> "--constraint";
        default -> name;
      };
      boolean takesValue = List.of("--index-url", "--extra-index-url", "--find-links", "--constraint",
          "--trusted-host").contains(name);
      if (takesValue && value == null) {
        if (i + 1 >= args.size()) {
          throw LayerslimException.usage("input pip-args: " + a + " needs a value");
        }
        value = args.get(++i);
      } else if (!takesValue && value != null) {
        throw LayerslimException.usage("input pip-args: " + name + " takes no value");
      }
      switch (name) {
        case "--index-url" -> {
          if (indexUrl != null) {
            throw LayerslimException.usage("input pip-args: --index-url is given twice (also in the input index-url"
                + (get("index-url") == null ? " or layerslim.toml" : "") + ")");
          }
          indexUrl = value;
        }
        case "--extra-index-url" -> extraIndexUrls.add(value);
        case "--find-links" -> findLinks.add(pipLocation(value, "input pip-args: " + name));
        case "--no-index" -> o.noIndex(true);
        case "--require-hashes" -> o.requireHashes(true);
        case "--constraint" -> {
          Path c = insideWorkspace(resolve(value), "input pip-args: " + name);
          if (!Files.isRegularFile(c)) {
            throw LayerslimException.usage("input pip-args: --constraint " + c + ": no such file");
          }
          extraLines.add("-c " + c);
        }
        case "--pre", "--prefer-binary" -> extraLines.add(name);
        case "--trusted-host" -> extraLines.add("--trusted-host " + value);
        default -> throw LayerslimException.usage("input pip-args: " + a + " is not one layerslim passes on; use "
            + String.join(", ", PIP_ARGS) + " (other pip settings: PIP_* environment variables or pip.conf)");
      }
    }
    if (indexUrl != null) {
      pipLocation(indexUrl, get("index-url") != null ? "input index-url:" : "input pip-args: --index-url");
    }
    for (String u : extraIndexUrls) {
      pipLocation(u, "input extra-index-url or pip-args --extra-index-url:");
    }
    o.indexUrl(indexUrl).extraIndexUrls(extraIndexUrls).findLinks(findLinks);
    if (extraLines.isEmpty()) {
      return requirements;
    }
    if (requirements == null) {
      throw LayerslimException.usage("input pip-args: " + String.join(", ", extraLines)
          + " applies to an install from requirements; with site-packages nothing is installed");
    }
    try {
      Path dir = Files.createTempDirectory("layerslim-pip-args");
      Path wrapper = dir.resolve("requirements.txt");
      List<String> lines = new ArrayList<>();
      lines.add("# written by layerslim from the action's pip-args; the requirements are " + requirements);
      lines.add("-r " + requirements);
      lines.addAll(extraLines);
      Files.write(wrapper, lines);
      wrapper.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return wrapper;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write the requirements file for pip-args", e);
    }
  }

  /**
   * A pip location (an index or a find-links value) as pip gets it: a URL stays as it is, a
   * {@code file:} URL and a plain path must name something inside the workspace (a path relative to it
   * is made absolute). pip reads what they name, and what it reads ends up in its errors, the log and
   * the comment: {@code --find-links /etc} or {@code file:///etc} is exit 2 naming {@code what}.
   */
  private String pipLocation(String value, String what) {
    int sep = value.indexOf("://");
    if (sep > 0 && value.substring(0, sep).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      if (!value.regionMatches(true, 0, "file:", 0, 5)) {
        return value;
      }
      Path p;
      try {
        p = Path.of(java.net.URI.create(value.replace(" ", "%20")));
      } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
        throw LayerslimException.usage(what + " " + UrlCredentials.scrub(value) + " is not a file: URL of a local "
            + "path (file:///path)");
      }
      insideWorkspace(p, what);
      return value;
    }
    if (value.regionMatches(true, 0, "file:", 0, 5)) {
      // file:path without slashes: pip takes the rest as a path
      insideWorkspace(resolve(value.substring(5)), what);
      return value;
    }
    return insideWorkspace(resolve(value), what).toString();
  }

  /**
   * {@code p} when it lies inside the workspace once every symbolic link on its way is resolved (the
   * part that does not exist yet is taken as written); otherwise exit 2 naming {@code what}.
   */
  Path insideWorkspace(Path p, String what) {
    Path real = realPath(p.toAbsolutePath().normalize());
    if (!real.startsWith(realPath(workspace))) {
      throw LayerslimException.usage(what + " " + p + " is outside the workspace " + workspace
          + (real.equals(p.toAbsolutePath().normalize()) ? "" : " (it leads to " + real + ")")
          + ": pip reads only files of the repository here; put it in the repository (paths are relative to it)");
    }
    return p;
  }

  /** {@code p} with its longest existing head resolved to the real path (links followed), the rest as is. */
  private static Path realPath(Path p) {
    Path head = p;
    Path rest = null;
    while (head != null) {
      try {
        Path real = head.toRealPath();
        return rest == null ? real : real.resolve(rest).normalize();
      } catch (java.io.IOException | SecurityException e) {
        Path name = head.getFileName();
        if (name == null) {
          break;
        }
        rest = rest == null ? name : name.resolve(rest);
        head = head.getParent();
      }
    }
    return p;
  }

  /**
   * The files and folders the requirements file has pip read ({@code -r}, {@code -c}, {@code -f},
   * {@code --index-url}, {@code --extra-index-url} lines, in this file and the files it includes,
   * relative to the file that names them): each must lie inside the workspace (exit 2 naming the file,
   * the line and the option).
   */
  private void checkIncludes(Path requirements) {
    java.util.ArrayDeque<Path> todo = new java.util.ArrayDeque<>(List.of(requirements));
    Set<Path> seen = new java.util.HashSet<>();
    while (!todo.isEmpty() && seen.size() < MAX_REQUIREMENT_FILES) {
      Path f = todo.poll();
      if (!seen.add(f) || !Files.isRegularFile(f)) {
        continue;
      }
      List<String> lines;
      try {
        if (Files.size(f) > MAX_REQUIREMENT_BYTES) {
          continue;
        }
        lines = Files.readAllLines(f, StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        continue; // pip says what is wrong with it
      }
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        String local = localRequirement(line);
        if (local != null) {
          // a local project pip builds and installs: it reads that folder, so it must be the user's own
          String what = "input requirements: " + f + ":" + (i + 1) + ": " + local;
          if (local.regionMatches(true, 0, "file:", 0, 5)) {
            pipLocation(local, what);
          } else {
            insideWorkspace(f.getParent().resolve(local).normalize(), what);
            insideWorkspace(resolve(local), what); // pip takes these relative to where it runs
          }
          continue;
        }
        Matcher m = PIP_FILE_OPTION.matcher(line);
        if (!m.matches()) {
          continue;
        }
        String option = m.group(1);
        String value = m.group(2);
        String what = "input requirements: " + f + ":" + (i + 1) + ": " + option;
        Path base = f.getParent();
        boolean file = option.equals("-r") || option.equals("-c") || option.startsWith("--requirement")
            || option.startsWith("--constraint");
        if (file && !value.contains("://")) {
          Path included = insideWorkspace(base.resolve(value).normalize(), what);
          todo.add(included);
        } else if (value.contains("://") || value.regionMatches(true, 0, "file:", 0, 5)) {
          pipLocation(value, what);
        } else if (option.equals("-f") || option.startsWith("--find-links")) {
          insideWorkspace(base.resolve(value).normalize(), what);
        }
      }
    }
  }

  /**
   * The local path or {@code file:} URL a requirements line installs from, or null: {@code -e PATH} /
   * {@code --editable PATH}, a line that is a path ({@code ./pkg}, {@code ../x.whl}, {@code /abs},
   * {@code ~/x}), or a direct reference {@code name @ file:///…}. Remote URLs (VCS, https) are not paths.
   */
  static String localRequirement(String line) {
    String text = line.replaceFirst("\\s+#.*$", "");
    Matcher e = EDITABLE.matcher(text);
    String value;
    if (e.matches()) {
      value = e.group(1);
    } else {
      Matcher d = DIRECT_REFERENCE.matcher(text);
      if (d.matches()) {
        value = d.group(1);
      } else if (text.startsWith("./") || text.startsWith("../") || text.startsWith("/") || text.startsWith("~")
          || text.equals(".") || text.equals("..")) {
        value = text.split("[\\s;\\[]", 2)[0];
      } else {
        return null;
      }
    }
    if (value.regionMatches(true, 0, "file:", 0, 5)) {
      return value;
    }
    return value.contains("://") || value.contains("+") && value.contains(":") ? null : value;
  }

  private static final Pattern EDITABLE = Pattern.compile("(?:-e|--editable)(?:\\s*=\\s*|\\s+)(\\S+).*");
  private static final Pattern DIRECT_REFERENCE = Pattern.compile(
      "[A-Za-z0-9][A-Za-z0-9._-]*\\s*(?:\\[[^\\]]*\\])?\\s*@\\s*(\\S+).*");

  /** A requirements-file line with an option pip reads a file, folder or index from. */
  private static final Pattern PIP_FILE_OPTION = Pattern.compile(
      "(-r|-c|-f|-i|--requirement|--constraint|--find-links|--index-url|--extra-index-url)(?:\\s*=\\s*|\\s+|(?<=^-[rcfi]))"
          + "(\\S+).*");

  /** Splits on white space; single or double quotes keep a value with spaces together. */
  static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    if (s == null) {
      return out;
    }
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw LayerslimException.usage("input pip-args: a quote is not closed");
    }
    if (inWord) {
      out.add(w.toString());
    }
    return out;
  }

  /** pip's own settings in the environment, which pip reads (and prints) whatever the inputs say. */
  static final List<String> PIP_URL_ENV = List.of("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS",
      "PIP_TRUSTED_HOST");

  /** How many requirement files ({@code -r}/{@code -c} inside them) are read for index URLs. */
  private static final int MAX_REQUIREMENT_FILES = 32;
  private static final long MAX_REQUIREMENT_BYTES = 1 << 20;

  /**
   * The credentials inside the URLs of every input (index-url, extra-index-url, pip-args, …), of
   * pip's {@code PIP_INDEX_URL}-like environment variables, and of the index options inside the
   * requirements file and the files it includes: the user info ({@code user:SECRET@},
   * {@code TOKEN:@}, {@code TOKEN@}) and query parameters named like a credential, in each spelling
   * pip may print (see {@link UrlCredentials}). The action masks them with {@code ::add-mask::} before
   * it prints anything, and redacts them. The github-token is not among them. Never throws: it runs
   * before the inputs are checked.
   */
  public List<String> secrets() {
    Set<String> out = new LinkedHashSet<>();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if ((name.startsWith("INPUT_") && !name.equals(envName("github-token"))) || PIP_URL_ENV.contains(name)) {
        out.addAll(UrlCredentials.secrets(e.getValue()));
      }
    }
    try {
      out.addAll(requirementFileSecrets());
    } catch (RuntimeException e) {
      // an unreadable or odd requirements file is the build's to report; the inputs were scanned
    }
    return new ArrayList<>(out);
  }

  /** The credentials in URLs of the requirements file and the files its -r/-c lines include. */
  private Set<String> requirementFileSecrets() {
    String req = get("requirements");
    return req == null ? new LinkedHashSet<>() : dev.layerslim.redact.PipSecrets.inRequirements(resolve(req));
  }

  /** A requirements line that includes another file: {@code -r other.txt}, {@code --constraint=c.txt}. */
  private static final Pattern INCLUDE = Pattern.compile("(-r|-c|--requirement|--constraint)(?:\\s*=\\s*|\\s+|(?<=-[rc]))(\\S+).*");
}
