package dev.layerslim.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Removes the symbol tables and debug sections of an ELF object without moving any loaded byte
 * relative to its address: the strip for objects whose rewritten copy (binutils' or llvm's strip)
 * fails {@link ElfValidator}, the patchelf'd OpenBLAS builds in {@code numpy.libs} and
 * {@code scipy.libs} above all, where patchelf appended segments after the symbol table and strip
 * then shifts them off their page alignment.
 *
 * <p>How: the file is kept as it is except for runs of bytes that no segment and no kept section
 * covers (the removed sections, the old section header table). Such a run is cut by a multiple of
 * the largest alignment of any segment or kept section, so every later segment keeps
 * {@code p_offset ≡ p_vaddr (mod p_align)}, and the bytes left of the run are zeroed. Kept sections
 * outside every segment (.shstrtab, .comment) move to the end, then a new section header table
 * follows with the removed sections left out and their indexes renumbered. Program headers keep
 * every field but {@code p_offset}. The result is read back, validated, and every loaded segment's
 * bytes compared with the original's; anything unexpected means no result.
 *
 * <p>Removed: non-allocated {@code .symtab}, {@code .strtab}, {@code .debug_*}, {@code .zdebug_*}
 * and their relocations ({@code .rel(a).debug_*}), the sections {@code strip --strip-unneeded}
 * removes from a shared object. A section a kept one links to stays.
 */
public final class LayoutKeepingStrip {
  private static final long SHF_ALLOC = 0x2;
  private static final long SHF_INFO_LINK = 0x40;
  private static final int SHT_RELA = 4;
  private static final int SHT_REL = 9;
  private static final int COPY_CHUNK = 1 << 20;

  private LayoutKeepingStrip() {}

  /** What a strip did: the size before and after, and the sections removed. */
  public record Result(long before, long after, List<String> removed) {}

  /**
   * Writes the stripped copy of {@code in} to {@code out} (created or truncated).
   *
   * @return what was done, or null when there is nothing to remove or the object is of a kind this
   *     does not handle (extended section numbering, a relocatable object); {@code out} is then
   *     left empty
   * @throws ElfFormatException when {@code in} is malformed, or the copy fails validation
   */
  public static Result strip(Path in, Path out) throws IOException, ElfFormatException {
    ElfFile elf = ElfFile.read(in);
    if (elf.type() != ElfFile.ET_DYN && elf.type() != ElfFile.ET_EXEC) {
      return null;
    }
    try (FileChannel src = FileChannel.open(in, StandardOpenOption.READ)) {
      Layout l = Layout.of(elf, src);
      if (l == null) {
        return null;
      }
      try (FileChannel dst = FileChannel.open(out, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        l.write(src, dst);
      }
    }
    ElfFile stripped = ElfFile.read(out);
    List<String> problems = ElfValidator.validate(stripped);
    if (!problems.isEmpty()) {
      throw new ElfFormatException(problems.get(0));
    }
    sameLoadedBytes(elf, stripped, in, out);
    List<String> removed = new ArrayList<>();
    List<SectionHeader> kept = stripped.sectionHeaders();
    for (SectionHeader s : elf.sectionHeaders()) {
      if (kept.stream().noneMatch(k -> k.name().equals(s.name()) && k.addr() == s.addr() && k.size() == s.size()
          && k.type() == s.type())) {
        removed.add(s.name());
      }
    }
    return new Result(elf.fileSize(), stripped.fileSize(), List.copyOf(removed));
  }

  /**
   * Every program header must keep its fields but the offset, and each segment its file bytes, but
   * for the ELF header's section table fields and the program headers' offsets.
   */
  private static void sameLoadedBytes(ElfFile a, ElfFile b, Path in, Path out) throws IOException,
      ElfFormatException {
    List<ProgramHeader> pa = a.programHeaders();
    List<ProgramHeader> pb = b.programHeaders();
    if (pa.size() != pb.size()) {
      throw new ElfFormatException(out + ": the program header count changed");
    }
    long[][] rewritten = rewrittenRanges(a, in);
    try (FileChannel ca = FileChannel.open(in, StandardOpenOption.READ);
        FileChannel cb = FileChannel.open(out, StandardOpenOption.READ)) {
      for (int i = 0; i < pa.size(); i++) {
        ProgramHeader x = pa.get(i);
        ProgramHeader y = pb.get(i);
        if (x.type() != y.type() || x.vaddr() != y.vaddr() || x.filesz() != y.filesz() || x.memsz() != y.memsz()
            || x.align() != y.align() || x.flags() != y.flags()) {
          throw new ElfFormatException(out + ": segment " + i + " changed");
        }
        for (long done = 0; done < x.filesz(); done += COPY_CHUNK) {
          int n = (int) Math.min(COPY_CHUNK, x.filesz() - done);
          ByteBuffer ba = ByteBuffer.allocate(n);
          ByteBuffer bb = ByteBuffer.allocate(n);
          readFully(ca, ba, x.offset() + done);
          readFully(cb, bb, y.offset() + done);
          // the headers' rewritten fields are where the old file had them, relative to the segment
          for (long[] r : rewritten) {
            for (long k = Math.max(r[0], x.offset() + done); k < Math.min(r[1], x.offset() + done + n); k++) {
              int at = (int) (k - x.offset() - done);
              ba.put(at, (byte) 0);
              bb.put(at, (byte) 0);
            }
          }
          if (!ba.rewind().equals(bb.rewind())) {
            throw new ElfFormatException(out + ": the bytes of segment " + i + " changed");
          }
        }
      }
    }
  }

  /** The ELF header and the program header table of {@code elf}: the bytes a strip rewrites. */
  private static long[][] rewrittenRanges(ElfFile elf, Path in) throws IOException {
    boolean is64 = elf.elfClass() == 64;
    ByteBuffer eh = ByteBuffer.allocate(is64 ? 64 : 52).order(elf.bigEndian() ? ByteOrder.BIG_ENDIAN
        : ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(in, StandardOpenOption.READ)) {
      readFully(ch, eh, 0);
    }
    long phoff = is64 ? eh.getLong(32) : Integer.toUnsignedLong(eh.getInt(28));
    int phentsize = Short.toUnsignedInt(eh.getShort(is64 ? 54 : 42));
    return new long[][] {{0, eh.capacity()}, {phoff, phoff + (long) phentsize * elf.programHeaders().size()}};
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    long pos = at;
    while (b.hasRemaining()) {
      int n = ch.read(b, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file at " + pos);
      }
      pos += n;
    }
  }

  /** The plan of the new file: which old byte ranges go where. */
  private static final class Layout {
    final ElfFile elf;
    final boolean is64;
    final ByteOrder order;
    final List<SectionHeader> sections;
    final boolean[] keep;
    final boolean[] moved;
    /**
     * The kept runs in file order, each {@code {gapStart, keptStart, dataStart, end, newStart}}: the
     * gap before the run's data starts at {@code gapStart}, its first {@code keptStart - gapStart}
     * bytes (a multiple of the alignment) are cut, the rest up to {@code dataStart} is zeroed, and
     * the data up to {@code end} is copied; {@code keptStart} lands at {@code newStart}.
     */
    final List<long[]> runs = new ArrayList<>();
    /** Old offset → new offset of each section moved to the end. */
    final long[] movedTo;
    long shoff;
    long phoff;
    int shstrndx;
    int shentsize;

    private Layout(ElfFile elf, List<SectionHeader> sections) {
      this.elf = elf;
      this.is64 = elf.elfClass() == 64;
      this.order = elf.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      this.sections = sections;
      this.keep = new boolean[sections.size()];
      this.moved = new boolean[sections.size()];
      this.movedTo = new long[sections.size()];
    }

    static Layout of(ElfFile elf, FileChannel src) throws IOException {
      List<SectionHeader> sections = elf.sectionHeaders();
      if (sections.isEmpty()) {
        return null;
      }
      Layout l = new Layout(elf, sections);
      ByteBuffer eh = ByteBuffer.allocate(64).order(l.order);
      readFully(src, eh.limit(l.is64 ? 64 : 52), 0);
      l.phoff = l.is64 ? eh.getLong(32) : Integer.toUnsignedLong(eh.getInt(28));
      long oldShoff = l.is64 ? eh.getLong(40) : Integer.toUnsignedLong(eh.getInt(32));
      int phnum = Short.toUnsignedInt(eh.getShort(l.is64 ? 56 : 44));
      l.shentsize = Short.toUnsignedInt(eh.getShort(l.is64 ? 58 : 46));
      int shnum = Short.toUnsignedInt(eh.getShort(l.is64 ? 60 : 48));
      l.shstrndx = Short.toUnsignedInt(eh.getShort(l.is64 ? 62 : 50));
      int ehsize = l.is64 ? 64 : 52;
      int phentsize = Short.toUnsignedInt(eh.getShort(l.is64 ? 54 : 42));
      if (shnum == 0 || shnum != sections.size() || l.shstrndx == 0 || l.shstrndx >= shnum || phnum == 0xffff
          || oldShoff == 0) {
        return null; // extended numbering, or no section names: not worth the risk
      }
      Arrays.fill(l.keep, true);
      for (int i = 1; i < sections.size(); i++) {
        SectionHeader s = sections.get(i);
        if ((s.flags() & SHF_ALLOC) == 0 && i != l.shstrndx && removable(s.name())) {
          l.keep[i] = false;
        }
      }
      // a kept section that links to a removed one keeps it, until nothing changes
      for (boolean changed = true; changed; ) {
        changed = false;
        for (int i = 0; i < sections.size(); i++) {
          if (!l.keep[i]) {
            continue;
          }
          SectionHeader s = sections.get(i);
          for (int ref : new int[] {s.link(), infoLink(s) ? s.info() : 0}) {
            if (ref > 0 && ref < sections.size() && !l.keep[ref]) {
              l.keep[ref] = true;
              changed = true;
            }
          }
        }
      }
      boolean any = false;
      for (boolean k : l.keep) {
        any |= !k;
      }
      if (!any) {
        return null;
      }
      // what must stay where it is: the headers, every segment, every kept section inside a segment
      List<long[]> needed = new ArrayList<>();
      needed.add(new long[] {0, ehsize});
      needed.add(new long[] {l.phoff, l.phoff + (long) phnum * phentsize});
      long align = 1;
      for (ProgramHeader p : elf.programHeaders()) {
        if (p.filesz() > 0) {
          needed.add(new long[] {p.offset(), p.offset() + p.filesz()});
        }
        if (p.type() == ProgramHeader.PT_LOAD) {
          align = Math.max(align, p.align());
        }
      }
      List<Integer> toMove = new ArrayList<>();
      for (int i = 1; i < sections.size(); i++) {
        SectionHeader s = sections.get(i);
        if (!l.keep[i] || s.type() == SectionHeader.SHT_NOBITS || s.size() == 0) {
          continue;
        }
        boolean inSegment = elf.programHeaders().stream().anyMatch(p -> p.filesz() > 0
            && p.containsFileRange(s.offset(), s.size()));
        if (!inSegment && (s.flags() & SHF_ALLOC) == 0) {
          l.moved[i] = true;
          toMove.add(i);
        } else {
          needed.add(new long[] {s.offset(), s.offset() + s.size()});
          align = Math.max(align, Math.max(1, s.addralign()));
        }
      }
      for (ProgramHeader p : elf.programHeaders()) {
        if (Long.bitCount(Math.max(1, p.align())) != 1) {
          return null; // an alignment that is no power of two: leave such an object alone
        }
        align = Math.max(align, Math.max(1, p.align()));
      }
      if (Long.bitCount(align) != 1) {
        return null;
      }
      needed.sort(Comparator.comparingLong(r -> r[0]));
      // merge, then cut each gap by whole multiples of the alignment
      List<long[]> merged = new ArrayList<>();
      for (long[] r : needed) {
        if (!merged.isEmpty() && r[0] <= merged.get(merged.size() - 1)[1]) {
          long[] last = merged.get(merged.size() - 1);
          last[1] = Math.max(last[1], r[1]);
        } else {
          merged.add(new long[] {r[0], r[1]});
        }
      }
      long removedSoFar = 0;
      long prevEnd = 0;
      for (long[] r : merged) {
        long gap = r[0] - prevEnd;
        long cut = gap / align * align;
        removedSoFar += cut;
        l.runs.add(new long[] {prevEnd, prevEnd + cut, r[0], r[1], prevEnd + cut - removedSoFar});
        prevEnd = r[1];
      }
      long at = prevEnd - removedSoFar;
      for (int i : toMove) {
        SectionHeader s = sections.get(i);
        long a = Math.max(1, s.addralign());
        at = (at + a - 1) / a * a;
        l.movedTo[i] = at;
        at += s.size();
      }
      long shAlign = l.is64 ? 8 : 4;
      l.shoff = (at + shAlign - 1) / shAlign * shAlign;
      return l;
    }

    private static boolean removable(String name) {
      return name.equals(".symtab") || name.equals(".strtab") || name.startsWith(".debug")
          || name.startsWith(".zdebug") || name.startsWith(".rela.debug") || name.startsWith(".rel.debug");
    }

    private static boolean infoLink(SectionHeader s) {
      return (s.flags() & SHF_INFO_LINK) != 0 || s.type() == SHT_REL || s.type() == SHT_RELA;
    }

    /** Where old file offset {@code off} (inside or at the end of kept bytes) is in the new file. */
    long map(long off) {
      long[] best = runs.get(0);
      for (long[] r : runs) {
        if (r[0] <= off) {
          best = r;
        }
      }
      // inside the cut part of a gap: the start of what stays of it; past the last run: its end
      long mapped = off < best[1] ? best[4] : best[4] + (Math.min(off, best[3]) - best[1]);
      long[] last = runs.get(runs.size() - 1);
      return Math.min(mapped, last[4] + (last[3] - last[1]));
    }

    void write(FileChannel src, FileChannel dst) throws IOException {
      long pos = 0;
      for (long[] r : runs) {
        // zeroes for the gap's remainder: bytes no segment and no kept section uses
        zero(dst, r[4], r[2] - r[1]);
        copy(src, dst, r[2], r[3] - r[2], r[4] + (r[2] - r[1]));
        pos = r[4] + (r[3] - r[1]);
      }
      for (int i = 0; i < sections.size(); i++) {
        if (moved[i]) {
          SectionHeader s = sections.get(i);
          zero(dst, pos, movedTo[i] - pos);
          copy(src, dst, s.offset(), s.size(), movedTo[i]);
          pos = movedTo[i] + s.size();
        }
      }
      zero(dst, pos, shoff - pos);
      writeSectionHeaders(src, dst);
      writeHeaders(dst);
    }

    private void writeSectionHeaders(FileChannel src, FileChannel dst) throws IOException {
      int[] newIndex = new int[sections.size()];
      int n = 0;
      for (int i = 0; i < sections.size(); i++) {
        newIndex[i] = keep[i] ? n++ : 0;
      }
      long oldShoff = is64 ? header(src).getLong(40) : Integer.toUnsignedLong(header(src).getInt(32));
      ByteBuffer table = ByteBuffer.allocate(n * shentsize).order(order);
      for (int i = 0; i < sections.size(); i++) {
        if (!keep[i]) {
          continue;
        }
        ByteBuffer e = ByteBuffer.allocate(shentsize).order(order);
        readFully(src, e, oldShoff + (long) i * shentsize);
        SectionHeader s = sections.get(i);
        if (i > 0) {
          long off = moved[i] ? movedTo[i] : map(s.offset());
          putWord(e, is64 ? 24 : 16, off);
          e.putInt(is64 ? 40 : 24, s.link() > 0 && s.link() < sections.size() ? newIndex[s.link()] : s.link());
          if (infoLink(s) && s.info() > 0 && s.info() < sections.size()) {
            e.putInt(is64 ? 44 : 28, newIndex[s.info()]);
          }
        }
        table.put(e.array());
      }
      table.flip();
      writeFully(dst, table, shoff);
      ByteBuffer h = header(src);
      putWord(h, is64 ? 40 : 32, shoff);
      h.putShort(is64 ? 60 : 48, (short) n);
      h.putShort(is64 ? 62 : 50, (short) newIndex[shstrndx]);
      h.position(0);
      writeFully(dst, h, 0);
    }

    private void writeHeaders(FileChannel dst) throws IOException {
      ByteBuffer h = ByteBuffer.allocate(is64 ? 64 : 52).order(order);
      readFully(dst, h, 0);
      long newPhoff = map(phoff);
      putWord(h, is64 ? 32 : 28, newPhoff);
      h.flip();
      writeFully(dst, h, 0);
      int phentsize = is64 ? 56 : 32;
      List<ProgramHeader> phs = elf.programHeaders();
      for (int i = 0; i < phs.size(); i++) {
        ByteBuffer e = ByteBuffer.allocate(phentsize).order(order);
        long at = newPhoff + (long) i * phentsize;
        readFully(dst, e, at);
        ProgramHeader p = phs.get(i);
        putWord(e, is64 ? 8 : 4, p.filesz() > 0 || p.offset() > 0 ? map(p.offset()) : p.offset());
        e.position(0);
        writeFully(dst, e, at);
      }
    }

    private ByteBuffer header(FileChannel src) throws IOException {
      ByteBuffer h = ByteBuffer.allocate(is64 ? 64 : 52).order(order);
      readFully(src, h, 0);
      h.position(0);
      return h;
    }

    private void putWord(ByteBuffer b, int at, long v) {
      if (is64) {
        b.putLong(at, v);
      } else {
        b.putInt(at, (int) v);
      }
    }
  }

  private static void copy(FileChannel src, FileChannel dst, long from, long len, long to) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(COPY_CHUNK);
    for (long done = 0; done < len; ) {
      int n = (int) Math.min(COPY_CHUNK, len - done);
      b.clear().limit(n);
      readFully(src, b, from + done);
      b.flip();
      writeFully(dst, b, to + done);
      done += n;
    }
  }

  private static void zero(FileChannel dst, long at, long len) throws IOException {
    ByteBuffer z = ByteBuffer.allocate((int) Math.min(COPY_CHUNK, Math.max(0, len)));
    for (long done = 0; done < len; ) {
      int n = (int) Math.min(z.capacity(), len - done);
      z.clear().limit(n);
      writeFully(dst, z, at + done);
      done += n;
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    long pos = at;
    while (b.hasRemaining()) {
      pos += ch.write(b, pos);
    }
  }
}
