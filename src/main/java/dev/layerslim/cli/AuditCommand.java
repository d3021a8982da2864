package dev.layerslim.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layerslim.audit.AuditResult;
import dev.layerslim.audit.AuditStep;
import dev.layerslim.audit.DependencyTreeRenderer;
import dev.layerslim.install.InstallStep;
import dev.layerslim.layer.Sizes;
import dev.layerslim.layer.Trees;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.EventSink;
import dev.layerslim.pipeline.LayerslimException;
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
        "Like pipdeptree, with sizes. Nothing is written (-o is not used).", ""},
    footerHeading = "%nExample:%n",
    footer = {"  layerslim audit --site-packages site --handler app.py", "  layerslim audit -r requirements.txt --handler src/ --json"})
public final class AuditCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin BuildCommand.Inputs inputs = new BuildCommand.Inputs();

  @Option(names = "--json", description = "print the audit as JSON instead of a tree")
  boolean json;

  @Option(names = "--stacktrace", description = "print stack traces of errors")
  boolean stacktrace;

  @Override
  public Integer call() throws Exception {
    BuildOptions o = inputs.toOptions();
    if (o.handlers.isEmpty()) {
      throw LayerslimException.usage("audit needs --handler PATH: the handler's imports decide what is used");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path scratch = Files.createTempDirectory("layerslim-audit");
    o.output = scratch;
    AuditStep audit = new AuditStep();
    dev.layerslim.prune.ModuleAuditStep modules = new dev.layerslim.prune.ModuleAuditStep();
    // progress and warnings go to stderr, so stdout stays the tree (or JSON) alone
    EventSink events = new ConsoleRenderer(err, err, false, false);
    try {
      BuildRunner.run(o, o.pruneModules ? List.of(new InstallStep(), audit, modules) : List.of(new InstallStep(), audit),
          events, new SystemProcessRunner());
    } finally {
      Trees.deleteRecursively(scratch);
    }
    AuditResult r = audit.result();
    if (json) {
      ObjectNode tree = DependencyTreeRenderer.json(r, audit.bytes());
      out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
          .writeValueAsString(tree));
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
    out.println(r.unusedNames().size() + " unused distributions, " + Sizes.human(unused)
        + (r.unusedNames().isEmpty() ? "" : ": " + String.join(", ", r.unusedNames())
            + " (build --prune-unused removes them)"));
    if (o.pruneModules) {
      out.println();
      modules.lines().forEach(out::println);
    }
    return 0;
  }
}
