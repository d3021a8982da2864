package dev.layerslim.install;

import dev.layerslim.layer.Plural;
import dev.layerslim.layer.DistInfoReader;
import dev.layerslim.layer.Distribution;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Ownership;
import dev.layerslim.layer.Target;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.InstallOptions;
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.pipeline.Step;
import dev.layerslim.python.Interpreter;
import dev.layerslim.python.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Install: runs pip once into a fresh folder, or takes the user's installed tree as it is (it is
 * only ever read). Either way it ends with one walk of the tree and its dist-info read, which
 * every later step uses.
 */
public final class InstallStep implements Step<InstallResult> {
  /** Whether pip's first retry was shown (one is enough to explain a slow install). */
  private boolean retryWarned;
  private final InstallOptions install;
  private final Target target;
  private final String pythonExe;

  /**
   * Installs (or takes the installed tree) as {@code install} says, for {@code target}, with pip run
   * by {@code pythonExe} ({@code --python-exe}; null: the first suitable python found).
   */
  public InstallStep(InstallOptions install, Target target, String pythonExe) {
    this.install = install;
    this.target = target;
    this.pythonExe = pythonExe;
  }

  private static final Pattern NO_MATCH = Pattern.compile("No matching distribution found for (\\S+)");

  @Override
  public String name() {
    return "install";
  }

  @Override
  public String title() {
    return "Installing";
  }

  @Override
  public InstallResult run(BuildContext ctx) throws IOException {
    if (target.aboveRuntime()) {
      ctx.warn(name(), target.customImageWarning());
    }
    Path root;
    InstallResult.Mode mode;
    if (install.sitePackages() != null) {
      root = install.sitePackages();
      mode = InstallResult.Mode.SITE_PACKAGES;
      ctx.info(name(), "using the installed tree " + install.sitePackages() + " (read only)");
    } else {
      root = ctx.workDir().resolve("install");
      mode = pipInstall(ctx, root);
    }
    LayerTree tree = LayerTree.scan(root);
    if (install.sitePackages() == null && tree.files().isEmpty()) {
      // pip exited 0 having installed nothing (every requirement's marker excludes the target, say):
      // a layer with nothing in it is never what a build was for, so it is not reported as OK
      throw LayerslimException.usage("pip installed nothing from " + install.requirements() + " for python"
          + target.python() + " " + target.arch() + ": the layer would be empty (see "
          + ctx.outputDir().resolve("pip.log") + "; a requirement whose environment marker excludes the target is skipped)");
    }
    for (String s : tree.skipped()) {
      ctx.warn(name(), "left out " + s);
    }
    List<Distribution> distributions = DistInfoReader.readAll(root);
    for (var d : distributions) {
      for (String p : d.problems()) {
        ctx.warn(name(), d.distInfo() + ": " + p);
      }
    }
    ctx.stepSummary(Plural.count(distributions.size(), "distribution") + ", " + Plural.count(tree.files().size(), "file") + ", "
        + dev.layerslim.layer.Sizes.human(tree.totalBytes()) + " (" + mode.label() + ")");
    return new InstallResult(root, mode != InstallResult.Mode.SITE_PACKAGES, mode, tree, distributions,
        new Ownership(distributions));
  }

  /**
   * Refuses a requirements file that names nothing to install (empty, or only comments, blank
   * lines and options): it would build an empty layer and call it OK. An unreadable one is named.
   */
  static void requireSomething(Path requirements) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(requirements, java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.nio.file.AccessDeniedException e) {
      throw LayerslimException.usage("--requirements " + requirements + ": cannot read it (permission denied)");
    } catch (java.nio.charset.MalformedInputException e) {
      return; // pip reads it in its own way and says what is wrong
    }
    for (String line : lines) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      if (!l.startsWith("-") || l.matches("(-r|--requirement|-c|--constraint|-e|--editable)\\b.*")) {
        return; // a requirement, or a file or project that may hold some
      }
    }
    throw LayerslimException.usage("--requirements " + requirements + " names no packages (it is empty or holds"
        + " only comments and options): a build would make an empty layer; list what the layer should hold");
  }

  /** pip's milestones as progress lines: a long install should not look stuck. */
  private void pipProgress(BuildContext ctx, String line) {
    String l = line.strip();
    if (l.startsWith("Collecting ") || l.startsWith("Processing ") || l.startsWith("Downloading ")
        || l.startsWith("Installing collected packages") || l.startsWith("Successfully installed")) {
      ctx.info(name(), "pip: " + (l.length() > 160 ? l.substring(0, 157) + "…" : l));
    } else if (l.startsWith("WARNING: Retrying") && !retryWarned) {
      retryWarned = true;
      ctx.info(name(), "pip: an index does not answer and pip retries it (slow; see pip.log): "
          + (l.length() > 120 ? l.substring(0, 117) + "…" : l));
    }
  }

  /** Runs pip into {@code installDir} (made empty first); returns whether the install was targeted. */
  private InstallResult.Mode pipInstall(BuildContext ctx, Path installDir) throws IOException {
    requireSomething(install.requirements());
    Interpreter host = Interpreter.probeFirst(ctx.processes(), Interpreter.candidates(target, pythonExe));
    String exe = host.command();
    String reason = PipCommand.targetedReason(target, host);
    boolean targeted = reason != null;
    dev.layerslim.layer.Trees.emptyFolder(installDir);
    List<String> cmd = PipCommand.build(exe, install, target, installDir, targeted);
    ctx.info(name(), targeted
        ? "targeted install for python" + target.python() + " " + target.arch() + " (glibc " + target.glibc()
            + "): " + reason
        : "plain install: the host " + host.exe() + " matches the target");
    Path log = ctx.outputDir().resolve("pip.log");
    Files.deleteIfExists(log);
    ctx.info(name(), "pip's output goes to " + log);
    ProcessRunner.ProcessResult r = ctx.processes().run(ProcessRunner.ProcessRequest.of(cmd)
        .withLogFile(log).withTimeout(Duration.ofHours(1)).withOnLine(line -> pipProgress(ctx, line))
        .withRedaction(ctx.redactor()::redact)
        .withEnv(install.pipCacheDir() == null ? java.util.Map.of()
            : java.util.Map.of("PIP_CACHE_DIR", install.pipCacheDir().toString())));
    if (!r.ok()) {
      LayerslimException full = dev.layerslim.pipeline.DiskFull.inOutput(r.output(), "pip install", ctx);
      if (full != null) {
        throw full; // one line naming the folder, not pip's traceback (pip.log keeps it)
      }
      String tail = "pip install failed (exit " + r.exitCode() + "); the last lines of " + log + ":\n" + r.tail(15);
      Matcher m = NO_MATCH.matcher(r.output());
      if (targeted && m.find()) {
        // the fix first, pip's own words after it
        ctx.info(name(), "asking the index which runtimes " + m.group(1) + " has wheels for");
        throw LayerslimException.stepFailed(new WheelAdvice(ctx, exe, install, target).explain(m.group(1), r.output()) + "\n\n"
            + tail);
      }
      throw LayerslimException.stepFailed(tail);
    }
    return targeted ? InstallResult.Mode.TARGETED : InstallResult.Mode.PLAIN;
  }
}
