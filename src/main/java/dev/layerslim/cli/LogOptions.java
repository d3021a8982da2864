package dev.layerslim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --verbose}, for the commands that run pipeline steps ({@code --stacktrace} every command inherits from {@link Main}). */
final class LogOptions {
  @Option(names = {"-v", "--verbose"}, description = "more detail: debug lines, and every file a plan removes")
  boolean verbose;

  /** Events for people, on the command's own streams. */
  ConsoleRenderer console(CommandLine.Model.CommandSpec spec) {
    return new ConsoleRenderer(spec.commandLine().getOut(), spec.commandLine().getErr(),
        ConsoleRenderer.isInteractive(), verbose);
  }
}
