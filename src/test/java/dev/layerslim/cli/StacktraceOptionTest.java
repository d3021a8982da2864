package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --stacktrace}: declared once on the top command, inherited by every command, read from the parse. */
class StacktraceOptionTest {
  @TempDir Path tmp;

  private static final List<String> COMMANDS_BEFORE =
      List.of("build", "audit", "prune", "install", "strip", "smoke", "zip", "report", "release");

  @Test
  void everyCommandThatHadTheOption_stillListsItOnce() {
    CommandLine cl = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        CommandLine.defaultFactory());
    for (String name : COMMANDS_BEFORE) {
      CommandLine sub = cl.getSubcommands().get(name);
      assertNotNull(sub.getCommandSpec().findOption("--stacktrace"), name);
      CliRun help = CliRun.of(name, "--help");
      assertEquals(1, help.out().lines().filter(l -> l.contains("--stacktrace") && l.contains("print stack traces"))
          .count(), help.all());
    }
  }

  @Test
  void usageError_printsTheTraceOnlyWithTheOption_afterOrBeforeTheCommandName() {
    String missing = tmp.resolve("no-such-site-packages").toString();
    String out = tmp.resolve("out").toString();
    CliRun plain = CliRun.of("build", "--site-packages", missing, "-o", out);
    CliRun after = CliRun.of("build", "--stacktrace", "--site-packages", missing, "-o", out);
    CliRun before = CliRun.of("--stacktrace", "build", "--site-packages", missing, "-o", out);

    assertEquals(2, plain.exitCode(), plain.all());
    assertFalse(plain.err().contains("\tat "), plain.all());
    for (CliRun traced : List.of(after, before)) {
      assertEquals(2, traced.exitCode(), traced.all());
      assertTrue(traced.err().startsWith(plain.err().lines().findFirst().orElseThrow()), traced.all());
      assertTrue(traced.err().contains("LayerslimException") && traced.err().contains("\tat dev.layerslim."),
          traced.all());
    }
  }

  @Test
  void internalError_printsOneLine_andTheCauseWithTheOption() {
    CliRun plain = release(() -> new IllegalStateException("boom"), "--tag", "v1", "--asset", "x.zip");
    CliRun traced = release(() -> new IllegalStateException("boom"), "--stacktrace", "--tag", "v1", "--asset", "x.zip");

    assertEquals(4, plain.exitCode(), plain.all());
    assertEquals(1, plain.err().lines().count(), plain.all());
    assertTrue(plain.err().startsWith("error: internal error"), plain.all());
    assertEquals(4, traced.exitCode(), traced.all());
    assertTrue(traced.err().contains("java.lang.IllegalStateException: boom") && traced.err().contains("\tat "),
        traced.all());
  }

  @Test
  void errorOutsidePicocli_printsItsTraceOnlyWithTheOption() {
    CliRun plain = release(() -> new StackOverflowError("deep"), "--tag", "v1", "--asset", "x.zip");
    CliRun traced = release(() -> new StackOverflowError("deep"), "--tag", "v1", "--asset", "x.zip", "--stacktrace");

    assertEquals(4, plain.exitCode(), plain.all());
    assertFalse(plain.err().contains("\tat "), plain.all());
    assertEquals(4, traced.exitCode(), traced.all());
    assertTrue(traced.err().contains("java.lang.StackOverflowError: deep") && traced.err().contains("\tat "),
        traced.all());
  }

  /** Runs {@code layerslim release ARGS} whose environment throws {@code failure} when read. */
  private static CliRun release(Supplier<Throwable> failure, String... args) {
    Map<String, String> env = new AbstractMap<>() {
      @Override
      public Set<Entry<String, String>> entrySet() {
        return Set.of();
      }

      @Override
      public String get(Object key) {
        Throwable t = failure.get();
        if (t instanceof Error e) {
          throw e;
        }
        throw (RuntimeException) t;
      }
    };
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        return cls == ReleaseCommand.class ? cls.cast(new ReleaseCommand(env)) : CommandLine.defaultFactory().create(cls);
      }
    };
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new java.util.ArrayList<>(List.of("release"));
    all.addAll(List.of(args));
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), factory, all.toArray(String[]::new));
    return new CliRun(code, out.toString(), err.toString());
  }
}
