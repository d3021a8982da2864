package dev.layerslim.elf;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of an ELF object layerslim needs: header, program headers, section headers, the
 * dynamic section (DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH) and the version needs
 * ({@code .gnu.version_r}). ELF32 and ELF64, either byte order.
 *
 * <p>Only the tables are read, by positional reads on a {@link FileChannel}: a 100 MB library
 * costs a few kilobytes of I/O. Every offset and size from the file is checked against the file's
 * length before it is used, so truncated or garbage input gives an {@link ElfFormatException}
 * naming the file, never an index or underflow exception.
 *
 * <p>Instances are immutable and hold no open file.
 */
public final class ElfFile {
  public static final int ET_REL = 1;
  public static final int ET_EXEC = 2;
  public static final int ET_DYN = 3;

  private static final int DT_NULL = 0;
  private static final int DT_NEEDED = 1;
  private static final int DT_STRTAB = 5;
  private static final int DT_STRSZ = 10;
  private static final int DT_SONAME = 14;
  private static final int DT_RPATH = 15;
  private static final int DT_RUNPATH = 29;
  private static final long DT_VERNEED = 0x6ffffffeL;
  private static final long DT_VERNEEDNUM = 0x6fffffffL;

  /** No real table is this large; a bigger one means the header is garbage. */
  private static final long MAX_TABLE_BYTES = 256L * 1024 * 1024;
  /** Caps the version-need walk so a cyclic vn_next chain cannot loop forever. */
  private static final int MAX_VERSION_ENTRIES = 100_000;

  private final Path path;
  private final long fileSize;
  private final int elfClass;
  private final boolean bigEndian;
  private final int type;
  private final int machine;
  private final List<ProgramHeader> programHeaders;
  private final List<SectionHeader> sectionHeaders;
  private final List<String> needed;
  private final String soname;
  private final List<String> rpath;
  private final List<String> runpath;
  private final List<VersionNeed> versionNeeds;

  private ElfFile(Reader r, int type, int machine, List<ProgramHeader> phs, List<SectionHeader> shs,
      Dynamic dyn, List<VersionNeed> verneeds) {
    this.path = r.path;
    this.fileSize = r.size;
    this.elfClass = r.is64 ? 64 : 32;
    this.bigEndian = r.order == ByteOrder.BIG_ENDIAN;
    this.type = type;
    this.machine = machine;
    this.programHeaders = List.copyOf(phs);
    this.sectionHeaders = List.copyOf(shs);
    this.needed = List.copyOf(dyn.needed);
    this.soname = dyn.soname;
    this.rpath = List.copyOf(dyn.rpath);
    this.runpath = List.copyOf(dyn.runpath);
    this.versionNeeds = List.copyOf(verneeds);
  }

  /**
   * Reads the ELF tables of {@code file}.
   *
   * @throws ElfFormatException when the file is not ELF or its tables are malformed or truncated
   * @throws IOException when the file cannot be read
   */
  public static ElfFile read(Path file) throws IOException, ElfFormatException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return parse(new Reader(file, ch));
    } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
      // Every read is bounds-checked first; this is a last line of defence, so that a parser bug on
      // hostile input still surfaces as "malformed file", not as a crash of the whole step.
      throw new ElfFormatException(file + ": malformed ELF file (" + e + ")", e);
    }
  }

  private static ElfFile parse(Reader r) throws IOException, ElfFormatException {
    if (r.size < 16) {
      throw r.error("too short for an ELF header (" + r.size + " bytes)");
    }
    ByteBuffer ident = r.read(0, 16, "ELF identification");
    if (ident.get(0) != 0x7f || ident.get(1) != 'E' || ident.get(2) != 'L' || ident.get(3) != 'F') {
      throw r.error("not an ELF file (no \\x7fELF magic)");
    }
    int cls = ident.get(4);
    if (cls != 1 && cls != 2) {
      throw r.error("unknown ELF class " + cls + " (expected 1 for ELF32 or 2 for ELF64)");
    }
    int data = ident.get(5);
    if (data != 1 && data != 2) {
      throw r.error("unknown ELF byte order " + data + " (expected 1 for little or 2 for big endian)");
    }
    r.is64 = cls == 2;
    r.order = data == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;

    int ehsize = r.is64 ? 64 : 52;
    ByteBuffer eh = r.read(0, ehsize, "ELF header");
    int type = Short.toUnsignedInt(eh.getShort(16));
    int machine = Short.toUnsignedInt(eh.getShort(18));
    eh.position(24);
    r.word(eh); // e_entry
    long phoff = r.word(eh);
    long shoff = r.word(eh);
    eh.getInt(); // e_flags
    eh.getShort(); // e_ehsize
    int phentsize = Short.toUnsignedInt(eh.getShort());
    int phnum = Short.toUnsignedInt(eh.getShort());
    int shentsize = Short.toUnsignedInt(eh.getShort());
    long shnum = Short.toUnsignedInt(eh.getShort());
    int shstrndx = Short.toUnsignedInt(eh.getShort());

    // Extended numbering (gABI): counts too large for the header live in section header 0.
    SectionHeader sh0 = null;
    if (shoff != 0 && (shnum == 0 || shstrndx == 0xffff || phnum == 0xffff)) {
      sh0 = readSection(r, shoff, shentsize, "");
      if (shnum == 0) {
        shnum = sh0.size();
      }
      if (shstrndx == 0xffff) {
        shstrndx = sh0.link();
      }
      if (phnum == 0xffff) {
        phnum = sh0.info();
      }
    }

    List<ProgramHeader> phs = readProgramHeaders(r, phoff, phentsize, phnum);
    List<SectionHeader> shs = readSectionHeaders(r, shoff, shentsize, shnum, shstrndx);
    Dynamic dyn = readDynamic(r, phs, shs);
    List<VersionNeed> verneeds = readVersionNeeds(r, phs, shs, dyn);
    return new ElfFile(r, type, machine, phs, shs, dyn, verneeds);
  }

  private static List<ProgramHeader> readProgramHeaders(Reader r, long phoff, int phentsize, int phnum)
      throws IOException, ElfFormatException {
    if (phnum == 0) {
      return List.of();
    }
    int min = r.is64 ? 56 : 32;
    if (phentsize < min) {
      throw r.error("program header entry size " + phentsize + " is smaller than " + min);
    }
    ByteBuffer b = r.read(phoff, (long) phentsize * phnum, "program header table");
    List<ProgramHeader> out = new ArrayList<>(phnum);
    for (int i = 0; i < phnum; i++) {
      b.position(i * phentsize);
      int ptype = b.getInt();
      if (r.is64) {
        int flags = b.getInt();
        long offset = b.getLong();
        long vaddr = b.getLong();
        b.getLong(); // p_paddr
        out.add(new ProgramHeader(ptype, flags, offset, vaddr, b.getLong(), b.getLong(), b.getLong()));
      } else {
        long offset = u32(b.getInt());
        long vaddr = u32(b.getInt());
        b.getInt(); // p_paddr
        long filesz = u32(b.getInt());
        long memsz = u32(b.getInt());
        int flags = b.getInt();
        out.add(new ProgramHeader(ptype, flags, offset, vaddr, filesz, memsz, u32(b.getInt())));
      }
    }
    return out;
  }

  private static List<SectionHeader> readSectionHeaders(Reader r, long shoff, int shentsize, long shnum,
      int shstrndx) throws IOException, ElfFormatException {
    if (shoff == 0 || shnum == 0) {
      return List.of();
    }
    int min = r.is64 ? 64 : 40;
    if (shentsize < min) {
      throw r.error("section header entry size " + shentsize + " is smaller than " + min);
    }
    if (shnum > MAX_TABLE_BYTES / shentsize) {
      throw r.error("section count " + shnum + " is implausible");
    }
    ByteBuffer b = r.read(shoff, shentsize * shnum, "section header table");
    int n = (int) shnum;
    int[] nameIdx = new int[n];
    List<SectionHeader> raw = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      b.position(i * shentsize);
      nameIdx[i] = b.getInt(b.position());
      raw.add(section(r, b, ""));
    }
    if (shstrndx == 0 || shstrndx >= n) {
      return raw; // no section name table: sections stay nameless (legal, if unusual)
    }
    SectionHeader names = raw.get(shstrndx);
    byte[] strtab = names.type() == SectionHeader.SHT_NOBITS ? new byte[0]
        : r.bytes(names.offset(), names.size(), "section name table");
    List<SectionHeader> named = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      SectionHeader s = raw.get(i);
      String name = nameIdx[i] == 0 ? "" : cstring(r, strtab, u32(nameIdx[i]), "section name");
      named.add(new SectionHeader(name, s.type(), s.flags(), s.addr(), s.offset(), s.size(), s.link(), s.info(),
          s.addralign(), s.entsize()));
    }
    return named;
  }

  private static SectionHeader readSection(Reader r, long shoff, int shentsize, String name)
      throws IOException, ElfFormatException {
    int min = r.is64 ? 64 : 40;
    if (shentsize < min) {
      throw r.error("section header entry size " + shentsize + " is smaller than " + min);
    }
    return section(r, r.read(shoff, min, "section header 0"), name);
  }

  /** Decodes one section header at the buffer's position, giving it {@code name}. */
  private static SectionHeader section(Reader r, ByteBuffer b, String name) {
    b.getInt(); // sh_name, resolved by the caller once .shstrtab is known
    int stype = b.getInt();
    long flags = r.word(b);
    long addr = r.word(b);
    long offset = r.word(b);
    long size = r.word(b);
    int link = b.getInt();
    int info = b.getInt();
    long addralign = r.word(b);
    long entsize = r.word(b);
    return new SectionHeader(name, stype, flags, addr, offset, size, link, info, addralign, entsize);
  }

  /** What the dynamic section says. */
  private static final class Dynamic {
    final List<String> needed = new ArrayList<>();
    final List<String> rpath = new ArrayList<>();
    final List<String> runpath = new ArrayList<>();
    String soname;
    byte[] strtab = new byte[0];
    long verneed = -1;
    long verneedNum;
  }

  private static Dynamic readDynamic(Reader r, List<ProgramHeader> phs, List<SectionHeader> shs)
      throws IOException, ElfFormatException {
    Dynamic dyn = new Dynamic();
    long off = -1;
    long size = 0;
    for (ProgramHeader ph : phs) {
      if (ph.type() == ProgramHeader.PT_DYNAMIC) {
        off = ph.offset();
        size = ph.filesz();
        break;
      }
    }
    SectionHeader dynSection = null;
    for (SectionHeader s : shs) {
      if (s.type() == SectionHeader.SHT_DYNAMIC) {
        dynSection = s;
        break;
      }
    }
    if (off < 0 && dynSection != null) {
      off = dynSection.offset();
      size = dynSection.size();
    }
    if (off < 0 || size == 0) {
      return dyn; // a static executable or a relocatable object
    }
    int entSize = r.is64 ? 16 : 8;
    ByteBuffer b = r.read(off, size - size % entSize, "dynamic section");
    List<Long> neededIdx = new ArrayList<>();
    List<Long> rpathIdx = new ArrayList<>();
    List<Long> runpathIdx = new ArrayList<>();
    long sonameIdx = -1;
    long strtabAddr = -1;
    long strsz = -1;
    while (b.remaining() >= entSize) {
      long tag = r.word(b);
      long val = r.word(b);
      if (tag == DT_NULL) {
        break;
      } else if (tag == DT_NEEDED) {
        neededIdx.add(val);
      } else if (tag == DT_SONAME) {
        sonameIdx = val;
      } else if (tag == DT_RPATH) {
        rpathIdx.add(val);
      } else if (tag == DT_RUNPATH) {
        runpathIdx.add(val);
      } else if (tag == DT_STRTAB) {
        strtabAddr = val;
      } else if (tag == DT_STRSZ) {
        strsz = val;
      } else if (tag == DT_VERNEED) {
        dyn.verneed = val;
      } else if (tag == DT_VERNEEDNUM) {
        dyn.verneedNum = val;
      }
    }
    // The loader finds the string table by address; sections are the fallback for files whose
    // DT_STRTAB does not map (a relocatable object, or a damaged header).
    long strOff = strtabAddr < 0 ? -1 : toFileOffset(phs, strtabAddr);
    if (strOff >= 0 && strsz >= 0) {
      dyn.strtab = r.bytes(strOff, strsz, "dynamic string table");
    } else if (dynSection != null && dynSection.link() > 0 && dynSection.link() < shs.size()) {
      SectionHeader s = shs.get(dynSection.link());
      dyn.strtab = r.bytes(s.offset(), s.size(), "dynamic string table");
    } else if (!neededIdx.isEmpty() || sonameIdx >= 0 || !rpathIdx.isEmpty() || !runpathIdx.isEmpty()) {
      throw r.error("the dynamic section names libraries but its string table cannot be located");
    }
    for (long i : neededIdx) {
      dyn.needed.add(cstring(r, dyn.strtab, i, "DT_NEEDED"));
    }
    if (sonameIdx >= 0) {
      dyn.soname = cstring(r, dyn.strtab, sonameIdx, "DT_SONAME");
    }
    for (long i : rpathIdx) {
      splitPath(cstring(r, dyn.strtab, i, "DT_RPATH"), dyn.rpath);
    }
    for (long i : runpathIdx) {
      splitPath(cstring(r, dyn.strtab, i, "DT_RUNPATH"), dyn.runpath);
    }
    return dyn;
  }

  private static void splitPath(String value, List<String> into) {
    for (String part : value.split(":")) {
      if (!part.isEmpty()) {
        into.add(part);
      }
    }
  }

  private static List<VersionNeed> readVersionNeeds(Reader r, List<ProgramHeader> phs, List<SectionHeader> shs,
      Dynamic dyn) throws IOException, ElfFormatException {
    long off = dyn.verneed < 0 ? -1 : toFileOffset(phs, dyn.verneed);
    long count = dyn.verneedNum;
    if (off < 0) {
      for (SectionHeader s : shs) {
        if (s.type() == SectionHeader.SHT_GNU_VERNEED) {
          off = s.offset();
          count = u32(s.info());
          break;
        }
      }
    }
    if (off < 0 || count <= 0) {
      return List.of();
    }
    if (count > MAX_VERSION_ENTRIES) {
      throw r.error("version need count " + count + " is implausible");
    }
    List<VersionNeed> out = new ArrayList<>();
    int budget = MAX_VERSION_ENTRIES;
    for (long i = 0; i < count; i++) {
      // Elf_Verneed is 16 bytes in both classes: vn_version, vn_cnt (2 each), vn_file, vn_aux, vn_next (4 each)
      ByteBuffer vn = r.read(off, 16, "version need entry");
      int cnt = Short.toUnsignedInt(vn.getShort(2));
      String file = cstring(r, dyn.strtab, u32(vn.getInt(4)), "version need file");
      long aux = off + u32(vn.getInt(8));
      long next = u32(vn.getInt(12));
      List<String> names = new ArrayList<>(cnt);
      for (int j = 0; j < cnt; j++) {
        if (--budget < 0) {
          throw r.error("version need entries form a loop");
        }
        // Elf_Vernaux: vna_hash (4), vna_flags (2), vna_other (2), vna_name (4), vna_next (4)
        ByteBuffer va = r.read(aux, 16, "version need auxiliary entry");
        names.add(cstring(r, dyn.strtab, u32(va.getInt(8)), "version name"));
        long auxNext = u32(va.getInt(12));
        if (auxNext == 0) {
          break;
        }
        aux += auxNext;
      }
      out.add(new VersionNeed(file, names));
      if (next == 0) {
        break;
      }
      off += next;
    }
    return out;
  }

  /** Maps a virtual address to its file offset through the PT_LOAD segments; -1 when none maps it. */
  private static long toFileOffset(List<ProgramHeader> phs, long addr) {
    for (ProgramHeader ph : phs) {
      if (ph.type() == ProgramHeader.PT_LOAD && ph.mapsFileAddress(addr)) {
        return ph.offset() + (addr - ph.vaddr());
      }
    }
    return -1;
  }

  private static String cstring(Reader r, byte[] table, long index, String what) throws ElfFormatException {
    if (index < 0 || index >= table.length) {
      throw r.error(what + " string index " + index + " is outside its string table (" + table.length + " bytes)");
    }
    int start = (int) index;
    int end = start;
    while (end < table.length && table[end] != 0) {
      end++;
    }
    return new String(table, start, end - start, StandardCharsets.UTF_8);
  }

  private static long u32(int v) {
    return Integer.toUnsignedLong(v);
  }

  /** Positional, bounds-checked reads of one open file. */
  private static final class Reader {
    final Path path;
    final FileChannel ch;
    final long size;
    boolean is64;
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    Reader(Path path, FileChannel ch) throws IOException {
      this.path = path;
      this.ch = ch;
      this.size = ch.size();
    }

    ElfFormatException error(String message) {
      return new ElfFormatException(path + ": " + message);
    }

    /** An address-sized field: 8 bytes in ELF64, 4 (unsigned) in ELF32. */
    long word(ByteBuffer b) {
      return is64 ? b.getLong() : u32(b.getInt());
    }

    ByteBuffer read(long offset, long length, String what) throws IOException, ElfFormatException {
      return ByteBuffer.wrap(bytes(offset, length, what)).order(order);
    }

    byte[] bytes(long offset, long length, String what) throws IOException, ElfFormatException {
      // offsets and sizes are unsigned in the file: a "negative" long is one beyond 2^63
      if (offset < 0 || length < 0 || offset > size || length > size - offset) {
        throw error(what + " (offset " + Long.toUnsignedString(offset) + ", " + Long.toUnsignedString(length)
            + " bytes) lies outside the file (" + size + " bytes): truncated or not a valid ELF file");
      }
      if (length > MAX_TABLE_BYTES) {
        throw error(what + " of " + length + " bytes is implausibly large");
      }
      byte[] out = new byte[(int) length];
      ByteBuffer buf = ByteBuffer.wrap(out);
      long pos = offset;
      while (buf.hasRemaining()) {
        int n = ch.read(buf, pos);
        if (n < 0) {
          throw error(what + " ends early: the file shrank while being read");
        }
        pos += n;
      }
      return out;
    }
  }

  /** The file this was read from. */
  public Path path() {
    return path;
  }

  /** The file's length in bytes when it was read. */
  public long fileSize() {
    return fileSize;
  }

  /** 32 or 64. */
  public int elfClass() {
    return elfClass;
  }

  public boolean bigEndian() {
    return bigEndian;
  }

  /** {@code e_type}: {@link #ET_REL}, {@link #ET_EXEC}, {@link #ET_DYN}, … */
  public int type() {
    return type;
  }

  /** {@code REL}, {@code EXEC}, {@code DYN}, {@code CORE}, or the number. */
  public String typeName() {
    switch (type) {
      case 0: return "NONE";
      case ET_REL: return "REL";
      case ET_EXEC: return "EXEC";
      case ET_DYN: return "DYN";
      case 4: return "CORE";
      default: return Integer.toString(type);
    }
  }

  /** {@code e_machine}: 62 for x86-64, 183 for AArch64. */
  public int machine() {
    return machine;
  }

  /** A person's name for {@link #machine()}: {@code x86-64}, {@code AArch64}, … */
  public String machineName() {
    return machineName(machine);
  }

  /** A person's name for an {@code e_machine} value. */
  public static String machineName(int machine) {
    switch (machine) {
      case 2: return "SPARC";
      case 3: return "x86 (i386)";
      case 8: return "MIPS";
      case 20: return "PowerPC";
      case 21: return "PowerPC64";
      case 22: return "IBM S/390";
      case 40: return "ARM (32-bit)";
      case 43: return "SPARC V9";
      case 62: return "x86-64";
      case 183: return "AArch64";
      case 243: return "RISC-V";
      case 258: return "LoongArch";
      default: return "machine " + machine;
    }
  }

  public List<ProgramHeader> programHeaders() {
    return programHeaders;
  }

  public List<SectionHeader> sectionHeaders() {
    return sectionHeaders;
  }

  /** The first section with this name. */
  public Optional<SectionHeader> section(String name) {
    return sectionHeaders.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** DT_NEEDED entries, in order: {@code libm.so.6}, {@code libc.so.6}. */
  public List<String> needed() {
    return needed;
  }

  /** DT_SONAME, when there is one. */
  public Optional<String> soname() {
    return Optional.ofNullable(soname);
  }

  /** DT_RPATH, split at ':': {@code $ORIGIN/../foo.libs}. */
  public List<String> rpath() {
    return rpath;
  }

  /** DT_RUNPATH, split at ':'. When present, the loader ignores DT_RPATH. */
  public List<String> runpath() {
    return runpath;
  }

  /** The version needs, one per library that versions its symbols. */
  public List<VersionNeed> versionNeeds() {
    return versionNeeds;
  }

  /** The highest {@code GLIBC_x.y} needed from any library; empty when the object needs none. */
  public Optional<GlibcVersion> maxGlibc() {
    GlibcVersion max = null;
    for (VersionNeed vn : versionNeeds) {
      for (String v : vn.versions()) {
        GlibcVersion g = GlibcVersion.fromVersionName(v).orElse(null);
        if (g != null && (max == null || g.compareTo(max) > 0)) {
          max = g;
        }
      }
    }
    return Optional.ofNullable(max);
  }

  /**
   * True when {@code strip --strip-unneeded} would remove a section: {@code .symtab},
   * {@code .strtab}, {@code .debug_*} or {@code .zdebug_*}.
   *
   * <p>{@code .comment} and {@code .note.gnu.build-id} are not counted: binutils strip keeps both
   * (checked with binutils 2.40), so counting them would re-strip already stripped files for
   * nothing.
   */
  public boolean hasStrippableContent() {
    for (SectionHeader s : sectionHeaders) {
      String n = s.name();
      if (n.equals(".symtab") || n.equals(".strtab") || n.startsWith(".debug_") || n.startsWith(".zdebug_")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "ElfFile[" + path + ", ELF" + elfClass + (bigEndian ? " BE" : " LE") + ", " + typeName() + ", "
        + machineName() + "]";
  }

}
