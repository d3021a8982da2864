package dev.layerslim.elf;

/**
 * One program header (segment) of an ELF file, with 32-bit values widened to {@code long}.
 *
 * @param type {@code p_type}: {@link #PT_LOAD}, {@link #PT_DYNAMIC}, …
 * @param flags {@code p_flags}: PF_X = 1, PF_W = 2, PF_R = 4
 * @param offset {@code p_offset}, where the segment's bytes start in the file
 * @param vaddr {@code p_vaddr}, where they are mapped
 * @param filesz {@code p_filesz}, bytes taken from the file
 * @param memsz {@code p_memsz}, bytes in memory (the rest zero-filled)
 * @param align {@code p_align}; 0 and 1 mean no alignment
 */
public record ProgramHeader(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {
  public static final int PT_NULL = 0;
  public static final int PT_LOAD = 1;
  public static final int PT_DYNAMIC = 2;
  public static final int PT_INTERP = 3;
  public static final int PT_NOTE = 4;
  public static final int PT_PHDR = 6;
  public static final int PT_TLS = 7;
  public static final int PT_GNU_EH_FRAME = 0x6474e550;
  public static final int PT_GNU_STACK = 0x6474e551;
  public static final int PT_GNU_RELRO = 0x6474e552;
  public static final int PT_GNU_PROPERTY = 0x6474e553;

  /** The name {@code readelf -l} prints: {@code LOAD}, {@code DYNAMIC}, or the number in hex. */
  public String typeName() {
    return ElfNames.segmentType(type);
  }

  /** True when {@code [off, off+len)} lies inside this segment's file bytes. */
  public boolean containsFileRange(long off, long len) {
    return off >= offset && len >= 0 && off - offset <= filesz && len <= filesz - (off - offset);
  }

  /** True when virtual address {@code addr} is backed by this segment's file bytes. */
  boolean mapsFileAddress(long addr) {
    return Long.compareUnsigned(addr, vaddr) >= 0 && Long.compareUnsigned(addr - vaddr, filesz) < 0;
  }
}
