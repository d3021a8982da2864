package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerslim.github.CommentContext;
import dev.layerslim.github.CommentRenderer;
import dev.layerslim.testing.Wheels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --glibc} above the runtime's own builds a layer for a custom image: the console, report.md
 * and the comment say it will not load on AWS's runtime of that name.
 */
class CustomGlibcTest {
  @TempDir Path dir;

  @Test
  void glibcAboveTheRuntimes_isSaidOnTheConsole_inReportMd_andInTheComment() throws Exception {
    Wheels.wheel("alpha", "1.0").file("alpha/__init__.py", "X = 1\n").build(dir.resolve("w"));
    Wheels.pipInstall(dir.resolve("site"), dir.resolve("w"), "alpha");
    CliRun run = CliRun.of("build", "--site-packages", dir.resolve("site").toString(), "--no-smoke", "--no-strip",
        "--glibc", "2.28", "-o", dir.resolve("out").toString());
    assertEquals(0, run.exitCode(), run.all());
    String warning = "will not load on AWS's python3.11 runtime";
    assertTrue(run.out().lines().anyMatch(l -> l.startsWith("OK: within limits") && l.contains(warning)), run.all());
    assertTrue(Files.readString(dir.resolve("out/report.md")).contains("this layer is for a custom image and "
        + warning), Files.readString(dir.resolve("out/report.md")));
    String comment = CommentRenderer.render(dev.layerslim.reportfile.ReportJson.read(dir.resolve("out/report.json")),
        CommentContext.cli("k", "layer"));
    assertTrue(comment.contains(warning), comment);
  }
}
