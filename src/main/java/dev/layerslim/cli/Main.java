package dev.layerslim.cli;

import dev.layerslim.pipeline.LayerslimException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code layerslim} command. {@link #run} is what tests call, with both streams captured;
 * {@link #main} exits with its code: 0 within limits, 1 a limit exceeded, 2 bad usage or input,
 * 3 a step failed.
 */
@Command(name = "layerslim", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Builds AWS Lambda Python layers that fit, safely, and gates pull requests on their size.",
        "One build: install, audit, prune, strip, smoke-test, bytecode, compatibility check, zip, report.", ""},
    subcommands = {BuildCommand.class, AuditCommand.class, PruneCommand.class, ActionCommand.class,
        ReleaseCommand.class, InstallCommand.class, StripCommand.class, SmokeCommand.class, ZipCommand.class,
        ReportCommand.class, CommandLine.HelpCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {"  0  within limits", "  1  a limit or budget exceeded (or an incompatible binary)",
        "  2  bad usage or input", "  3  a step failed (pip, or a smoke test that could not be healed)"})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. 'layerslim build --help'");
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(out, err, args));
  }

  /** Runs the CLI with {@code args}, printing to {@code out} and {@code err}; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine(out, err);
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, CommandLine.defaultFactory());
  }

  /**
   * With {@code factory} creating the commands: tests inject an {@link ActionCommand} with a simulated runner, a
   * {@link ReleaseCommand} with its own environment.
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, CommandLine.IFactory factory) {
    CommandLine cl = new CommandLine(new Main(), factory);
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(Main::shortUsageError);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      boolean trace = parseResult.expandedArgs().contains("--stacktrace");
      if (ex instanceof LayerslimException le) {
        commandLine.getErr().println("error: " + le.getMessage());
        if (trace) {
          le.printStackTrace(commandLine.getErr());
        }
        return le.exitCode();
      }
      commandLine.getErr().println("error: " + ex + (trace ? "" : " (run with --stacktrace for details)"));
      if (trace) {
        ex.printStackTrace(commandLine.getErr());
      }
      return LayerslimException.EXIT_STEP_FAILED;
    });
    return cl;
  }

  /**
   * A bad option prints one {@code error:} line, picocli's suggestions for a typo, and where the help is:
   * picocli's default would follow the message with the whole usage text, which buries it.
   */
  private static int shortUsageError(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("error: " + ex.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
    err.flush();
    return LayerslimException.EXIT_USAGE;
  }
}
