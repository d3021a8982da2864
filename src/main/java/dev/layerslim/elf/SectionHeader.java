package dev.layerslim.elf;

/**
 * One section header of an ELF file, with its name resolved through {@code .shstrtab}.
 *
 * @param name like {@code .symtab}; empty when the section has no name
 * @param type {@code sh_type}: SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_NOBITS = 8, …
 * @param flags {@code sh_flags}
 * @param addr {@code sh_addr}
 * @param offset {@code sh_offset}
 * @param size {@code sh_size}
 * @param link {@code sh_link}
 * @param info {@code sh_info}
 * @param addralign {@code sh_addralign}
 * @param entsize {@code sh_entsize}
 */
public record SectionHeader(String name, int type, long flags, long addr, long offset, long size, int link,
    int info, long addralign, long entsize) {
  public static final int SHT_NULL = 0;
  public static final int SHT_SYMTAB = 2;
  public static final int SHT_STRTAB = 3;
  public static final int SHT_DYNAMIC = 6;
  public static final int SHT_NOBITS = 8;
  public static final int SHT_GNU_VERNEED = 0x6ffffffe;
}
