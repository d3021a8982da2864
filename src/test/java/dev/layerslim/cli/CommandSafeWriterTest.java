package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No line the CLI prints is a workflow command, whatever data it holds and however it is written. */
class CommandSafeWriterTest {
  @TempDir Path dir;

  /** True when the runner would take {@code line} for a command (after leading blanks, or ##[ anywhere). */
  static boolean isCommand(String line) {
    return line.strip().startsWith("::") || line.contains("##[");
  }

  @Test
  void dataWithALineBreakAndACommand_isPrintedAsText() {
    StringWriter raw = new StringWriter();
    PrintWriter out = CommandSafeWriter.guard(new PrintWriter(raw));
    out.println("error: --baseline x\n::error::pwned\n  ::add-mask::abc\r::stop-commands::t");
    out.print("a ##[error]legacy");
    out.println();
    // written in pieces, flushed between them: the start of a line is held until it is decided
    out.print(" :");
    out.flush();
    out.print(":warning::split");
    out.flush();
    out.print("#");
    out.flush();
    out.println("#[group]x");
    out.close();
    String text = raw.toString();
    assertTrue(text.lines().noneMatch(CommandSafeWriterTest::isCommand), text);
    assertTrue(text.contains("%3A:error::pwned"), text);
    assertEquals(6, text.split("\\R").length, text);
  }

  @Test
  void plainText_isUnchanged_andAPartialLastLineIsWritten() {
    StringWriter raw = new StringWriter();
    PrintWriter out = CommandSafeWriter.guard(new PrintWriter(raw));
    out.println("==> Installing: a::b and C:: and https://x");
    out.print("    progress 3/4");
    out.flush();
    out.print(" more");
    out.close();
    assertEquals("==> Installing: a::b and C:: and https://x" + System.lineSeparator() + "    progress 3/4 more",
        raw.toString());
  }

  /** Through the CLI: a --baseline path holding a line break and a command is named in the error as text. */
  @Test
  void anErrorNamingDataWithACommand_printsNoCommand() throws Exception {
    Files.createDirectories(dir.resolve("site"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), "build", "--site-packages",
        dir.resolve("site").toString(), "-o", dir.resolve("out").toString(), "--baseline",
        dir.resolve("x\n::error::pwned.json").toString());
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("pwned.json: no such file"), err.toString());
    assertTrue((out + "\n" + err).lines().noneMatch(CommandSafeWriterTest::isCommand), err.toString());
  }
}
