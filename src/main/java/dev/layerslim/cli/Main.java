package dev.layerslim.cli;

import dev.layerslim.error.LayerslimException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code layerslim} command. {@link #run} is what tests call, with both streams captured;
 * {@link #main} exits with its code: 0 within limits, 1 a limit exceeded, 2 bad usage or input,
 * 3 a step failed for an outside reason, 4 an internal error. Nothing else leaves the process: any
 * {@link Throwable}, {@link OutOfMemoryError} included, ends as one line and exit 4.
 */
@Command(name = "layerslim", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Builds AWS Lambda Python layers that fit, safely, and gates pull requests on their size.",
        "One build: install, audit, prune, strip, smoke-test, bytecode, compatibility check, zip, report.", ""},
    subcommands = {BuildCommand.class, AuditCommand.class, PruneCommand.class, ActionCommand.class,
        ReleaseCommand.class, InstallCommand.class, StripCommand.class, SmokeCommand.class, ZipCommand.class,
        ReportCommand.class, CommandLine.HelpCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {"  0  within limits", "  1  a limit or budget exceeded (or an incompatible binary)",
        "  2  bad usage or input", "  3  a step failed for an outside reason (pip, a broken wheel, a smoke test that"
        + " could not be healed)", "  4  an internal error (a bug in layerslim: run with --stacktrace and report it)"})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Declared once, here; every command inherits it, before or after its name. The error handlers read it. */
  @CommandLine.Option(names = "--stacktrace", scope = CommandLine.ScopeType.INHERIT,
      description = "print stack traces of errors")
  boolean stacktrace;

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
    return run(out, err, CommandLine.defaultFactory(), args);
  }

  /** As {@link #run(PrintWriter, PrintWriter, String...)}, with {@code factory} creating the commands (tests). */
  static int run(PrintWriter out, PrintWriter err, CommandLine.IFactory factory, String... args) {
    PrintWriter safeOut = CommandSafeWriter.guard(out);
    PrintWriter safeErr = CommandSafeWriter.guard(err);
    int code;
    CommandLine cl = null;
    try {
      cl = commandLine(safeOut, safeErr, factory);
      code = cl.execute(args);
    } catch (Throwable t) {
      // picocli hands on what is not an Exception (OutOfMemoryError, StackOverflowError)
      code = internalError(safeErr, LayerslimException.internal("layerslim", t), cl != null && stacktrace(cl));
    }
    // closing the guards writes a last line printed without its end; out and err stay open
    safeOut.close();
    safeErr.close();
    out.flush();
    err.flush();
    return code;
  }

  /**
   * With {@code factory} creating the commands: tests inject an {@link ActionCommand} with a simulated runner, a
   * {@link ReleaseCommand} with its own environment.
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, CommandLine.IFactory factory) {
    Main main = new Main();
    CommandLine cl = new CommandLine(main, factory);
    // whatever a command prints, no line of it is taken for a workflow command in a GitHub Actions job
    cl.setOut(CommandSafeWriter.guard(out));
    cl.setErr(CommandSafeWriter.guard(err));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    CommandLine action = cl.getSubcommands().get("action");
    if (action != null) {
      // the action's settings are its inputs, not flags: its help lists them
      var usage = action.getCommandSpec().usageMessage();
      List<String> footer = new java.util.ArrayList<>(ActionCommand.inputsHelp());
      footer.addAll(List.of(usage.footer()));
      usage.footer(footer.toArray(String[]::new));
    }
    cl.setParameterExceptionHandler(Main::shortUsageError);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      boolean trace = main.stacktrace;
      if (ex instanceof LayerslimException le) {
        commandLine.getErr().println("error: " + le.getMessage());
        if (trace) {
          le.printStackTrace(commandLine.getErr());
        }
        return le.exitCode();
      }
      if (ex instanceof java.io.IOException || ex instanceof java.io.UncheckedIOException) {
        // an I/O failure outside the pipeline's steps: the machine's, not a bug
        commandLine.getErr().println("error: " + ex + (trace ? "" : " (run with --stacktrace for details)"));
        if (trace) {
          ex.printStackTrace(commandLine.getErr());
        }
        return LayerslimException.EXIT_STEP_FAILED;
      }
      return internalError(commandLine.getErr(), LayerslimException.internal(commandLine.getCommandName(), ex), trace);
    });
    return cl;
  }

  /** Whether {@code --stacktrace} was given to {@code cl}, built by {@link #commandLine}, or to its command. */
  private static boolean stacktrace(CommandLine cl) {
    return cl.getCommand() instanceof Main m && m.stacktrace;
  }

  /** One {@code error: internal error …} line (the trace with {@code --stacktrace}); exit 4. */
  private static int internalError(PrintWriter err, LayerslimException e, boolean trace) {
    try {
      err.println("error: " + e.getMessage());
      if (trace) {
        e.getCause().printStackTrace(err);
      }
      err.flush();
    } catch (Throwable ignored) {
      // printing may fail too when memory is gone: the exit code still says what happened
    }
    return LayerslimException.EXIT_INTERNAL;
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
