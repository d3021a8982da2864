package dev.layerslim.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process with both streams captured. */
public record CliRun(int exitCode, String out, String err) {

  public static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /**
   * Runs {@code layerslim action} in-process with {@code command} standing for the action (its environment,
   * process runner and retry policy are the test's).
   */
  public static CliRun action(ActionCommand command) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine.IFactory factory = new picocli.CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        return cls == ActionCommand.class ? cls.cast(command) : picocli.CommandLine.defaultFactory().create(cls);
      }
    };
    int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), factory).execute("action");
    return new CliRun(code, out.toString(), err.toString());
  }

  /** Both streams, for assertion messages. */
  public String all() {
    return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
  }
}
