package dev.layerslim.elf;

/**
 * The ELF file header, as the file has it: counts are the raw 16-bit fields, before the reader
 * resolves extended numbering through section header 0.
 *
 * @param elfClass 32 or 64
 * @param bigEndian the byte order of every multi-byte field
 * @param type {@code e_type}
 * @param machine {@code e_machine}
 * @param phoff {@code e_phoff}, where the program header table starts
 * @param phentsize {@code e_phentsize}
 * @param phnum {@code e_phnum}; 0xffff (PN_XNUM) means the count is in section header 0's {@code sh_info}
 * @param shoff {@code e_shoff}, where the section header table starts; 0 when there is none
 * @param shentsize {@code e_shentsize}
 * @param shnum {@code e_shnum}; 0 with a non-zero {@code e_shoff} means the count is in section 0's {@code sh_size}
 * @param shstrndx {@code e_shstrndx}; 0xffff (SHN_XINDEX) means it is in section 0's {@code sh_link}
 */
record ElfHeader(int elfClass, boolean bigEndian, int type, int machine, long phoff, int phentsize, int phnum,
    long shoff, int shentsize, int shnum, int shstrndx) {
  static final int PN_XNUM = 0xffff;
  static final int SHN_XINDEX = 0xffff;

  boolean is64() {
    return elfClass == 64;
  }
}
