package dev.layerslim.pipeline;

import dev.layerslim.layer.Target;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a user asked of one build, already validated by the CLI (paths absolute, sizes in
 * bytes), in one record per group a step reads: {@link InstallOptions}, {@link PruneOptions},
 * {@link SmokeOptions}, {@link LimitOptions}, {@link CompatOptions}, and the few settings several
 * steps share. Immutable: {@code layerslim build} and {@code layerslim action} fill a {@link Builder}
 * through the same options; {@code cli}'s Workflows hands each step the group it reads.
 *
 * @param install Where the layer's files come from and how pip gets them.
 * @param target The Lambda runtime the layer is for.
 * @param pythonExe The interpreter for pip and the smoke test; null means {@code python3.X}, then {@code python3}.
 * @param handlers Handler source files or folders.
 * @param handlerFunction Lambda's handler string, {@code app.handler}, or null.
 * @param output The output folder (absolute).
 * @param limits The budgets and the baseline.
 * @param prune The prune rules.
 * @param smokeTest The smoke test's settings.
 * @param strip Strip ELF objects (validated).
 * @param bytecode Which pycs the layer ships.
 * @param coldStorage Keep the sub-packages the hot path never loads compressed in the layer, unpacked into
 *     the temp dir on first import ({@code --cold-storage}); with it, {@code pruneModules} deletes none.
 * @param compatCheck The compatibility check's settings.
 * @param dryRun Plan only: install, audit, prune, report; no layer and no zip.
 * @param threads Worker threads for parallel steps (stage, strip, zip).
 * @param vocabulary How messages name settings: flags for the CLI, inputs for the action.
 */
public record BuildOptions(
    InstallOptions install,
    Target target,
    String pythonExe,
    List<Path> handlers,
    String handlerFunction,
    Path output,
    LimitOptions limits,
    PruneOptions prune,
    SmokeOptions smokeTest,
    boolean strip,
    BytecodeMode bytecode,
    boolean coldStorage,
    CompatOptions compatCheck,
    boolean dryRun,
    int threads,
    Vocabulary vocabulary) {

  public BuildOptions {
    handlers = List.copyOf(handlers);
  }

  // One-value reads for the report, which reads across groups; a step is given its group

  public Path requirements() {
    return install.requirements();
  }

  public Path sitePackages() {
    return install.sitePackages();
  }

  public Long maxUnzipped() {
    return limits.maxUnzipped();
  }

  public Long maxZipped() {
    return limits.maxZipped();
  }

  public long extraBytes() {
    return limits.extraBytes();
  }

  public Long maxGrowth() {
    return limits.maxGrowth();
  }

  public Path baseline() {
    return limits.baseline();
  }

  public boolean pruneUnused() {
    return prune.pruneUnused();
  }

  public boolean dropRuntimeProvided() {
    return prune.dropRuntimeProvided();
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to derive changed ones. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.requirements = install.requirements();
    b.sitePackages = install.sitePackages();
    b.handlers = handlers;
    b.handlerFunction = handlerFunction;
    b.target = target;
    b.pythonExe = pythonExe;
    b.output = output;
    b.indexUrl = install.indexUrl();
    b.extraIndexUrls = install.extraIndexUrls();
    b.findLinks = install.findLinks();
    b.noIndex = install.noIndex();
    b.requireHashes = install.requireHashes();
    b.pipCacheDir = install.pipCacheDir();
    b.maxUnzipped = limits.maxUnzipped();
    b.maxZipped = limits.maxZipped();
    b.extraBytes = limits.extraBytes();
    b.maxGrowth = limits.maxGrowth();
    b.baseline = limits.baseline();
    b.strip = strip;
    b.smoke = smokeTest.smoke();
    b.smokeRequired = smokeTest.required();
    b.bytecode = bytecode;
    b.pruneUnused = prune.pruneUnused();
    b.pruneModules = prune.pruneModules();
    b.coldStorage = coldStorage;
    b.dropRuntimeProvided = prune.dropRuntimeProvided();
    b.keep = prune.keep();
    b.exclude = prune.exclude();
    b.include = prune.include();
    b.configFile = prune.configFile();
    b.dryRun = dryRun;
    b.systemLibs = compatCheck.systemLibs();
    b.compat = compatCheck.mode();
    b.smokeImports = smokeTest.imports();
    b.smokeScript = smokeTest.script();
    b.smokeEvent = smokeTest.event();
    b.smokeTimeoutSeconds = smokeTest.timeoutSeconds();
    b.threads = threads;
    b.vocabulary = vocabulary;
    return b;
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
      return new BuildOptions(
          new InstallOptions(requirements, sitePackages, indexUrl, extraIndexUrls, findLinks, noIndex, requireHashes,
              pipCacheDir),
          target, pythonExe, handlers, handlerFunction, output,
          new LimitOptions(maxUnzipped, maxZipped, extraBytes, maxGrowth, baseline),
          new PruneOptions(pruneUnused, pruneModules, dropRuntimeProvided, keep, exclude, include, configFile),
          new SmokeOptions(smoke, smokeRequired, smokeImports, smokeScript, smokeEvent, smokeTimeoutSeconds),
          strip, bytecode, coldStorage, new CompatOptions(compat, systemLibs), dryRun, threads, vocabulary);
    }
  }
}
