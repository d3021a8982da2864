package dev.layerslim.cli;

import dev.layerslim.layer.Sizes;
import dev.layerslim.layer.Target;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.LayerslimException;
import dev.layerslim.python.SystemProcessRunner;
import dev.layerslim.report.Baseline;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code layerslim build}: the whole pipeline, from requirements (or an installed tree) to layer.zip. */
@Command(name = "build", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {"Builds a Lambda layer: install → prune → strip → smoke-test → zip → report.",
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

    @Option(names = "--threads", paramLabel = "N", description = "worker threads for strip and zip (default: cores)")
    Integer threads;

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
        Path sp = sitePackages.toAbsolutePath().normalize();
        if (!Files.isDirectory(sp)) {
          throw LayerslimException.usage("--site-packages " + sitePackages + ": no such folder");
        }
        o.sitePackages = sp;
      }
      for (Path h : handlers) {
        Path a = h.toAbsolutePath().normalize();
        if (!Files.exists(a)) {
          throw LayerslimException.usage("--handler " + h + ": no such file or folder");
        }
        o.handlers.add(a);
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
      if (threads != null) {
        if (threads < 1) {
          throw LayerslimException.usage("--threads must be at least 1");
        }
        o.threads = threads;
      }
      return o;
    }

    static Path existingFile(Path p, String option) {
      Path a = p.toAbsolutePath().normalize();
      if (!Files.isRegularFile(a)) {
        throw LayerslimException.usage(option + " " + p + ": no such file");
      }
      return a;
    }
  }

  @CommandLine.Mixin Inputs inputs = new Inputs();

  @Option(names = {"-v", "--verbose"}, description = "more detail in the log")
  boolean verbose;

  @Option(names = "--stacktrace", description = "print stack traces of errors")
  boolean stacktrace;

  @Override
  public Integer call() throws Exception {
    BuildOptions o = inputs.toOptions();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConsoleRenderer renderer = new ConsoleRenderer(out, err, ConsoleRenderer.isInteractive(), verbose);
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
}
