package dev.layerslim.strip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.cli.CliRun;
import dev.layerslim.elf.ElfFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The strip step in {@code layerslim build}, on a tree built here and the real strip. */
class StripStepTest {
  @TempDir Path tmp;

  @Test
  void strip_sharedObjectTooShortToBeElf_warnsNamingIt() throws Exception {
    Path site = tmp.resolve("site");
    Path pkg = Files.createDirectories(site.resolve("pkg"));
    Files.writeString(pkg.resolve("__init__.py"), "X = 1\n");
    Files.write(pkg.resolve("libx.so"), new byte[0]);
    Files.writeString(pkg.resolve("libshort.so.1"), "not an ELF\n");
    Files.writeString(pkg.resolve("notes.txt"), ""); // short, but no shared object by name
    ElfFixtures.debugLibrary(pkg, "libreal.so");
    Files.delete(pkg.resolve("libreal.so.c"));

    CliRun run = CliRun.of("build", "--site-packages", site.toString(), "-o", tmp.resolve("out").toString(),
        "--no-smoke");

    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.all().contains("pkg/libx.so is 0 bytes, too short to be a shared object: it will not load"),
        run.all());
    assertTrue(run.all().contains("pkg/libshort.so.1 is 11 bytes, too short to be a shared object: it will not load"),
        run.all());
    assertFalse(run.all().contains("notes.txt"), run.all());
    assertFalse(run.all().contains("libreal.so is"), run.all());
    assertTrue(run.all().contains("1 of 1 objects stripped"), run.all());
  }
}
