package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The same input built in two time zones gives the same layer.zip bytes. It changes the JVM's default
 * time zone, which every other test in the JVM would see: it runs alone.
 */
@Isolated("changes the JVM's default time zone")
class ZipAcrossTimeZonesTest {
  @TempDir Path tmp;

  @Test
  void build_twiceInDifferentTimeZones_givesByteIdenticalZip() throws Exception {
    Path site = BuildCommandTest.site(tmp.resolve("site"));
    TimeZone before = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
      Path a = tmp.resolve("a");
      assertEquals(0, CliRun.of("build", "--site-packages", site.toString(), "-o", a.toString(), "--no-smoke").exitCode());
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Chatham"));
      Path b = tmp.resolve("b");
      assertEquals(0, CliRun.of("build", "--site-packages", site.toString(), "-o", b.toString(), "--no-smoke",
          "--threads", "1").exitCode());
      assertArrayEquals(Files.readAllBytes(a.resolve("layer.zip")), Files.readAllBytes(b.resolve("layer.zip")));
    } finally {
      TimeZone.setDefault(before);
    }
  }
}
