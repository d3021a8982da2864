package dev.layerslim.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

/**
 * Damages a copy of a real ELF64 little-endian object the ways a fuzzer finds bugs in a table
 * reader: random byte flips, a truncation, and fields of the header, program headers, section
 * headers, dynamic entries and version needs overwritten with edge values (0, all ones, the file's
 * length, 2^63, …). Tables are located in the undamaged original, so the mutator itself never fails.
 */
final class ElfMutator {
  private ElfMutator() {}

  private static final int[][] HEADER_FIELDS = {
      {4, 1}, {5, 1}, {16, 2}, {18, 2}, {24, 8}, {32, 8}, {40, 8}, {52, 2}, {54, 2}, {56, 2}, {58, 2}, {60, 2},
      {62, 2}};
  private static final int[][] SEGMENT_FIELDS = {{0, 4}, {4, 4}, {8, 8}, {16, 8}, {32, 8}, {40, 8}, {48, 8}};
  private static final int[][] SECTION_FIELDS = {{0, 4}, {4, 4}, {24, 8}, {32, 8}, {40, 4}, {44, 4}, {56, 8}};

  /** A damaged copy of {@code original}; {@code how} is told what was done, to reproduce a failure by reading it. */
  static byte[] mutate(byte[] original, Random r, StringBuilder how) {
    ByteBuffer o = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer b = ByteBuffer.wrap(original.clone()).order(ByteOrder.LITTLE_ENDIAN);
    int phoff = (int) o.getLong(32);
    int phnum = Short.toUnsignedInt(o.getShort(56));
    int shoff = (int) o.getLong(40);
    int shnum = Short.toUnsignedInt(o.getShort(60));
    int dynOff = -1;
    int dynSize = 0;
    for (int i = 0; i < phnum; i++) {
      if (o.getInt(phoff + i * 56) == ProgramHeader.PT_DYNAMIC) {
        dynOff = (int) o.getLong(phoff + i * 56 + 8);
        dynSize = (int) o.getLong(phoff + i * 56 + 32);
      }
    }
    int verOff = -1;
    int verSize = 0;
    for (int i = 0; i < shnum; i++) {
      if (o.getInt(shoff + i * 64 + 4) == SectionHeader.SHT_GNU_VERNEED) {
        verOff = (int) o.getLong(shoff + i * 64 + 24);
        verSize = (int) o.getLong(shoff + i * 64 + 32);
      }
    }
    int changes = 1 + r.nextInt(3);
    for (int k = 0; k < changes; k++) {
      switch (r.nextInt(6)) {
        case 0: {
          int flips = 1 + r.nextInt(8);
          how.append("flip ").append(flips).append(" bytes; ");
          for (int f = 0; f < flips; f++) {
            b.put(r.nextInt(original.length), (byte) r.nextInt(256));
          }
          break;
        }
        case 1:
          if (r.nextInt(4) == 0) {
            // extended numbering: a count or index escapes to section header 0, whose field is then damaged
            int[][] escapes = {{60, 0}, {56, 0xffff}, {62, 0xffff}};
            int[] e = escapes[r.nextInt(escapes.length)];
            b.putShort(e[0], (short) e[1]);
            how.append("header @").append(e[0]).append(" = 0x").append(Integer.toHexString(e[1])).append("; ");
            overwrite(b, r, shoff, new int[][] {{32, 8}, {40, 4}, {44, 4}}, "section header 0", how);
          } else {
            overwrite(b, r, 0, HEADER_FIELDS, "header", how);
          }
          break;
        case 2:
          overwrite(b, r, phoff + r.nextInt(phnum) * 56, SEGMENT_FIELDS, "program header", how);
          break;
        case 3:
          overwrite(b, r, shoff + r.nextInt(shnum) * 64, SECTION_FIELDS, "section header", how);
          break;
        case 4:
          if (dynOff >= 0) {
            overwrite(b, r, dynOff + r.nextInt(dynSize / 16) * 16, new int[][] {{0, 8}, {8, 8}}, "dynamic entry", how);
          }
          break;
        default:
          if (verOff >= 0) {
            overwrite(b, r, verOff + r.nextInt(verSize / 4) * 4, new int[][] {{0, 2}, {2, 2}, {0, 4}},
                "version need word", how);
          }
          break;
      }
    }
    byte[] out = b.array();
    if (r.nextInt(8) == 0) {
      int length = r.nextInt(out.length);
      how.append("truncate to ").append(length).append(" bytes");
      out = Arrays.copyOf(out, length);
    }
    return out;
  }

  private static void overwrite(ByteBuffer b, Random r, int at, int[][] fields, String what, StringBuilder how) {
    int[] field = fields[r.nextInt(fields.length)];
    int width = field[1];
    long value = edgeValue(r, width, b.capacity());
    how.append(what).append(" @").append(at).append('+').append(field[0]).append(" = 0x")
        .append(Long.toHexString(value)).append("; ");
    int pos = at + field[0];
    for (int i = 0; i < width; i++) {
      b.put(pos + i, (byte) (value >>> (8 * i)));
    }
  }

  private static long edgeValue(Random r, int width, long fileLength) {
    long mask = width == 8 ? -1L : (1L << (8 * width)) - 1;
    long[] edges = {0, 1, 2, 16, 64, 0xffff, 0xffffffffL, Long.MAX_VALUE, Long.MIN_VALUE, -1, fileLength - 1,
        fileLength, fileLength + 1, fileLength - 16, 1L << 31, r.nextLong()};
    return edges[r.nextInt(edges.length)] & mask;
  }
}
