package dev.layerslim.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables whose headers claim hundreds of megabytes: the reader must not allocate what they claim.
 * The files are sparse, so a 200 MiB table costs no disk.
 */
class ElfFileBoundsTest {
  private static final long HUGE = 200L << 20;
  /** Far above what the reader needs for the synthetic object's tables, far below one huge table. */
  private static final long ALLOCATION_BUDGET = 4L << 20;

  @TempDir Path dir;

  /** Offsets in {@link SyntheticElf#build}'s ELF64 little-endian output. */
  private static final int E_SHOFF = 40;
  private static final int E_SHENTSIZE = 58;
  private static final int LOAD_FILESZ = 64 + 32;
  private static final int DYNAMIC_OFFSET = 64 + 56 + 8;
  private static final int DYNAMIC_FILESZ = 64 + 56 + 32;

  private static ByteBuffer synthetic() {
    byte[] b = SyntheticElf.build(true, false, 62);
    return ByteBuffer.wrap(Arrays.copyOf(b, 4096)).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Where the value of the synthetic object's dynamic entry {@code tag} is (its one PT_LOAD maps address = offset). */
  private static int dynamicValue(ByteBuffer b, long tag) {
    for (int at = (int) b.getLong(DYNAMIC_OFFSET); ; at += 16) {
      if (b.getLong(at) == tag) {
        return at + 8;
      }
      if (b.getLong(at) == 0) {
        throw new IllegalStateException("no tag " + tag);
      }
    }
  }

  private static Path write(Path file, ByteBuffer head, long length) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.write(head.array());
      raf.setLength(length);
    }
    return file;
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  @Test
  void read_tablesClaiming200MiB_readsOnlyWhatItUses() throws Exception {
    ByteBuffer b = synthetic();
    // the one PT_LOAD, PT_DYNAMIC and DT_STRSZ all run to the end of a 200 MiB file
    b.putLong(LOAD_FILESZ, HUGE).putLong(LOAD_FILESZ + 8, HUGE);
    long dynOff = b.getLong(DYNAMIC_OFFSET);
    b.putLong(DYNAMIC_FILESZ, HUGE - dynOff).putLong(DYNAMIC_FILESZ + 8, HUGE - dynOff);
    int strtab = dynamicValue(b, 5);
    b.putLong(dynamicValue(b, 10), HUGE - b.getLong(strtab));
    // and a section name table (section 1) of 199 MiB, holding ".shstrtab" at index 1
    long names = 1L << 20;
    b.putLong(E_SHOFF, 2048).putShort(E_SHENTSIZE, (short) 64).putShort(E_SHENTSIZE + 2, (short) 2)
        .putShort(E_SHENTSIZE + 4, (short) 1);
    b.putInt(2048 + 64, 1).putInt(2048 + 64 + 4, SectionHeader.SHT_STRTAB).putLong(2048 + 64 + 24, names)
        .putLong(2048 + 64 + 32, HUGE - names);
    Path file = write(dir.resolve("libhuge.so"), b, HUGE);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(names + 1);
      raf.write(".shstrtab\0".getBytes(StandardCharsets.US_ASCII));
    }

    long[] allocated = new long[1];
    ElfFile elf = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      long before = allocatedBytes();
      ElfFile read = ElfFile.read(file);
      allocated[0] = allocatedBytes() - before;
      return read;
    });

    assertEquals(List.of("libfoo.so.1", "libbar.so.2"), elf.needed());
    assertEquals("libsyn.so", elf.soname().orElseThrow());
    assertEquals(HUGE - names, elf.section(".shstrtab").orElseThrow().size());
    assertTrue(allocated[0] < ALLOCATION_BUDGET, "reading allocated " + allocated[0] + " bytes");
  }

  @Test
  void read_stringWithoutNulLongerThanTheCap_rejectedNamingTheTable() throws Exception {
    ByteBuffer b = synthetic();
    int end = SyntheticElf.build(true, false, 62).length;
    long length = end + (100L << 10);
    byte[] head = Arrays.copyOf(b.array(), (int) length);
    Arrays.fill(head, end, head.length, (byte) 'x');
    b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(LOAD_FILESZ, length).putLong(LOAD_FILESZ + 8, length);
    long strOff = b.getLong(dynamicValue(b, 5));
    b.putLong(dynamicValue(b, 10), length - strOff);
    b.putLong(dynamicValue(b, 14), end - strOff); // DT_SONAME: the first 'x'
    Path file = Files.write(dir.resolve("libnonul.so"), head);

    ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.read(file));
    assertTrue(e.getMessage().startsWith(file + ": DT_SONAME string at index " + (end - strOff)
        + " in the dynamic string table has no NUL within 65536 bytes"), e.getMessage());
  }

  @Test
  void read_extendedSectionCountOf400000_rejectedBeforeReadingThem() throws Exception {
    ByteBuffer b = synthetic();
    // e_shnum 0: the count is section 0's sh_size (gABI extended numbering)
    b.putLong(E_SHOFF, 2048).putShort(E_SHENTSIZE, (short) 64).putShort(E_SHENTSIZE + 2, (short) 0);
    b.putLong(2048 + 32, 400_000);
    Path file = write(dir.resolve("libmany.so"), b, 2048 + 400_000L * 64);

    ElfFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertThrows(ElfFormatException.class, () -> ElfFile.read(file)));
    assertEquals(file + ": section count 400000 is implausible", e.getMessage());
  }
}
