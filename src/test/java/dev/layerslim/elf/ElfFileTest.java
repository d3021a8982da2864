package dev.layerslim.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.testing.Wheels;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ElfFileTest {
  @TempDir Path dir;

  @Test
  void read_gccLibrary_matchesReadelf() throws Exception {
    Path so = ElfFixtures.debugLibrary(dir, "libdemo.so.1", "-lm", "-Wl,-soname,libdemo.so.1",
        "-Wl,-rpath,$ORIGIN/../demo.libs");
    ElfFile elf = ElfFile.read(so);

    assertEquals(64, elf.elfClass());
    assertFalse(elf.bigEndian());
    assertEquals(ElfFile.ET_DYN, elf.type());
    assertEquals(62, elf.machine());
    assertEquals("x86-64", elf.machineName());
    assertEquals(List.of("libm.so.6", "libc.so.6"), elf.needed());
    assertTrue(Wheels.run(List.of("readelf", "-dW", so.toString())).contains("Shared library: [libm.so.6]"));
    assertEquals("libdemo.so.1", elf.soname().orElseThrow());
    // Debian's ld writes DT_RUNPATH (new dtags); either way the $ORIGIN entry must come through
    List<String> paths = new ArrayList<>(elf.runpath());
    paths.addAll(elf.rpath());
    assertEquals(List.of("$ORIGIN/../demo.libs"), paths);
    assertTrue(elf.section(".debug_info").isPresent());
    assertTrue(elf.hasStrippableContent());

    // program headers agree with binutils: readelf -lW lists LOAD offset, vaddr, filesz, memsz
    String readelf = Wheels.run(List.of("readelf", "-lW", so.toString()));
    Matcher m = Pattern.compile("LOAD\\s+0x(\\p{XDigit}+)\\s+0x(\\p{XDigit}+)\\s+0x\\p{XDigit}+\\s+0x(\\p{XDigit}+)"
        + "\\s+0x(\\p{XDigit}+)").matcher(readelf);
    List<String> expected = new ArrayList<>();
    while (m.find()) {
      expected.add(Long.parseLong(m.group(1), 16) + "/" + Long.parseLong(m.group(2), 16) + "/"
          + Long.parseLong(m.group(3), 16) + "/" + Long.parseLong(m.group(4), 16));
    }
    List<String> actual = new ArrayList<>();
    for (ProgramHeader ph : elf.programHeaders()) {
      if (ph.type() == ProgramHeader.PT_LOAD) {
        actual.add(ph.offset() + "/" + ph.vaddr() + "/" + ph.filesz() + "/" + ph.memsz());
      }
    }
    assertFalse(expected.isEmpty());
    assertEquals(expected, actual);

    // the version needs agree with objdump -T's GLIBC_ references
    TreeSet<String> objdump = new TreeSet<>();
    Matcher v = Pattern.compile("\\(?(GLIBC_[0-9.]+)\\)?").matcher(Wheels.run(List.of("objdump", "-T", so.toString())));
    while (v.find()) {
      objdump.add(v.group(1));
    }
    TreeSet<String> ours = new TreeSet<>();
    elf.versionNeeds().forEach(vn -> ours.addAll(vn.versions()));
    assertEquals(objdump, ours);
    GlibcVersion max = objdump.stream().map(s -> GlibcVersion.fromVersionName(s).orElseThrow())
        .max(GlibcVersion::compareTo).orElseThrow();
    assertEquals(max, elf.maxGlibc().orElseThrow());
  }

  @Test
  void hasStrippableContent_falseAfterStrip() throws Exception {
    Path so = ElfFixtures.debugLibrary(dir, "libdemo.so");
    Path stripped = ElfFixtures.strippedCopy(so, dir.resolve("stripped.so"));
    ElfFile elf = ElfFile.read(stripped);
    assertFalse(elf.hasStrippableContent());
    assertTrue(elf.section(".symtab").isEmpty());
    assertEquals(ElfFile.read(so).needed(), elf.needed(), "strip keeps the dynamic section");
  }

  @ParameterizedTest
  @CsvSource({"false,false,3", "false,true,20", "true,false,183", "true,true,43"})
  void read_synthetic_anyClassAndByteOrder(boolean is64, boolean bigEndian, int machine) throws Exception {
    Path file = dir.resolve("libsyn.so");
    Files.write(file, SyntheticElf.build(is64, bigEndian, machine));
    ElfFile elf = ElfFile.read(file);
    assertEquals(is64 ? 64 : 32, elf.elfClass());
    assertEquals(bigEndian, elf.bigEndian());
    assertEquals(machine, elf.machine());
    assertEquals(List.of("libfoo.so.1", "libbar.so.2"), elf.needed());
    assertEquals("libsyn.so", elf.soname().orElseThrow());
    assertEquals(List.of("$ORIGIN/lib", "/opt/x"), elf.runpath());
    assertEquals(List.of(new VersionNeed("libfoo.so.1", List.of("GLIBC_2.17"))), elf.versionNeeds());
    assertEquals("2.17", elf.maxGlibc().orElseThrow().toString());
    assertTrue(elf.sectionHeaders().isEmpty());
    assertFalse(elf.hasStrippableContent());
    assertTrue(ElfValidator.validate(elf).isEmpty(), () -> ElfValidator.validate(elf).toString());
  }

  @Test
  void read_truncated_throwsElfFormatExceptionNamingTheFile() throws Exception {
    byte[] good = Files.readAllBytes(ElfFixtures.debugLibrary(dir, "libdemo.so"));
    for (int length : new int[] {0, 3, 10, 20, 63, 64, 200, good.length / 2, good.length - 1}) {
      Path cut = dir.resolve("cut-" + length + ".so");
      Files.write(cut, Arrays.copyOf(good, length));
      ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.read(cut), "length " + length);
      assertTrue(e.getMessage().startsWith(cut.toString() + ": "), e.getMessage());
    }
  }

  @Test
  void read_randomBytes_throwsElfFormatException() throws IOException {
    Random random = new Random(42);
    byte[] garbage = new byte[4096];
    random.nextBytes(garbage);
    Path file = dir.resolve("garbage.so");
    Files.write(file, garbage);
    ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.read(file));
    assertTrue(e.getMessage().contains("not an ELF file"), e.getMessage());

    // with the magic and a valid class and byte order, the rest garbage: a clear error all the same
    garbage[0] = 0x7f;
    garbage[1] = 'E';
    garbage[2] = 'L';
    garbage[3] = 'F';
    garbage[4] = 2;
    garbage[5] = 1;
    Files.write(file, garbage);
    assertThrows(ElfFormatException.class, () -> ElfFile.read(file));
  }

  /** The exceptions a reader throws when it indexes before checking; none may reach or cause a failure. */
  private static final List<Class<? extends Throwable>> UNCHECKED_READS = List.of(IndexOutOfBoundsException.class,
      BufferUnderflowException.class, IllegalArgumentException.class, NegativeArraySizeException.class,
      ArithmeticException.class);
  private static final long FIXED_SEED = 0x1a7e25L;
  private static final int ROUNDS_PER_SEED = 1000;

  /**
   * Mutated copies of real gcc objects (byte flips, truncations, header fields overwritten with edge
   * values): every read ends, within seconds, either with an ElfFile or with an ElfFormatException
   * that no index, underflow, argument or arithmetic exception caused. Runs the fixed seed and one
   * fresh seed, logged; {@code -Delf.fuzz.seed=N} replays a fresh seed.
   */
  @Test
  void read_mutatedRealObjects_failOnlyWithCheckedElfFormatExceptions() throws Exception {
    Path so = ElfFixtures.debugLibrary(dir, "libdemo.so", "-lm", "-Wl,-soname,libdemo.so",
        "-Wl,-rpath,$ORIGIN/../demo.libs");
    List<byte[]> originals = List.of(Files.readAllBytes(so),
        Files.readAllBytes(ElfFixtures.strippedCopy(so, dir.resolve("stripped.so"))));
    long fresh = Long.getLong("elf.fuzz.seed", System.nanoTime());
    System.out.println("ElfFileTest fuzz seeds: " + FIXED_SEED + " (fixed), " + fresh
        + " (fresh; replay with -Delf.fuzz.seed=" + fresh + ")");
    Path file = dir.resolve("fuzz.so");
    int read = 0;
    int rejected = 0;
    long slowestNanos = 0;
    String slowest = "";
    for (long seed : new long[] {FIXED_SEED, fresh}) {
      Random random = new Random(seed);
      for (int round = 0; round < ROUNDS_PER_SEED; round++) {
        byte[] original = originals.get(random.nextInt(originals.size()));
        StringBuilder how = new StringBuilder();
        byte[] bad = ElfMutator.mutate(original, random, how);
        Files.write(file, bad);
        String where = "seed " + seed + ", round " + round + " (" + how + ")";
        long start = System.nanoTime();
        Throwable thrown = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
          try {
            ElfFile.read(file);
            return null;
          } catch (Throwable t) {
            return t;
          }
        }, where);
        if (System.nanoTime() - start > slowestNanos) {
          slowestNanos = System.nanoTime() - start;
          slowest = where;
        }
        if (thrown == null) {
          read++;
          continue;
        }
        if (!(thrown instanceof ElfFormatException)) {
          throw new AssertionError(where + ": threw " + thrown, thrown);
        }
        for (Throwable t = thrown; t != null; t = t.getCause()) {
          for (Class<? extends Throwable> c : UNCHECKED_READS) {
            if (c.isInstance(t)) {
              throw new AssertionError(where + ": the reader relied on " + c.getSimpleName(), thrown);
            }
          }
        }
        assertTrue(thrown.getMessage().startsWith(file + ": "), where + ": " + thrown.getMessage());
        rejected++;
      }
    }
    System.out.println("ElfFileTest fuzz: " + read + " read, " + rejected + " rejected; slowest read "
        + slowestNanos / 1_000_000 + " ms: " + slowest);
    // both paths were exercised: the mutations are neither all harmless nor all fatal
    assertTrue(read > 0 && rejected > 0, read + " read, " + rejected + " rejected");
  }
}
