package dev.layerslim.github;

import dev.layerslim.layer.Arch;
import dev.layerslim.layer.Sizes;
import dev.layerslim.layer.Target;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.BytecodeMode;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.reportfile.Baseline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The action's inputs as the runner passes them: environment variables {@code INPUT_<NAME>}, the
 * name upper-cased with hyphens kept ({@code INPUT_PRUNE-UNUSED}). Multi-value inputs take one
 * value per line or comma-separated; relative paths are relative to {@code GITHUB_WORKSPACE}.
 */
public final class ActionInputs {
  /** Every input the action declares, in action.yml's order. action.yml must list exactly these. */
  public static final List<String> NAMES = List.of(
      "requirements", "site-packages", "handler", "handler-function", "python-version", "architecture", "glibc",
      "prune-unused", "keep", "exclude", "include", "bytecode", "strip", "smoke-test", "baseline",
      "max-unzipped", "max-zipped", "max-growth", "extra-bytes", "output-dir", "comment", "comment-key",
      "github-token", "release-tag");

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
  public boolean bool(String input, boolean defaultValue) {
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

  /** A path input resolved against the workspace, or null when unset. */
  public Path path(String input) {
    String v = get(input);
    return v == null ? null : resolve(v);
  }

  private Path resolve(String v) {
    return workspace.resolve(v).toAbsolutePath().normalize();
  }

  /** A size input ({@code 200MiB}, {@code 52428800}), or null when unset. */
  public Long size(String input) {
    String v = get(input);
    if (v == null) {
      return null;
    }
    long bytes = Sizes.parse(v);
    if (bytes < 0) {
      throw LayerslimException.usage("input " + input + ": '" + v
          + "' is not a size; use bytes (52428800) or a unit (200MiB, 50MB)");
    }
    return bytes;
  }

  /** The token for the comment, or null. */
  public String token() {
    return get("github-token");
  }

  /** Whether to comment on the pull request (default true). */
  public boolean comment() {
    return bool("comment", true);
  }

  /**
   * The key that tells this layer's comment from other layers' in the same PR: the
   * {@code comment-key} input, else the output folder, else the requirements or site-packages
   * path, as the user wrote it. Only characters that cannot end an HTML comment are kept.
   */
  public String commentKey() {
    String key = get("comment-key");
    if (key == null) {
      key = get("output-dir");
    }
    if (key == null) {
      key = get("requirements") != null ? get("requirements") : get("site-packages");
    }
    return safeCommentKey(key);
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
   * {@code key} with only characters that cannot end the HTML comment it is hidden in ({@code layer}
   * when nothing is left); {@code layerslim report --format comment} keys its comment the same way.
   */
  public static String safeCommentKey(String key) {
    String safe = key == null ? "" : key.replaceAll("[^A-Za-z0-9._/@+=-]", "_").replace("--", "-_");
    return safe.isEmpty() ? "layer" : safe;
  }

  /** Maps the inputs onto the build's options; bad input is exit 2 naming the input. */
  public BuildOptions toBuildOptions() {
    BuildOptions.Builder o = BuildOptions.builder();
    Path requirements = path("requirements");
    Path sitePackages = path("site-packages");
    if ((requirements == null) == (sitePackages == null)) {
      throw LayerslimException.usage(requirements == null ? "set the input requirements or site-packages"
          : "set either the input requirements or site-packages, not both");
    }
    if (requirements != null && !Files.isRegularFile(requirements)) {
      throw LayerslimException.usage("input requirements: " + requirements + ": no such file");
    }
    if (sitePackages != null && !Files.isDirectory(sitePackages)) {
      throw LayerslimException.usage("input site-packages: " + sitePackages + ": no such folder");
    }
    o.requirements(requirements).sitePackages(sitePackages);
    List<Path> handlers = new ArrayList<>();
    for (String h : list("handler")) {
      Path p = resolve(h);
      if (!Files.exists(p)) {
        throw LayerslimException.usage("input handler: " + p + ": no such file or folder");
      }
      handlers.add(p);
    }
    o.handlers(handlers);
    o.handlerFunction(dev.layerslim.layer.Names.handlerFunction(get("handler-function"), "input handler-function:"));
    o.target(target());
    o.pruneUnused(bool("prune-unused", false));
    o.keep(list("keep"));
    o.exclude(list("exclude"));
    o.include(list("include"));
    String bytecode = get("bytecode");
    if (bytecode != null) {
      BytecodeMode mode = BytecodeMode.parse(bytecode);
      if (mode == null) {
        throw LayerslimException.usage("input bytecode: '" + bytecode + "' is not one of "
            + String.join(", ", BytecodeMode.labels()));
      }
      o.bytecode(mode);
    }
    o.strip(bool("strip", true));
    boolean smoke = bool("smoke-test", true);
    // smoke-test: true (the default) is a promise the check makes: a smoke test that cannot run fails it
    o.smoke(smoke).smokeRequired(smoke);
    Path baseline = path("baseline");
    if (baseline != null) {
      o.baseline(Baseline.load(baseline, "input baseline:").file());
    }
    o.maxUnzipped(size("max-unzipped"));
    o.maxZipped(size("max-zipped"));
    o.maxGrowth(size("max-growth"));
    Long extra = size("extra-bytes");
    o.extraBytes(extra == null ? 0 : extra);
    String out = get("output-dir");
    o.output(resolve(out == null ? "layerslim-out" : out));
    return o.build();
  }

  private Target target() {
    String python = get("python-version") == null ? Target.DEFAULT_PYTHON : get("python-version");
    String arch = get("architecture") == null ? "x86_64" : get("architecture");
    if (!Target.RUNTIMES.containsKey(python)) {
      throw LayerslimException.usage("input python-version: " + python + " is not a Lambda Python runtime; use one of "
          + String.join(", ", Target.RUNTIMES.keySet()));
    }
    if (Arch.parse(arch) == null) {
      throw LayerslimException.usage("input architecture: " + arch + " is not a Lambda architecture; use x86_64 or arm64");
    }
    String glibc = get("glibc");
    if (glibc != null && !glibc.matches("2\\.\\d{1,3}")) {
      throw LayerslimException.usage("input glibc: " + glibc + " is not a glibc version like 2.26");
    }
    return Target.of(python, arch, glibc);
  }
}
