package dev.layerslim.elf;

import static dev.layerslim.elf.ElfInput.u32;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the tables of an ELF file into an {@link ElfFile}: header, program headers, section
 * headers, the dynamic section and the version needs. Only the tables are read, by positional
 * reads ({@link ElfInput}), so a 100 MB library costs a few kilobytes of I/O.
 */
final class ElfReader {
  /** Caps the version-need walk so a cyclic vn_next chain cannot loop forever. */
  private static final int MAX_VERSION_ENTRIES = 100_000;

  private final ElfInput in;

  private ElfReader(ElfInput in) {
    this.in = in;
  }

  static ElfFile read(Path file) throws IOException, ElfFormatException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      // Every offset, size and count is checked before it is used; nothing here catches an index
      // or underflow exception to turn it into "malformed" (ElfFileTest fuzzes that).
      return new ElfReader(new ElfInput(file, ch)).parse();
    }
  }

  private ElfFile parse() throws IOException, ElfFormatException {
    ElfHeader h = readHeader();
    long phnum = h.phnum();
    long shnum = h.shnum();
    long shstrndx = h.shstrndx();
    // Extended numbering (gABI): counts too large for the header live in section header 0.
    if (h.shoff() != 0 && (shnum == 0 || shstrndx == ElfHeader.SHN_XINDEX || phnum == ElfHeader.PN_XNUM)) {
      SectionHeader sh0 = readSection(h.shoff(), h.shentsize(), "");
      if (shnum == 0) {
        shnum = sh0.size();
      }
      if (shstrndx == ElfHeader.SHN_XINDEX) {
        shstrndx = u32(sh0.link()); // unsigned: read as an int, 2^31 and up were negative indexes
      }
      if (phnum == ElfHeader.PN_XNUM) {
        phnum = u32(sh0.info());
      }
    }
    List<ProgramHeader> phs = readProgramHeaders(h.phoff(), h.phentsize(), phnum);
    List<SectionHeader> shs = readSectionHeaders(h.shoff(), h.shentsize(), shnum, shstrndx);
    Dynamic dyn = readDynamic(phs, shs);
    List<VersionNeed> verneeds = readVersionNeeds(phs, shs, dyn);
    return new ElfFile(in.path, in.size, h, phs, shs,
        new DynamicSection(dyn.needed, dyn.soname, dyn.rpath, dyn.runpath), verneeds);
  }

  private ElfHeader readHeader() throws IOException, ElfFormatException {
    if (in.size < 16) {
      throw in.error("too short for an ELF header (" + in.size + " bytes)");
    }
    ByteBuffer ident = in.read(0, 16, "ELF identification");
    if (ident.get(0) != 0x7f || ident.get(1) != 'E' || ident.get(2) != 'L' || ident.get(3) != 'F') {
      throw in.error("not an ELF file (no \\x7fELF magic)");
    }
    int cls = ident.get(4);
    if (cls != 1 && cls != 2) {
      throw in.error("unknown ELF class " + cls + " (expected 1 for ELF32 or 2 for ELF64)");
    }
    int data = ident.get(5);
    if (data != 1 && data != 2) {
      throw in.error("unknown ELF byte order " + data + " (expected 1 for little or 2 for big endian)");
    }
    in.layout(cls == 2, data == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);

    ByteBuffer eh = in.read(0, in.is64() ? 64 : 52, "ELF header");
    int type = Short.toUnsignedInt(eh.getShort(16));
    int machine = Short.toUnsignedInt(eh.getShort(18));
    eh.position(24);
    in.word(eh); // e_entry
    long phoff = in.word(eh);
    long shoff = in.word(eh);
    eh.getInt(); // e_flags
    eh.getShort(); // e_ehsize
    int phentsize = Short.toUnsignedInt(eh.getShort());
    int phnum = Short.toUnsignedInt(eh.getShort());
    int shentsize = Short.toUnsignedInt(eh.getShort());
    int shnum = Short.toUnsignedInt(eh.getShort());
    int shstrndx = Short.toUnsignedInt(eh.getShort());
    return new ElfHeader(in.is64() ? 64 : 32, data == 2, type, machine, phoff, phentsize, phnum, shoff, shentsize,
        shnum, shstrndx);
  }

  private List<ProgramHeader> readProgramHeaders(long phoff, int phentsize, long phnum)
      throws IOException, ElfFormatException {
    if (phnum == 0) {
      return List.of();
    }
    int min = in.is64() ? 56 : 32;
    if (phentsize < min) {
      throw in.error("program header entry size " + phentsize + " is smaller than " + min);
    }
    if (phnum > ElfInput.MAX_TABLE_BYTES / min) {
      throw in.error("program header count " + phnum + " is implausible");
    }
    ElfInput.Table table = in.table(phoff, phentsize, phnum, "program header table");
    List<ProgramHeader> out = new ArrayList<>();
    for (long i = 0; i < phnum; i++) {
      in.charge(min, "program header table");
      ByteBuffer b = table.entry(i);
      int ptype = b.getInt();
      if (in.is64()) {
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

  private List<SectionHeader> readSectionHeaders(long shoff, int shentsize, long shnum, long shstrndx)
      throws IOException, ElfFormatException {
    if (shoff == 0 || shnum == 0) {
      return List.of();
    }
    int min = in.is64() ? 64 : 40;
    if (shentsize < min) {
      throw in.error("section header entry size " + shentsize + " is smaller than " + min);
    }
    if (shnum < 0 || shnum > ElfInput.MAX_TABLE_BYTES / min) {
      throw in.error("section count " + Long.toUnsignedString(shnum) + " is implausible");
    }
    ElfInput.Table table = in.table(shoff, shentsize, shnum, "section header table");
    int n = (int) shnum;
    int[] nameIdx = new int[n];
    List<SectionHeader> raw = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      in.charge(min, "section header table");
      ByteBuffer b = table.entry(i);
      nameIdx[i] = b.getInt(b.position());
      raw.add(section(b, ""));
    }
    if (shstrndx == 0 || shstrndx >= n) {
      return raw; // no section name table: sections stay nameless (legal, if unusual)
    }
    SectionHeader names = raw.get((int) shstrndx);
    ElfInput.StringTable strtab = in.strings(names.offset(),
        names.type() == SectionHeader.SHT_NOBITS ? 0 : names.size(), "section name table");
    List<SectionHeader> named = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      SectionHeader s = raw.get(i);
      String name = nameIdx[i] == 0 ? "" : strtab.get(u32(nameIdx[i]), "section name");
      named.add(new SectionHeader(name, s.type(), s.flags(), s.addr(), s.offset(), s.size(), s.link(), s.info(),
          s.addralign(), s.entsize()));
    }
    return named;
  }

  private SectionHeader readSection(long shoff, int shentsize, String name) throws IOException, ElfFormatException {
    int min = in.is64() ? 64 : 40;
    if (shentsize < min) {
      throw in.error("section header entry size " + shentsize + " is smaller than " + min);
    }
    return section(in.read(shoff, min, "section header 0"), name);
  }

  /** Decodes one section header at the buffer's position, giving it {@code name}. */
  private SectionHeader section(ByteBuffer b, String name) {
    b.getInt(); // sh_name, resolved by the caller once .shstrtab is known
    int stype = b.getInt();
    long flags = in.word(b);
    long addr = in.word(b);
    long offset = in.word(b);
    long size = in.word(b);
    int link = b.getInt();
    int info = b.getInt();
    long addralign = in.word(b);
    long entsize = in.word(b);
    return new SectionHeader(name, stype, flags, addr, offset, size, link, info, addralign, entsize);
  }

  /** What the dynamic section says, and where its string table and version needs are. */
  private static final class Dynamic {
    final List<String> needed = new ArrayList<>();
    final List<String> rpath = new ArrayList<>();
    final List<String> runpath = new ArrayList<>();
    String soname;
    ElfInput.StringTable strtab;
    long verneed = -1;
    long verneedNum;
  }

  private Dynamic readDynamic(List<ProgramHeader> phs, List<SectionHeader> shs)
      throws IOException, ElfFormatException {
    Dynamic dyn = new Dynamic();
    dyn.strtab = in.strings(0, 0, "dynamic string table");
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
    int entSize = in.is64() ? 16 : 8;
    in.checkRange(off, size - size % entSize, "dynamic section");
    ElfInput.Table table = in.table(off, entSize, size / entSize, "dynamic section");
    List<Long> neededIdx = new ArrayList<>();
    List<Long> rpathIdx = new ArrayList<>();
    List<Long> runpathIdx = new ArrayList<>();
    long sonameIdx = -1;
    long strtabAddr = -1;
    long strsz = -1;
    for (long i = 0; i < table.count(); i++) {
      in.charge(entSize, "dynamic section");
      ByteBuffer b = table.entry(i);
      long tag = in.word(b);
      long val = in.word(b);
      if (tag == ElfNames.DT_NULL) {
        break;
      } else if (tag == ElfNames.DT_NEEDED) {
        neededIdx.add(val);
      } else if (tag == ElfNames.DT_SONAME) {
        sonameIdx = val;
      } else if (tag == ElfNames.DT_RPATH) {
        rpathIdx.add(val);
      } else if (tag == ElfNames.DT_RUNPATH) {
        runpathIdx.add(val);
      } else if (tag == ElfNames.DT_STRTAB) {
        strtabAddr = val;
      } else if (tag == ElfNames.DT_STRSZ) {
        strsz = val;
      } else if (tag == ElfNames.DT_VERNEED) {
        dyn.verneed = val;
      } else if (tag == ElfNames.DT_VERNEEDNUM) {
        dyn.verneedNum = val;
      }
    }
    // The loader finds the string table by address; sections are the fallback for files whose
    // DT_STRTAB does not map (a relocatable object, or a damaged header).
    long strOff = strtabAddr < 0 ? -1 : toFileOffset(phs, strtabAddr);
    if (strOff >= 0 && strsz >= 0) {
      dyn.strtab = in.strings(strOff, strsz, "dynamic string table");
    } else if (dynSection != null && dynSection.link() > 0 && dynSection.link() < shs.size()) {
      SectionHeader s = shs.get(dynSection.link());
      dyn.strtab = in.strings(s.offset(), s.size(), "dynamic string table");
    } else if (!neededIdx.isEmpty() || sonameIdx >= 0 || !rpathIdx.isEmpty() || !runpathIdx.isEmpty()) {
      throw in.error("the dynamic section names libraries but its string table cannot be located");
    }
    for (long i : neededIdx) {
      dyn.needed.add(dyn.strtab.get(i, ElfNames.dynamicTag(ElfNames.DT_NEEDED)));
    }
    if (sonameIdx >= 0) {
      dyn.soname = dyn.strtab.get(sonameIdx, ElfNames.dynamicTag(ElfNames.DT_SONAME));
    }
    for (long i : rpathIdx) {
      splitPath(dyn.strtab.get(i, ElfNames.dynamicTag(ElfNames.DT_RPATH)), dyn.rpath);
    }
    for (long i : runpathIdx) {
      splitPath(dyn.strtab.get(i, ElfNames.dynamicTag(ElfNames.DT_RUNPATH)), dyn.runpath);
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

  private List<VersionNeed> readVersionNeeds(List<ProgramHeader> phs, List<SectionHeader> shs, Dynamic dyn)
      throws IOException, ElfFormatException {
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
      throw in.error("version need count " + count + " is implausible");
    }
    List<VersionNeed> out = new ArrayList<>();
    int budget = MAX_VERSION_ENTRIES;
    for (long i = 0; i < count; i++) {
      // Elf_Verneed is 16 bytes in both classes: vn_version, vn_cnt (2 each), vn_file, vn_aux, vn_next (4 each)
      in.charge(16, "version need entry");
      ByteBuffer vn = in.read(off, 16, "version need entry");
      int cnt = Short.toUnsignedInt(vn.getShort(2));
      String file = dyn.strtab.get(u32(vn.getInt(4)), "version need file");
      long aux = off + u32(vn.getInt(8));
      long next = u32(vn.getInt(12));
      List<String> names = new ArrayList<>(cnt);
      for (int j = 0; j < cnt; j++) {
        if (--budget < 0) {
          throw in.error("version need entries form a loop");
        }
        // Elf_Vernaux: vna_hash (4), vna_flags (2), vna_other (2), vna_name (4), vna_next (4)
        in.charge(16, "version need auxiliary entry");
        ByteBuffer va = in.read(aux, 16, "version need auxiliary entry");
        names.add(dyn.strtab.get(u32(va.getInt(8)), "version name"));
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
}
