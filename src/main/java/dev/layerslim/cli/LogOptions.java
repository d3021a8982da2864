package dev.layerslim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --verbose} and {@code --stacktrace}, for the commands that run pipeline steps. */
final class LogOptions {
  @Option(names = {"-v", "--verbose"}, description = "more detail: debug lines, and every file a plan removes")
  boolean verbose;

  /** Read by Main's error handler from the arguments; declared so picocli accepts it. */
  @Option(names = "--stacktrace", description = "print stack traces of errors")
  boolean stacktrace;

  /** Events for people, on the command's own streams. */
  ConsoleRenderer console(CommandLine.Model.CommandSpec spec) {
    return new ConsoleRenderer(spec.commandLine().getOut(), spec.commandLine().getErr(),
        ConsoleRenderer.isInteractive(), verbose);
  }
}
