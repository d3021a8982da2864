package dev.layerslim.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.testing.Wheels;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ELF object whose dlopen kills the smoke process is named, not lost. */
class ImportProbeCrashTest {
  @TempDir Path tmp;

  /** A real shared object, large enough that cutting it leaves its writable segment past the end. */
  private Path sharedObject(Path dir, String name) throws Exception {
    Path c = tmp.resolve(name + ".c");
    Files.writeString(c, "static const char pad[200000] = {1};\nint value(void) { return pad[0]; }\n"
        + "int (*ptrs[4096])(void) = { value };\n");
    Path so = dir.resolve(name);
    Wheels.run(List.of("gcc", "-shared", "-fPIC", "-o", so.toString(), c.toString()));
    return so;
  }

  /** Cut to 128 KiB: the headers survive, the segment holding .dynamic does not, and the loader faults. */
  private static void truncate(Path so) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(so.toFile(), "rw")) {
      assertTrue(f.length() > 200_000, "the object is too small to truncate meaningfully: " + f.length());
      f.setLength(128 * 1024);
    }
  }

  @Test
  void aTruncatedObjectThatKillsTheLoader_isNamedAsFailed_andTheRestAreStillLoaded() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("layer/python"));
    Path pkg = Files.createDirectories(root.resolve("pkg"));
    sharedObject(pkg, "a_good.so");
    truncate(sharedObject(pkg, "b_truncated.so"));
    sharedObject(pkg, "c_good.so");
    Files.writeString(pkg.resolve("d_not_elf.so"), "not an ELF object\n");
    truncate(sharedObject(pkg, "e_truncated.so"));
    sharedObject(pkg, "f_good.so");
    List<String> elf = List.of("pkg/a_good.so", "pkg/b_truncated.so", "pkg/c_good.so", "pkg/d_not_elf.so",
        "pkg/e_truncated.so", "pkg/f_good.so");
    ImportProbe.Spec spec = new ImportProbe.Spec(Wheels.python3(), root, "lib/python3.11/site-packages", List.of(),
        List.of("json"), null, null, elf, Duration.ofSeconds(60), tmp.resolve("work"));

    ImportProbe.Result r = ImportProbe.run(new SystemProcessRunner(), spec);

    assertTrue(r.passed(), r.failures().toString());
    assertEquals(List.of("json"), r.imports());
    assertEquals(6, r.dlopenChecked());
    assertEquals(Set.of("pkg/b_truncated.so", "pkg/d_not_elf.so", "pkg/e_truncated.so"), r.dlopenFailed().keySet());
    String crash = r.dlopenFailed().get("pkg/b_truncated.so");
    assertTrue(crash.contains("killed the process") && crash.contains("exit 1"), crash);
    assertTrue(crash.contains("SIGBUS") || crash.contains("SIGSEGV"), crash);
    assertTrue(r.dlopenFailed().get("pkg/d_not_elf.so").startsWith("OSError"), r.dlopenFailed().toString());
    for (String ok : List.of("pkg/a_good.so", "pkg/c_good.so", "pkg/f_good.so")) {
      assertTrue(r.dlopenTried().contains(ok) && !r.dlopenFailed().containsKey(ok), ok + " in " + r);
    }
  }
}
