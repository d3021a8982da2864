package dev.layerslim.elf;

/**
 * The ELF constants the reader follows and the names a person reads for them: {@code e_type},
 * {@code e_machine}, {@code p_type} and {@code d_tag}. Pure tables, no parsing.
 */
final class ElfNames {
  private ElfNames() {}

  static final int DT_NULL = 0;
  static final int DT_NEEDED = 1;
  static final int DT_STRTAB = 5;
  static final int DT_STRSZ = 10;
  static final int DT_SONAME = 14;
  static final int DT_RPATH = 15;
  static final int DT_RUNPATH = 29;
  static final long DT_VERNEED = 0x6ffffffeL;
  static final long DT_VERNEEDNUM = 0x6fffffffL;

  /** {@code e_type}: {@code REL}, {@code EXEC}, {@code DYN}, {@code CORE}, or the number. */
  static String fileType(int type) {
    switch (type) {
      case 0: return "NONE";
      case ElfFile.ET_REL: return "REL";
      case ElfFile.ET_EXEC: return "EXEC";
      case ElfFile.ET_DYN: return "DYN";
      case 4: return "CORE";
      default: return Integer.toString(type);
    }
  }

  /** {@code e_machine}: a person's name, {@code x86-64}, {@code AArch64}, … or {@code machine N}. */
  static String machine(int machine) {
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

  /** {@code p_type}: the name {@code readelf -l} prints, {@code LOAD}, {@code DYNAMIC}, or the number in hex. */
  static String segmentType(int type) {
    switch (type) {
      case ProgramHeader.PT_NULL: return "NULL";
      case ProgramHeader.PT_LOAD: return "LOAD";
      case ProgramHeader.PT_DYNAMIC: return "DYNAMIC";
      case ProgramHeader.PT_INTERP: return "INTERP";
      case ProgramHeader.PT_NOTE: return "NOTE";
      case ProgramHeader.PT_PHDR: return "PHDR";
      case ProgramHeader.PT_TLS: return "TLS";
      case ProgramHeader.PT_GNU_EH_FRAME: return "GNU_EH_FRAME";
      case ProgramHeader.PT_GNU_STACK: return "GNU_STACK";
      case ProgramHeader.PT_GNU_RELRO: return "GNU_RELRO";
      case ProgramHeader.PT_GNU_PROPERTY: return "GNU_PROPERTY";
      default: return "0x" + Integer.toHexString(type);
    }
  }

  /** {@code d_tag}, for the tags whose values name strings: {@code DT_NEEDED}, … or the number in hex. */
  static String dynamicTag(long tag) {
    if (tag == DT_NEEDED) {
      return "DT_NEEDED";
    } else if (tag == DT_SONAME) {
      return "DT_SONAME";
    } else if (tag == DT_RPATH) {
      return "DT_RPATH";
    } else if (tag == DT_RUNPATH) {
      return "DT_RUNPATH";
    }
    return "0x" + Long.toHexString(tag);
  }
}
