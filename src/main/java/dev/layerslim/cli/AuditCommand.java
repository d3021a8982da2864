package dev.layerslim.cli;

import dev.layerslim.layer.Plural;
import dev.layerslim.audit.AuditResult;
import dev.layerslim.audit.AuditStep;
import dev.layerslim.audit.DependencyTreeRenderer;
import dev.layerslim.install.InstallStep;
import dev.layerslim.layer.Sizes;
import dev.layerslim.layer.Trees;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.EventSink;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.python.SystemProcessRunner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code layerslim audit}: the dependency tree with sizes, and why each distribution is used.
 * Installs (into a scratch folder) or reads the installed tree; writes nothing else.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {"Shows which distributions the handler's imports reach, why, and what the rest costs.",
        "Like pipdeptree, with sizes. Nothing is written.", ""},
    footerHeading = "%nExample:%n",
    footer = {"  layerslim audit --site-packages site --handler app.py", "  layerslim audit -r requirements.txt --handler src/ --json",
        "", "Exit codes: 0 shown, 2 bad usage or input, 3 pip failed, 4 an internal error."})
public final class AuditCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin Options.Source source = new Options.Source();
  @CommandLine.Mixin Options.Handler handler = new Options.Handler();
  @CommandLine.Mixin Options.TargetRuntime target = new Options.TargetRuntime();
  @CommandLine.Mixin Options.Pip pip = new Options.Pip();
  @CommandLine.Mixin Options.Keep keep = new Options.Keep();

  @Option(names = "--prune-modules",
      description = "also list the sub-packages of used distributions that nothing reaches (build --prune-modules)")
  boolean pruneModules;

  @Option(names = "--json", description = "print the audit as JSON instead of a tree")
  boolean json;


  /**
   * Removes the scratch install but keeps pip.log, whose path the install step printed: every path
   * a command prints still exists when it ends.
   */
  static void clean(Path scratch) throws java.io.IOException {
    Path log = scratch.resolve("pip.log");
    if (!Files.isRegularFile(log)) {
      Trees.deleteRecursively(scratch);
      return;
    }
    try (var children = Files.list(scratch)) {
      for (Path p : children.toList()) {
        if (!p.equals(log)) {
          Trees.deleteRecursively(p);
        }
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    Path scratch = Files.createTempDirectory("layerslim-audit");
    BuildOptions.Builder b = BuildOptions.builder();
    source.applyTo(b);
    handler.applyTo(b);
    target.applyTo(b);
    pip.applyTo(b);
    BuildOptions o = b.keep(keep.keep).pruneModules(pruneModules).output(scratch).build();
    CommandSafeWriter.redact(spec.commandLine(), o, System.getenv());
    if (o.handlers().isEmpty()) {
      Trees.deleteRecursively(scratch);
      throw LayerslimException.usage("audit needs --handler PATH: the handler's imports decide what is used");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // progress and warnings go to stderr, so stdout stays the tree (or JSON) alone
    EventSink events = new ConsoleRenderer(err, err, false, false);
    Workflows.Audited audited;
    try {
      audited = BuildRunner.run(o, Workflows::auditOnly, events, new SystemProcessRunner()).result();
    } finally {
      clean(scratch);
    }
    AuditStep.Outcome audit = audited.audit();
    AuditResult r = audit.result();
    if (json) {
      out.print(dev.layerslim.reportfile.ReportJson.auditText(DependencyTreeRenderer.section(r, audit.bytes())));
      return 0;
    }
    out.print(DependencyTreeRenderer.text(r, audit.bytes()));
    out.println();
    out.println("why:");
    for (AuditResult.DistributionUse d : r.distributions()) {
      if (d.used() && d.why() != null) {
        out.println("  " + d.name() + ": " + d.why());
      }
    }
    long unused = 0;
    for (String n : r.unusedNames()) {
      unused += audit.bytes().getOrDefault(n, 0L);
    }
    out.println();
    out.println(Plural.count(r.unusedNames().size(), "unused distribution") + ", " + Sizes.human(unused)
        + (r.unusedNames().isEmpty() ? "" : ": " + String.join(", ", r.unusedNames())
            + " (build --prune-unused removes them)"));
    if (pruneModules) {
      out.println();
      audited.modules().forEach(out::println);
    }
    return 0;
  }
}
