package dev.layerslim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --verbose} and {@code --stacktrace}, for the commands that run pipeline steps. */
final class LogOptions {
  @Option(names = {"-v", "--verbose"}, description = "more detail: debug lines, and every file a plan removes")
  boolean verbose;

  @CommandLine.Mixin Options.Stacktrace stacktrace = new Options.Stacktrace();

  /** Events for people, on the command's own streams. */
  ConsoleRenderer console(CommandLine.Model.CommandSpec spec) {
    return new ConsoleRenderer(spec.commandLine().getOut(), spec.commandLine().getErr(),
        ConsoleRenderer.isInteractive(), verbose);
  }
}
