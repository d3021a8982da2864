package dev.layerslim.pipeline;

import dev.layerslim.layer.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a user asked of one build, already validated by the CLI (paths absolute, sizes in
 * bytes). The {@code build} command and the Actions entrypoint both fill one of these; steps only
 * read it.
 */
public final class BuildOptions {
  /** Requirements file to install, or null when {@link #sitePackages} is given. */
  public Path requirements;
  /** An installed tree to take instead of installing; copied, never modified. */
  public Path sitePackages;
  /** Handler source files or folders. */
  public List<Path> handlers = new ArrayList<>();
  /** Lambda's handler string, {@code app.handler}, or null. */
  public String handlerFunction;
  public Target target = Target.defaults();
  /** The interpreter for pip and the smoke test; null means {@code python3.X}, then {@code python3}. */
  public String pythonExe;
  public Path output = Path.of("layerslim-out").toAbsolutePath();

  // pip options that are first-class; PIP_* environment and pip config pass through untouched.
  public String indexUrl;
  public List<String> extraIndexUrls = new ArrayList<>();
  public List<String> findLinks = new ArrayList<>();
  public boolean noIndex;
  public boolean requireHashes;

  /** Budgets in bytes; null means the AWS limit (and, for zipped, a warning only). */
  public Long maxUnzipped;
  public Long maxZipped;
  public long extraBytes;
  /** Largest allowed growth against the baseline, in bytes; null for none. */
  public Long maxGrowth;
  public Path baseline;

  public boolean strip = true;
  public boolean smoke = true;
  /** The {@link #bytecode} choices, checked by both the CLI and the Actions inputs. */
  public static final List<String> BYTECODE_MODES = List.of("cold-path", "all", "none");
  public String bytecode = "cold-path";
  public boolean pruneUnused;
  /** Remove sub-packages of used distributions that nothing reaches (see prune.ModuleReach). */
  public boolean pruneModules;
  public boolean dropRuntimeProvided;
  public List<String> keep = new ArrayList<>();
  public List<String> exclude = new ArrayList<>();
  public List<String> include = new ArrayList<>();
  /** The layerslim.toml the prune rules were read from (so the log says so), or null. */
  public java.nio.file.Path configFile;
  public boolean dryRun;
  /** Extra system libraries the runtime provides (compatibility check). */
  public List<String> systemLibs = new ArrayList<>();
  /** {@code fail} (default) or {@code warn}: what an incompatible binary does to the exit code. */
  public String compat = "fail";
  public List<String> smokeImports = new ArrayList<>();
  public Path smokeScript;
  /** A sample event the smoke test calls the handler function with (so call-time imports load), or null. */
  public Path smokeEvent;
  public int smokeTimeoutSeconds = 120;
  /** Worker threads for parallel steps (strip, zip). */
  public int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
}
