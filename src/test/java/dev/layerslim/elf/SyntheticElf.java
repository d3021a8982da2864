package dev.layerslim.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a minimal, well-formed ELF shared object of any class and byte order (no compiler here
 * targets ELF32 or big endian): a header, one PT_LOAD over the whole file, a PT_DYNAMIC with
 * DT_NEEDED libfoo.so.1 and libbar.so.2, DT_SONAME libsyn.so, DT_RUNPATH {@code $ORIGIN/lib:/opt/x},
 * and one version need: GLIBC_2.17 from libfoo.so.1.
 */
final class SyntheticElf {
  private SyntheticElf() {}

  static byte[] build(boolean is64, boolean bigEndian, int machine) {
    int word = is64 ? 8 : 4;
    int ehsize = is64 ? 64 : 52;
    int phentsize = is64 ? 56 : 32;
    String strings = "\0libfoo.so.1\0libbar.so.2\0libsyn.so\0$ORIGIN/lib:/opt/x\0GLIBC_2.17\0";
    byte[] str = strings.getBytes(StandardCharsets.US_ASCII);
    int foo = strings.indexOf("libfoo");
    int bar = strings.indexOf("libbar");
    int syn = strings.indexOf("libsyn");
    int run = strings.indexOf("$ORIGIN");
    int glibc = strings.indexOf("GLIBC");

    int phoff = ehsize;
    int strOff = phoff + 2 * phentsize;
    int verOff = (strOff + str.length + 7) & ~7;
    int dynOff = verOff + 32;
    long[][] dyn = {
        {1, foo}, {1, bar}, {14, syn}, {29, run}, {5, strOff}, {10, str.length},
        {0x6ffffffeL, verOff}, {0x6fffffffL, 1}, {0, 0}};
    int dynSize = dyn.length * 2 * word;
    int total = dynOff + dynSize;

    ByteBuffer b = ByteBuffer.allocate(total).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), (byte) (bigEndian ? 2 : 1), 1});
    b.position(16);
    b.putShort((short) 3); // ET_DYN
    b.putShort((short) machine);
    b.putInt(1);
    putWord(b, is64, 0); // e_entry
    putWord(b, is64, phoff);
    putWord(b, is64, 0); // e_shoff: no sections, as after sstrip
    b.putInt(0);
    b.putShort((short) ehsize);
    b.putShort((short) phentsize);
    b.putShort((short) 2);
    b.putShort((short) (is64 ? 64 : 40));
    b.putShort((short) 0);
    b.putShort((short) 0);

    b.position(phoff);
    putPhdr(b, is64, ProgramHeader.PT_LOAD, 5, 0, 0, total, total, 0x1000);
    putPhdr(b, is64, ProgramHeader.PT_DYNAMIC, 6, dynOff, dynOff, dynSize, dynSize, word);

    b.position(strOff);
    b.put(str);

    // Elf_Verneed then one Elf_Vernaux: the same 16-byte layout in both classes
    b.position(verOff);
    b.putShort((short) 1).putShort((short) 1).putInt(foo).putInt(16).putInt(0);
    b.putInt(0x0d696917).putShort((short) 0).putShort((short) 2).putInt(glibc).putInt(0);

    b.position(dynOff);
    for (long[] d : dyn) {
      putWord(b, is64, d[0]);
      putWord(b, is64, d[1]);
    }
    return b.array();
  }

  private static void putPhdr(ByteBuffer b, boolean is64, int type, int flags, long off, long addr, long filesz,
      long memsz, long align) {
    b.putInt(type);
    if (is64) {
      b.putInt(flags).putLong(off).putLong(addr).putLong(addr).putLong(filesz).putLong(memsz).putLong(align);
    } else {
      b.putInt((int) off).putInt((int) addr).putInt((int) addr).putInt((int) filesz).putInt((int) memsz)
          .putInt(flags).putInt((int) align);
    }
  }

  private static void putWord(ByteBuffer b, boolean is64, long v) {
    if (is64) {
      b.putLong(v);
    } else {
      b.putInt((int) v);
    }
  }
}
