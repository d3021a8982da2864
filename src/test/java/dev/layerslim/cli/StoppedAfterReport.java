package dev.layerslim.cli;

import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.BytecodeMode;
import dev.layerslim.pipeline.EventSink;
import dev.layerslim.python.SystemProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A build that stops right after its report step, for {@link OutputFolderEndingTest} to signal: a
 * process of its own, since a test cannot send SIGTERM to the JVM running it. Arguments: the site,
 * the output folder, and a file to create once the report is written.
 */
public final class StoppedAfterReport {
  private StoppedAfterReport() {}

  public static void main(String[] args) throws Exception {
    Path site = Path.of(args[0]);
    Path out = Path.of(args[1]);
    Path ready = Path.of(args[2]);
    BuildOptions options = BuildOptions.builder().sitePackages(site).output(out).smoke(false).strip(false)
        .bytecode(BytecodeMode.NONE).build();
    BuildRunner.run(options, p -> {
      Workflows.Built built = Workflows.build(p);
      try {
        Files.writeString(ready, "report written\n");
        Thread.sleep(120_000); // the moment between the report step and the folder's completion, held open
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return built;
    }, EventSink.NONE, new SystemProcessRunner());
  }
}
