package dev.layerslim.cli;

import dev.layerslim.error.LayerslimException;
import dev.layerslim.layer.Arch;
import dev.layerslim.layer.Glob;
import dev.layerslim.layer.Names;
import dev.layerslim.layer.Target;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.BytecodeMode;
import dev.layerslim.pipeline.CompatMode;
import dev.layerslim.pipeline.SampleEvent;
import dev.layerslim.reportfile.Baseline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The option groups the commands share, each a picocli mixin declared once: a command lists only
 * the groups it uses, so its {@code --help} shows only options it reads. Each group validates its
 * own values (bad input is a usage error naming the option where its value came from: the flag, the
 * action's input or layerslim.toml's key, see {@link OptionSources}) and fills a {@link BuildOptions.Builder}.
 *
 * <p>These options are also the action's inputs and layerslim.toml's keys: an option's longest name
 * without the dashes is its input and its key ({@code --python-version}, input {@code python-version}).
 */
final class Options {
  private Options() {}

  /** {@code -r} or {@code --site-packages}: where the layer's files come from. */
  static final class Source {
    @Option(names = {"-r", "--requirements"}, paramLabel = "FILE", description = "requirements file to install with pip")
    Path requirements;

    @Option(names = "--site-packages", paramLabel = "DIR",
        description = "use an installed tree instead of installing (copied; never modified)")
    Path sitePackages;

    @Spec(Spec.Target.MIXEE) CommandSpec mixee;

    void applyTo(BuildOptions.Builder b) {
      OptionSources from = OptionSources.of(mixee);
      if ((requirements == null) == (sitePackages == null)) {
        throw LayerslimException.usage(from.action()
            ? requirements == null ? "set the input requirements or site-packages"
                : "set either the input requirements or site-packages, not both"
            : requirements == null ? "give -r/--requirements FILE or --site-packages DIR"
                : "give either -r/--requirements or --site-packages, not both");
      }
      if (requirements != null) {
        b.requirements(existingFile(requirements, from.label("requirements")));
      }
      if (sitePackages != null) {
        b.sitePackages(existing(sitePackages, from.label("site-packages"), Files::isDirectory, "no such folder"));
      }
    }
  }

  /** {@code --handler}: the sources whose imports decide what is used. */
  static final class Handler {
    @Option(names = "--handler", paramLabel = "PATH",
        description = "handler source file or folder (repeatable); its imports decide what is used")
    List<Path> handlers = new ArrayList<>();

    @Spec(Spec.Target.MIXEE) CommandSpec mixee;

    void applyTo(BuildOptions.Builder b) {
      OptionSources from = OptionSources.of(mixee);
      List<Path> found = new ArrayList<>();
      for (Path h : handlers) {
        found.add(existing(h, from.label("handler", h), Files::exists, "no such file or folder"));
      }
      b.handlers(found);
    }
  }

  /** {@code --handler-function}: the function Lambda calls, which the smoke test resolves. */
  static final class HandlerFunction {
    @Option(names = "--handler-function", paramLabel = "MODULE.FUNCTION",
        description = "Lambda's handler string, e.g. app.handler; the smoke test resolves it (and must run)")
    String handlerFunction;

    @Spec(Spec.Target.MIXEE) CommandSpec mixee;

    void applyTo(BuildOptions.Builder b) {
      b.handlerFunction(Names.handlerFunction(handlerFunction, OptionSources.of(mixee).label("handler-function")));
      // naming the function Lambda calls asks for proof that it resolves: a smoke test that cannot
      // run then fails the build instead of passing unchecked
      b.smokeRequired(handlerFunction != null);
    }
  }

  /** {@code --python} and {@code --python-exe}: which interpreter runs the smoke test. */
  static final class Python {
    @Option(names = {"--python", "--python-version"}, paramLabel = "VERSION", defaultValue = Target.DEFAULT_PYTHON,
        description = "target Lambda Python runtime: 3.9 … 3.14 (default: ${DEFAULT-VALUE})")
    String python;

    @Option(names = "--python-exe", paramLabel = "EXE",
        description = "interpreter for pip and the smoke test (default: python3.X, then python3)")
    String pythonExe;
  }

  /** The target runtime: {@code --python}, {@code --arch}, {@code --glibc}, {@code --python-exe}. */
  static final class TargetRuntime {
    @Mixin Python python = new Python();

    @Option(names = {"--arch", "--architecture"}, paramLabel = "ARCH", defaultValue = "x86_64",
        description = "target architecture: x86_64 or arm64 (default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--glibc", paramLabel = "VERSION",
        description = "the target's glibc, for custom images (default: the runtime's: 2.26 for 3.9–3.11, 2.34 after)")
    String glibc;

    @Spec(Spec.Target.MIXEE) CommandSpec mixee;

    void applyTo(BuildOptions.Builder b) {
      OptionSources from = OptionSources.of(mixee);
      if (!Target.RUNTIMES.containsKey(python.python)) {
        throw LayerslimException.usage(from.label("python-version") + " " + python.python
            + " is not a Lambda Python runtime; use one of " + String.join(", ", Target.RUNTIMES.keySet()));
      }
      if (Arch.parse(arch) == null) {
        throw LayerslimException.usage(from.label("architecture") + " " + arch
            + " is not a Lambda architecture; use x86_64 or arm64");
      }
      if (glibc != null && !glibc.matches("2\\.\\d{1,3}")) {
        throw LayerslimException.usage(from.label("glibc") + " " + glibc + " is not a glibc version like 2.26");
      }
      b.target(Target.of(python.python, arch, glibc));
      b.pythonExe(python.pythonExe);
    }
  }

  /** {@code -o}: the build's output folder. */
  static final class Output {
    @Option(names = {"-o", "--output", "--output-dir"}, paramLabel = "DIR", defaultValue = "layerslim-out",
        description = "output folder (default: ${DEFAULT-VALUE})")
    Path output;

    void applyTo(BuildOptions.Builder b) {
      b.output(output.toAbsolutePath().normalize());
    }
  }

  /** The pip options that are first-class; PIP_* environment and pip config pass through untouched. */
  static final class Pip {
    @Option(names = "--index-url", paramLabel = "URL", description = "pip --index-url")
    String indexUrl;

    @Option(names = "--extra-index-url", paramLabel = "URL", description = "pip --extra-index-url (repeatable)")
    List<String> extraIndexUrls = new ArrayList<>();

    @Option(names = "--find-links", paramLabel = "DIR|URL", description = "pip --find-links (repeatable)")
    List<String> findLinks = new ArrayList<>();

    @Option(names = "--no-index", fallbackValue = "true", description = "pip --no-index")
    boolean noIndex;

    @Option(names = "--require-hashes", fallbackValue = "true", description = "pip --require-hashes")
    boolean requireHashes;

    @Option(names = "--pip-cache", paramLabel = "DIR",
        description = "pip's cache folder (PIP_CACHE_DIR): keep it between runs and downloads are reused")
    Path pipCache;

    void applyTo(BuildOptions.Builder b) {
      b.indexUrl(indexUrl).extraIndexUrls(extraIndexUrls).findLinks(findLinks).noIndex(noIndex)
          .requireHashes(requireHashes).pipCacheDir(pipCache == null ? null : pipCache.toAbsolutePath().normalize());
    }
  }

  /** Budgets and the baseline. AWS's limits always apply; a budget only adds a tighter check. */
  static final class Limits {
    @Option(names = "--max-unzipped", paramLabel = "SIZE", converter = SizeConverter.class,
        description = "a tighter unzipped budget (AWS's 262,144,000 bytes for function + layers always applies)")
    Long maxUnzipped;

    @Option(names = "--max-zipped", paramLabel = "SIZE", converter = SizeConverter.class,
        description = "zipped budget; without it, AWS's 52,428,800-byte direct-upload limit is a warning only")
    Long maxZipped;

    @Option(names = "--baseline", paramLabel = "FILE|auto",
        description = {"an earlier report.json: report.json and report.md then show what was added, removed, grew;",
            "auto, in a GitHub Actions pull request job: the base branch's, from the artifact layerslim-<output folder>",
            "(GITHUB_TOKEN with actions: read)"})
    Path baseline;

    @Option(names = "--max-growth", paramLabel = "SIZE", converter = SizeConverter.class,
        description = "largest allowed unzipped growth against --baseline; more fails the check")
    Long maxGrowth;

    @Option(names = "--extra-bytes", paramLabel = "SIZE", converter = SizeConverter.class, defaultValue = "0",
        description = "unzipped bytes of the function code and other layers, counted into the unzipped limit")
    long extraBytes;

    @Spec(Spec.Target.MIXEE) CommandSpec mixee;

    void applyTo(BuildOptions.Builder b) {
      b.maxUnzipped(maxUnzipped).maxZipped(maxZipped).maxGrowth(maxGrowth).extraBytes(extraBytes);
      if (baseline != null && !AutoBaseline.asked(baseline)) {
        // read now so a bad baseline fails before the install, not after it
        b.baseline(Baseline.load(baseline.toAbsolutePath().normalize(), OptionSources.of(mixee).label("baseline"))
            .file());
      }
    }
  }

  /** {@code --keep}: distributions that count as used (the audit and the unused rule read it). */
  static final class Keep {
    @Option(names = "--keep", paramLabel = "NAME",
        description = "a distribution that counts as used, with its requirements: --prune-unused keeps it (repeatable)")
    List<String> keep = new ArrayList<>();
  }

  /** The prune rules; in layerslim.toml they sit in the {@code [prune]} table. */
  static final class Prune {
    @Mixin Keep keep = new Keep();

    @Option(names = "--prune-unused", fallbackValue = "true", description = "remove distributions no handler import reaches (needs --handler)")
    boolean pruneUnused;

    @Option(names = "--prune-modules", fallbackValue = "true", description = "remove sub-packages of the layer's distributions that no import, "
        + "attribute access, smoke run (see --smoke-event) or plugin rule reaches (needs --handler)")
    boolean pruneModules;

    @Option(names = "--cold-storage", fallbackValue = "true", description = "keep the sub-packages the smoke test's hot path never loads "
        + "compressed in the layer, unpacked into the temp dir on their first import; with it --prune-modules deletes "
        + "nothing on doubt (needs the smoke test)")
    boolean coldStorage;

    @Option(names = "--exclude", paramLabel = "GLOB",
        description = "paths to remove, relative to site-packages (repeatable; ** any depth, * within a folder)")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--include", paramLabel = "GLOB",
        description = "paths to protect from every prune rule (repeatable; wins over --exclude)")
    List<String> include = new ArrayList<>();

    @Option(names = "--drop-runtime-provided", fallbackValue = "true",
        description = "leave out boto3, botocore, s3transfer, jmespath, urllib3 & co.: the Lambda runtime's copies are used")
    boolean dropRuntimeProvided;

    @Option(names = "--config", paramLabel = "FILE",
        description = "a layerslim.toml: defaults for these options (default: ./layerslim.toml when it exists)")
    Path config;

    @Spec(Spec.Target.MIXEE) CommandSpec mixee;

    void applyTo(BuildOptions.Builder b) {
      OptionSources from = OptionSources.of(mixee);
      // globs are checked now, not after a long install, each named where it was written
      exclude.forEach(g -> Glob.compile(g, from.label("exclude", g)));
      include.forEach(g -> Glob.compile(g, from.label("include", g)));
      b.pruneUnused(pruneUnused).pruneModules(pruneModules).coldStorage(coldStorage).keep(keep.keep)
          .exclude(exclude).include(include).dropRuntimeProvided(dropRuntimeProvided)
          .configFile(from.configFileRead());
    }
  }

  /** What the smoke test imports and how long it may take. */
  static final class Smoke {
    @Option(names = "--smoke-import", paramLabel = "MODULE",
        description = "a module the smoke test also imports (repeatable), beside the handler's modules")
    List<String> smokeImports = new ArrayList<>();

    @Option(names = "--smoke-script", paramLabel = "FILE",
        description = "your own check, run as __main__ by the smoke test with the layer on sys.path")
    Path smokeScript;

    @Option(names = "--smoke-event", paramLabel = "FILE.json",
        description = "a sample event: the smoke test calls --handler-function with it, so imports made at call "
            + "time load too (and count as reached for --prune-modules)")
    Path smokeEvent;

    @Option(names = "--smoke-timeout", paramLabel = "SECONDS", defaultValue = "120",
        description = "kill a smoke test run after this many seconds (default: ${DEFAULT-VALUE})")
    int smokeTimeout;

    @Spec(Spec.Target.MIXEE) CommandSpec mixee;

    /** Fills {@code b}; {@code handlerFunction} is what a sample event is passed to. */
    void applyTo(BuildOptions.Builder b, String handlerFunction) {
      OptionSources from = OptionSources.of(mixee);
      if (smokeEvent != null) {
        b.smokeEvent(SampleEvent.check(smokeEvent, handlerFunction, from.label("smoke-event")));
      }
      b.smokeImports(smokeImports);
      if (smokeScript != null) {
        b.smokeScript(existingFile(smokeScript, from.label("smoke-script")));
      }
      b.smokeTimeoutSeconds(atLeastOne(smokeTimeout, from.label("smoke-timeout"), " second"));
    }
  }

  /** {@code --threads}, for the steps that work in parallel (strip, zip). */
  static final class Threads {
    @Option(names = "--threads", paramLabel = "N", description = "worker threads for strip and zip (default: cores)")
    Integer threads;

    /** The chosen count, or the number of cores. */
    int count() {
      return count("--threads");
    }

    /** As {@link #count()}, a bad count named {@code label}. */
    int count(String label) {
      return threads == null ? Math.max(1, Runtime.getRuntime().availableProcessors())
          : atLeastOne(threads, label, "");
    }
  }

  /** What the build does besides pruning: strip, smoke, bytecode, the compatibility check. */
  static final class Steps {
    @Option(names = "--strip", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "strip ELF objects (default: on; --no-strip leaves them as they are)")
    boolean strip;

    @Option(names = {"--smoke", "--smoke-test"}, negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "smoke-test the layer (default: on; --no-smoke skips it)")
    boolean smoke;

    @Option(names = "--bytecode", paramLabel = "MODE", defaultValue = "cold-path",
        description = "pycs to ship: cold-path (the modules the smoke test loads), all, none, or sourceless (the "
            + "modules the smoke test loads as pycs without their .py: smaller, but no source lines in their "
            + "tracebacks) (default: ${DEFAULT-VALUE})")
    String bytecode;

    @Option(names = "--compat", paramLabel = "fail|warn", defaultValue = "fail",
        description = "what a binary that cannot load on the target does: fail the check or warn (default: ${DEFAULT-VALUE})")
    String compat;

    @Option(names = "--system-lib", paramLabel = "SONAME",
        description = "a library the runtime provides beyond the built-in list (repeatable), e.g. libgdal.so.30")
    List<String> systemLibs = new ArrayList<>();

    @Mixin Threads threads = new Threads();

    @Spec(Spec.Target.MIXEE) CommandSpec mixee;

    void applyTo(BuildOptions.Builder b) {
      OptionSources from = OptionSources.of(mixee);
      b.strip(strip).smoke(smoke).systemLibs(systemLibs).threads(threads.count(from.label("threads")));
      BytecodeMode mode = BytecodeMode.parse(bytecode);
      if (mode == null) {
        throw LayerslimException.usage(from.label("bytecode") + " " + bytecode + ": use one of "
            + String.join(", ", BytecodeMode.labels()));
      }
      CompatMode c = CompatMode.parse(compat);
      if (c == null) {
        throw LayerslimException.usage(from.label("compat") + " " + compat + ": use one of "
            + String.join(", ", CompatMode.labels()));
      }
      b.bytecode(mode).compat(c);
    }
  }

  /** {@code --layer}: an existing layer folder, for the step commands that work on one. */
  static final class Layer {
    @Option(names = "--layer", paramLabel = "DIR", required = true,
        description = "the layer: its python/ folder, or the folder that holds python/")
    Path layer;

    /** The layer's {@code python/} folder; a usage error when there is none. */
    Path root() {
      return LayerFolder.resolve(layer);
    }
  }

  /** {@code p} made absolute when it is a regular file; otherwise a usage error naming the option and path. */
  static Path existingFile(Path p, String option) {
    return existing(p, option, Files::isRegularFile, "no such file");
  }

  /** {@code p} made absolute when {@code test} accepts it; otherwise a usage error naming the option and path. */
  static Path existing(Path p, String option, Predicate<Path> test, String problem) {
    Path a = p.toAbsolutePath().normalize();
    if (!test.test(a)) {
      throw LayerslimException.usage(option + " " + p + ": " + problem);
    }
    return a;
  }

  static int atLeastOne(int value, String option, String unit) {
    if (value < 1) {
      throw LayerslimException.usage(option + " must be at least 1" + unit + ", not " + value);
    }
    return value;
  }
}
