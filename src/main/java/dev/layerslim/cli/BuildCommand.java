package dev.layerslim.cli;

import dev.layerslim.layer.Sizes;
import dev.layerslim.layer.Target;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.LayerslimException;
import dev.layerslim.prune.Glob;
import dev.layerslim.python.SystemProcessRunner;
import dev.layerslim.report.Baseline;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code layerslim build}: the whole pipeline, from requirements (or an installed tree) to layer.zip. */
@Command(name = "build", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {"Builds a Lambda layer: install → audit → prune → strip → smoke-test → bytecode → compat → zip → report.",
        "Writes OUTPUT/layer/python/…, OUTPUT/layer.zip, OUTPUT/report.json and OUTPUT/report.md.", ""},
    footerHeading = "%nExamples:%n",
    footer = {"  layerslim build -r requirements.txt --handler app.py",
        "  layerslim build --site-packages .venv/lib/python3.11/site-packages --max-unzipped 200MiB",
        "", "Exit codes: 0 within limits, 1 a limit exceeded, 2 bad usage or input, 3 a step failed."})
public final class BuildCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The options shared by every command that builds. */
  public static final class Inputs {
    @Option(names = {"-r", "--requirements"}, paramLabel = "FILE", description = "requirements file to install with pip")
    Path requirements;

    @Option(names = "--site-packages", paramLabel = "DIR",
        description = "use an installed tree instead of installing (copied; never modified)")
    Path sitePackages;

    @Option(names = "--handler", paramLabel = "PATH",
        description = "handler source file or folder (repeatable); its imports decide what is used")
    List<Path> handlers = new ArrayList<>();

    @Option(names = "--handler-function", paramLabel = "MODULE.FUNCTION",
        description = "Lambda's handler string, e.g. app.handler; the smoke test resolves it")
    String handlerFunction;

    @Option(names = "--python", paramLabel = "VERSION", defaultValue = Target.DEFAULT_PYTHON,
        description = "target Lambda Python runtime: 3.9 … 3.14 (default: ${DEFAULT-VALUE})")
    String python;

    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "x86_64",
        description = "target architecture: x86_64 or arm64 (default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--glibc", paramLabel = "VERSION",
        description = "the target's glibc, for custom images (default: the runtime's: 2.26 for 3.9–3.11, 2.34 after)")
    String glibc;

    @Option(names = "--python-exe", paramLabel = "EXE",
        description = "interpreter for pip and the smoke test (default: python3.X, then python3)")
    String pythonExe;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "layerslim-out",
        description = "output folder (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(names = "--index-url", paramLabel = "URL", description = "pip --index-url")
    String indexUrl;

    @Option(names = "--extra-index-url", paramLabel = "URL", description = "pip --extra-index-url (repeatable)")
    List<String> extraIndexUrls = new ArrayList<>();

    @Option(names = "--find-links", paramLabel = "DIR|URL", description = "pip --find-links (repeatable)")
    List<String> findLinks = new ArrayList<>();

    @Option(names = "--no-index", description = "pip --no-index")
    boolean noIndex;

    @Option(names = "--require-hashes", description = "pip --require-hashes")
    boolean requireHashes;

    @Option(names = "--max-unzipped", paramLabel = "SIZE", converter = SizeConverter.class,
        description = "unzipped budget (default: AWS's 262,144,000 bytes for function + layers)")
    Long maxUnzipped;

    @Option(names = "--max-zipped", paramLabel = "SIZE", converter = SizeConverter.class,
        description = "zipped budget; without it, AWS's 52,428,800-byte direct-upload limit is a warning only")
    Long maxZipped;

    @Option(names = "--baseline", paramLabel = "FILE",
        description = "an earlier report.json: report.json and report.md then show what was added, removed, grew")
    Path baseline;

    @Option(names = "--max-growth", paramLabel = "SIZE", converter = SizeConverter.class,
        description = "largest allowed unzipped growth against --baseline; more fails the check")
    Long maxGrowth;

    @Option(names = "--extra-bytes", paramLabel = "SIZE", converter = SizeConverter.class, defaultValue = "0",
        description = "unzipped bytes of the function code and other layers, counted into the unzipped limit")
    long extraBytes;

    @Option(names = "--no-strip", description = "do not strip ELF objects")
    boolean noStrip;

    @Option(names = "--no-smoke", description = "do not smoke-test the layer")
    boolean noSmoke;

    @Option(names = "--drop-runtime-provided",
        description = "leave out boto3, botocore, s3transfer, jmespath, urllib3 & co.: the Lambda runtime's copies are used")
    boolean dropRuntimeProvided;

    @Option(names = "--system-lib", paramLabel = "SONAME",
        description = "a library the runtime provides beyond the built-in list (repeatable), e.g. libgdal.so.30")
    List<String> systemLibs = new ArrayList<>();

    @Option(names = "--compat", paramLabel = "fail|warn", defaultValue = "fail",
        description = "what a binary that cannot load on the target does: fail the check or warn (default: ${DEFAULT-VALUE})")
    String compat;
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

    @Option(names = "--bytecode", paramLabel = "MODE", defaultValue = "cold-path",
        description = "pycs to ship: cold-path (the modules the smoke test loads), all, none (default: ${DEFAULT-VALUE})")
    String bytecode;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads for strip and zip (default: cores)")
    Integer threads;

    @Option(names = "--prune-unused", description = "remove distributions no handler import reaches (needs --handler)")
    boolean pruneUnused;

    @Option(names = "--prune-modules", description = "remove sub-packages of the layer's distributions that no import, "
        + "attribute access, smoke run (see --smoke-event) or plugin rule reaches (needs --handler)")
    boolean pruneModules;

    @Option(names = "--keep", paramLabel = "NAME", description = "a distribution that counts as used, with its requirements: --prune-unused keeps it (repeatable)")
    List<String> keep = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB",
        description = "paths to remove, relative to site-packages (repeatable; ** any depth, * within a folder)")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--include", paramLabel = "GLOB",
        description = "paths to protect from every prune rule (repeatable; wins over --exclude)")
    List<String> include = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
        description = "a layerslim.toml with a [prune] table (default: ./layerslim.toml when it exists)")
    Path config;

    @Option(names = "--dry-run", description = "install and plan the prune only: print the plan, write only the report")
    boolean dryRun;

    /** Validates and resolves into {@link BuildOptions}; bad input is a usage error naming the option. */
    BuildOptions toOptions() {
      BuildOptions o = new BuildOptions();
      if ((requirements == null) == (sitePackages == null)) {
        throw LayerslimException.usage(requirements == null
            ? "give -r/--requirements FILE or --site-packages DIR"
            : "give either -r/--requirements or --site-packages, not both");
      }
      if (requirements != null) {
        o.requirements = existingFile(requirements, "--requirements");
      }
      if (sitePackages != null) {
        o.sitePackages = existing(sitePackages, "--site-packages", Files::isDirectory, "no such folder");
      }
      for (Path h : handlers) {
        o.handlers.add(existing(h, "--handler", Files::exists, "no such file or folder"));
      }
      o.handlerFunction = handlerFunction;
      o.target = Target.of(python, arch, glibc);
      o.pythonExe = pythonExe;
      o.output = output.toAbsolutePath().normalize();
      o.indexUrl = indexUrl;
      o.extraIndexUrls.addAll(extraIndexUrls);
      o.findLinks.addAll(findLinks);
      o.noIndex = noIndex;
      o.requireHashes = requireHashes;
      o.maxUnzipped = maxUnzipped;
      o.maxZipped = maxZipped;
      if (baseline != null) {
        // Read now so a bad baseline fails before the install, not after it.
        o.baseline = Baseline.load(baseline.toAbsolutePath().normalize(), "--baseline").file();
      }
      o.maxGrowth = maxGrowth;
      o.extraBytes = extraBytes;
      o.strip = !noStrip;
      o.smoke = !noSmoke;
      o.systemLibs.addAll(systemLibs);
      o.dropRuntimeProvided = dropRuntimeProvided;
      o.compat = oneOf(compat, "--compat", List.of("fail", "warn"));
      o.smokeImports.addAll(smokeImports);
      if (smokeScript != null) {
        o.smokeScript = existingFile(smokeScript, "--smoke-script");
      }
      if (smokeEvent != null) {
        o.smokeEvent = dev.layerslim.smoke.SmokeSpecs.sampleEvent(smokeEvent, handlerFunction, "--smoke-event");
      }
      o.smokeTimeoutSeconds = atLeastOne(smokeTimeout, "--smoke-timeout", " second");
      o.bytecode = oneOf(bytecode, "--bytecode", BuildOptions.BYTECODE_MODES);
      if (threads != null) {
        o.threads = atLeastOne(threads, "--threads", "");
      }
      pruneOptions(o);
      return o;
    }

    /** The prune options: layerslim.toml's [prune] table first, then the command line's on top. */
    private void pruneOptions(BuildOptions o) {
      Path file = config != null ? existingFile(config, "--config") : Path.of(ConfigFile.DEFAULT_NAME).toAbsolutePath();
      if (config != null || Files.isRegularFile(file)) {
        ConfigFile.Prune c = ConfigFile.read(file);
        o.exclude.addAll(c.exclude());
        o.include.addAll(c.include());
        o.keep.addAll(c.keep());
        o.pruneUnused = Boolean.TRUE.equals(c.pruneUnused());
        o.pruneModules = Boolean.TRUE.equals(c.modules());
        o.configFile = file;
      }
      o.pruneUnused |= pruneUnused;
      o.pruneModules |= pruneModules;
      o.keep.addAll(keep);
      o.exclude.addAll(exclude);
      o.include.addAll(include);
      // a bad glob is an error now, not after a long install
      o.exclude.forEach(g -> Glob.compile(g, "--exclude"));
      o.include.forEach(g -> Glob.compile(g, "--include"));
      o.dryRun = dryRun;
    }

    static Path existingFile(Path p, String option) {
      return existing(p, option, Files::isRegularFile, "no such file");
    }

    /** {@code p} made absolute when {@code test} accepts it; otherwise a usage error naming the option and path. */
    private static Path existing(Path p, String option, Predicate<Path> test, String problem) {
      Path a = p.toAbsolutePath().normalize();
      if (!test.test(a)) {
        throw LayerslimException.usage(option + " " + p + ": " + problem);
      }
      return a;
    }

    private static String oneOf(String value, String option, Collection<String> choices) {
      if (!choices.contains(value)) {
        throw LayerslimException.usage(option + " " + value + ": use one of " + String.join(", ", choices));
      }
      return value;
    }

    private static int atLeastOne(int value, String option, String unit) {
      if (value < 1) {
        throw LayerslimException.usage(option + " must be at least 1" + unit + ", not " + value);
      }
      return value;
    }
  }

  @CommandLine.Mixin Inputs inputs = new Inputs();

  @CommandLine.Mixin LogOptions log = new LogOptions();

  @Override
  public Integer call() throws Exception {
    BuildOptions o = inputs.toOptions();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConsoleRenderer renderer = log.console(spec);
    if (o.dryRun) {
      return plan(o, renderer, out);
    }
    BuildContext ctx = BuildRunner.run(o, Workflows.build(), renderer, new SystemProcessRunner());
    out.println();
    out.println("layer:  " + ctx.zipFile + " (" + Sizes.human(ctx.zippedBytes) + " zipped, "
        + Sizes.human(ctx.finalTree.totalBytes()) + " unzipped)");
    out.println("report: " + o.output.resolve("report.md"));
    int code = BuildRunner.exitCode(ctx);
    for (String f : ctx.failures()) {
      err.println("FAILED: " + f);
    }
    if (code == 0) {
      out.println("OK: within limits");
    }
    out.flush();
    return code;
  }

  /** {@code --dry-run}: install and plan the prune; the plan is printed, only the report is written. */
  static int plan(BuildOptions o, ConsoleRenderer renderer, PrintWriter out) throws java.io.IOException {
    BuildContext ctx = BuildRunner.run(o, Workflows.plan(), renderer, new SystemProcessRunner());
    out.println();
    out.println("dry run: no layer and no zip written");
    out.println("report: " + o.output.resolve("report.md"));
    out.flush();
    return BuildRunner.exitCode(ctx);
  }
}
