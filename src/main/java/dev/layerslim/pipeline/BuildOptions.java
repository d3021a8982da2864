package dev.layerslim.pipeline;

import dev.layerslim.layer.Target;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a user asked of one build, already validated by the CLI (paths absolute, sizes in
 * bytes). Immutable: the {@code build} command and the Actions entrypoint each fill a
 * {@link Builder}; steps only read the result.
 *
 * @param requirements Requirements file to install, or null when {@code sitePackages} is given.
 * @param sitePackages An installed tree to take instead of installing; copied, never modified.
 * @param handlers Handler source files or folders.
 * @param handlerFunction Lambda's handler string, {@code app.handler}, or null.
 * @param target The Lambda runtime the layer is for.
 * @param pythonExe The interpreter for pip and the smoke test; null means {@code python3.X}, then {@code python3}.
 * @param output The output folder (absolute).
 * @param indexUrl pip --index-url, or null. PIP_* environment and pip config pass through untouched.
 * @param extraIndexUrls pip --extra-index-url values.
 * @param findLinks pip --find-links values.
 * @param noIndex pip --no-index.
 * @param requireHashes pip --require-hashes.
 * @param pipCacheDir pip's cache folder (PIP_CACHE_DIR), kept between runs; null for pip's own default.
 * @param maxUnzipped A tighter unzipped budget in bytes; null for none (AWS's limit always applies).
 * @param maxZipped A zipped budget in bytes; null for none (AWS's direct-upload limit is then a warning).
 * @param extraBytes Unzipped bytes of the function code and other layers, counted into the unzipped limit.
 * @param maxGrowth Largest allowed growth against the baseline, in bytes; null for none.
 * @param baseline An earlier report.json to diff against, or null.
 * @param strip Strip ELF objects (validated).
 * @param smoke Smoke-test the input and the layer.
 * @param smokeRequired The user asked for the smoke test ({@code --handler-function}, the action's
 *     {@code smoke-test}): when it cannot run, the build fails instead of warning.
 * @param bytecode Which pycs the layer ships.
 * @param pruneUnused Remove distributions no handler import reaches.
 * @param pruneModules Remove sub-packages of used distributions that nothing reaches (prune's ModuleReach).
 * @param coldStorage Keep the sub-packages the hot path never loads compressed in the layer, unpacked into
 *     the temp dir on first import ({@code --cold-storage}); with it, {@code pruneModules} deletes none.
 * @param dropRuntimeProvided Leave out what the Lambda runtime provides (boto3 &amp; co.).
 * @param keep Distributions that count as used.
 * @param exclude Globs of extra paths to remove, relative to site-packages.
 * @param include Globs of paths to protect from every prune rule.
 * @param configFile The layerslim.toml the prune rules were read from (so the log says so), or null.
 * @param dryRun Plan only: install, audit, prune, report; no layer and no zip.
 * @param systemLibs Extra system libraries the runtime provides (compatibility check).
 * @param compat What an incompatible binary does to the exit code.
 * @param smokeImports Modules the smoke test imports beside the handler's.
 * @param smokeScript The user's own check, run by the smoke test, or null.
 * @param smokeEvent A sample event (JSON) the smoke test calls the handler function with, so call-time
 *     imports load, or null.
 * @param smokeTimeoutSeconds Seconds before a smoke test run is killed.
 * @param threads Worker threads for parallel steps (strip, zip).
 * @param vocabulary How messages name settings: flags for the CLI, inputs for the action.
 */
public record BuildOptions(
    Path requirements,
    Path sitePackages,
    List<Path> handlers,
    String handlerFunction,
    Target target,
    String pythonExe,
    Path output,
    String indexUrl,
    List<String> extraIndexUrls,
    List<String> findLinks,
    boolean noIndex,
    boolean requireHashes,
    Path pipCacheDir,
    Long maxUnzipped,
    Long maxZipped,
    long extraBytes,
    Long maxGrowth,
    Path baseline,
    boolean strip,
    boolean smoke,
    boolean smokeRequired,
    BytecodeMode bytecode,
    boolean pruneUnused,
    boolean pruneModules,
    boolean coldStorage,
    boolean dropRuntimeProvided,
    List<String> keep,
    List<String> exclude,
    List<String> include,
    Path configFile,
    boolean dryRun,
    List<String> systemLibs,
    CompatMode compat,
    List<String> smokeImports,
    Path smokeScript,
    Path smokeEvent,
    int smokeTimeoutSeconds,
    int threads,
    Vocabulary vocabulary) {

  public BuildOptions {
    handlers = List.copyOf(handlers);
    extraIndexUrls = List.copyOf(extraIndexUrls);
    findLinks = List.copyOf(findLinks);
    keep = List.copyOf(keep);
    exclude = List.copyOf(exclude);
    include = List.copyOf(include);
    systemLibs = List.copyOf(systemLibs);
    smokeImports = List.copyOf(smokeImports);
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to derive changed ones. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.requirements = requirements;
    b.sitePackages = sitePackages;
    b.handlers = handlers;
    b.handlerFunction = handlerFunction;
    b.target = target;
    b.pythonExe = pythonExe;
    b.output = output;
    b.indexUrl = indexUrl;
    b.extraIndexUrls = extraIndexUrls;
    b.findLinks = findLinks;
    b.noIndex = noIndex;
    b.requireHashes = requireHashes;
    b.pipCacheDir = pipCacheDir;
    b.maxUnzipped = maxUnzipped;
    b.maxZipped = maxZipped;
    b.extraBytes = extraBytes;
    b.maxGrowth = maxGrowth;
    b.baseline = baseline;
    b.strip = strip;
    b.smoke = smoke;
    b.smokeRequired = smokeRequired;
    b.bytecode = bytecode;
    b.pruneUnused = pruneUnused;
    b.pruneModules = pruneModules;
    b.coldStorage = coldStorage;
    b.dropRuntimeProvided = dropRuntimeProvided;
    b.keep = keep;
    b.exclude = exclude;
    b.include = include;
    b.configFile = configFile;
    b.dryRun = dryRun;
    b.systemLibs = systemLibs;
    b.compat = compat;
    b.smokeImports = smokeImports;
    b.smokeScript = smokeScript;
    b.smokeEvent = smokeEvent;
    b.smokeTimeoutSeconds = smokeTimeoutSeconds;
    b.threads = threads;
    b.vocabulary = vocabulary;
    return b;
  }

  /** The defaults, as a build with no option would get them. */
  public static BuildOptions defaults() {
    return builder().build();
  }

  /** Fills {@link BuildOptions} one option at a time; {@link #build} freezes it. */
  public static final class Builder {
    private Path requirements = null;
    private Path sitePackages = null;
    private List<Path> handlers = List.of();
    private String handlerFunction = null;
    private Target target = Target.defaults();
    private String pythonExe = null;
    private Path output = Path.of("layerslim-out").toAbsolutePath();
    private String indexUrl = null;
    private List<String> extraIndexUrls = List.of();
    private List<String> findLinks = List.of();
    private boolean noIndex = false;
    private boolean requireHashes = false;
    private Path pipCacheDir = null;
    private Long maxUnzipped = null;
    private Long maxZipped = null;
    private long extraBytes = 0L;
    private Long maxGrowth = null;
    private Path baseline = null;
    private boolean strip = true;
    private boolean smoke = true;
    private boolean smokeRequired = false;
    private BytecodeMode bytecode = BytecodeMode.COLD_PATH;
    private boolean pruneUnused = false;
    private boolean pruneModules = false;
    private boolean coldStorage = false;
    private boolean dropRuntimeProvided = false;
    private List<String> keep = List.of();
    private List<String> exclude = List.of();
    private List<String> include = List.of();
    private Path configFile = null;
    private boolean dryRun = false;
    private List<String> systemLibs = List.of();
    private CompatMode compat = CompatMode.FAIL;
    private List<String> smokeImports = List.of();
    private Path smokeScript = null;
    private Path smokeEvent = null;
    private int smokeTimeoutSeconds = 120;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private Vocabulary vocabulary = Vocabulary.CLI;

    private Builder() {}

    public Builder requirements(Path value) {
      this.requirements = value;
      return this;
    }

    public Builder sitePackages(Path value) {
      this.sitePackages = value;
      return this;
    }

    public Builder handlers(java.util.Collection<? extends Path> value) {
      this.handlers = List.copyOf(value);
      return this;
    }

    public Builder handlerFunction(String value) {
      this.handlerFunction = value;
      return this;
    }

    public Builder target(Target value) {
      this.target = value;
      return this;
    }

    public Builder pythonExe(String value) {
      this.pythonExe = value;
      return this;
    }

    public Builder output(Path value) {
      this.output = value;
      return this;
    }

    public Builder indexUrl(String value) {
      this.indexUrl = value;
      return this;
    }

    public Builder extraIndexUrls(java.util.Collection<? extends String> value) {
      this.extraIndexUrls = List.copyOf(value);
      return this;
    }

    public Builder findLinks(java.util.Collection<? extends String> value) {
      this.findLinks = List.copyOf(value);
      return this;
    }

    public Builder noIndex(boolean value) {
      this.noIndex = value;
      return this;
    }

    public Builder requireHashes(boolean value) {
      this.requireHashes = value;
      return this;
    }

    public Builder pipCacheDir(Path value) {
      this.pipCacheDir = value;
      return this;
    }

    public Builder maxUnzipped(Long value) {
      this.maxUnzipped = value;
      return this;
    }

    public Builder maxZipped(Long value) {
      this.maxZipped = value;
      return this;
    }

    public Builder extraBytes(long value) {
      this.extraBytes = value;
      return this;
    }

    public Builder maxGrowth(Long value) {
      this.maxGrowth = value;
      return this;
    }

    public Builder baseline(Path value) {
      this.baseline = value;
      return this;
    }

    public Builder strip(boolean value) {
      this.strip = value;
      return this;
    }

    public Builder smoke(boolean value) {
      this.smoke = value;
      return this;
    }

    public Builder smokeRequired(boolean value) {
      this.smokeRequired = value;
      return this;
    }

    public Builder bytecode(BytecodeMode value) {
      this.bytecode = value;
      return this;
    }

    public Builder pruneUnused(boolean value) {
      this.pruneUnused = value;
      return this;
    }

    public Builder pruneModules(boolean value) {
      this.pruneModules = value;
      return this;
    }

    public Builder coldStorage(boolean value) {
      this.coldStorage = value;
      return this;
    }

    public Builder smokeEvent(Path value) {
      this.smokeEvent = value;
      return this;
    }

    public Builder dropRuntimeProvided(boolean value) {
      this.dropRuntimeProvided = value;
      return this;
    }

    public Builder keep(java.util.Collection<? extends String> value) {
      this.keep = List.copyOf(value);
      return this;
    }

    public Builder exclude(java.util.Collection<? extends String> value) {
      this.exclude = List.copyOf(value);
      return this;
    }

    public Builder include(java.util.Collection<? extends String> value) {
      this.include = List.copyOf(value);
      return this;
    }

    public Builder configFile(Path value) {
      this.configFile = value;
      return this;
    }

    public Builder dryRun(boolean value) {
      this.dryRun = value;
      return this;
    }

    public Builder systemLibs(java.util.Collection<? extends String> value) {
      this.systemLibs = List.copyOf(value);
      return this;
    }

    public Builder compat(CompatMode value) {
      this.compat = value;
      return this;
    }

    public Builder smokeImports(java.util.Collection<? extends String> value) {
      this.smokeImports = List.copyOf(value);
      return this;
    }

    public Builder smokeScript(Path value) {
      this.smokeScript = value;
      return this;
    }

    public Builder smokeTimeoutSeconds(int value) {
      this.smokeTimeoutSeconds = value;
      return this;
    }

    public Builder threads(int value) {
      this.threads = value;
      return this;
    }

    public Builder vocabulary(Vocabulary value) {
      this.vocabulary = value;
      return this;
    }

    public BuildOptions build() {
      return new BuildOptions(requirements, sitePackages, handlers, handlerFunction, target, pythonExe, output, indexUrl, extraIndexUrls, findLinks, noIndex, requireHashes, pipCacheDir, maxUnzipped, maxZipped, extraBytes, maxGrowth, baseline, strip, smoke, smokeRequired, bytecode, pruneUnused, pruneModules, coldStorage, dropRuntimeProvided, keep, exclude, include, configFile, dryRun, systemLibs, compat, smokeImports, smokeScript, smokeEvent, smokeTimeoutSeconds, threads, vocabulary);
    }
  }
}
