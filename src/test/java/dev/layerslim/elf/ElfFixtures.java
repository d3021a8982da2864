package dev.layerslim.elf;

import dev.layerslim.testing.Wheels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test fixtures: real shared libraries from gcc, and surgery on their program headers. */
public final class ElfFixtures {
  private ElfFixtures() {}

  /** A small shared library built with {@code gcc -g}: debug sections and a symbol table to strip. */
  public static Path debugLibrary(Path dir, String fileName, String... extraArgs) throws IOException {
    return Wheels.compileSharedLibrary(dir, fileName,
        "#include <math.h>\n#include <stdlib.h>\n#include <string.h>\n"
            + "static int table[64];\n"
            + "double layerslim_demo(double x) { table[(int) x & 63]++; return sqrt(x) + strlen(getenv(\"HOME\")); }\n",
        extraArgs);
  }

  /** A copy of {@code so} stripped by the real binutils strip. */
  public static Path strippedCopy(Path so, Path dest) throws IOException {
    Wheels.run(List.of("strip", "--strip-unneeded", "-o", dest.toString(), so.toString()));
    return dest;
  }

  /** The ELF64 little-endian program headers' file offsets: index → offset of the entry. */
  private static int phEntry(ByteBuffer b, int index) {
    long phoff = b.getLong(32);
    int phentsize = Short.toUnsignedInt(b.getShort(54));
    return (int) (phoff + (long) index * phentsize);
  }

  /**
   * Rewrites, in place, the p_offset of the first PT_LOAD that does not start at offset 0, moving it
   * 8 bytes down: p_offset and p_vaddr then disagree modulo p_align, as after a bad strip.
   */
  public static void misalignLoadSegment(Path so) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(so)).order(ByteOrder.LITTLE_ENDIAN);
    int phnum = Short.toUnsignedInt(b.getShort(56));
    for (int i = 0; i < phnum; i++) {
      int e = phEntry(b, i);
      if (b.getInt(e) == ProgramHeader.PT_LOAD && b.getLong(e + 8) >= 16) {
        b.putLong(e + 8, b.getLong(e + 8) - 8);
        Files.write(so, b.array());
        return;
      }
    }
    throw new IllegalStateException("no PT_LOAD with a non-zero offset in " + so);
  }

  /** Moves the PT_DYNAMIC segment's p_offset into the last bytes of the file, outside every PT_LOAD. */
  public static void moveDynamicOutOfLoad(Path so) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(so)).order(ByteOrder.LITTLE_ENDIAN);
    int phnum = Short.toUnsignedInt(b.getShort(56));
    for (int i = 0; i < phnum; i++) {
      int e = phEntry(b, i);
      if (b.getInt(e) == ProgramHeader.PT_DYNAMIC) {
        long filesz = b.getLong(e + 32);
        b.putLong(e + 8, b.capacity() - filesz - 1);
        Files.write(so, b.array());
        return;
      }
    }
    throw new IllegalStateException("no PT_DYNAMIC in " + so);
  }

  /** Rewrites e_machine in place (183 = AArch64). */
  public static void setMachine(Path so, int machine) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(so)).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort(18, (short) machine);
    Files.write(so, b.array());
  }
}
