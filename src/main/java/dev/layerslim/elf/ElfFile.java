package dev.layerslim.elf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The parts of an ELF object layerslim needs: header, program headers, section headers, the
 * dynamic section (DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH) and the version needs
 * ({@code .gnu.version_r}). ELF32 and ELF64, either byte order.
 *
 * <p>{@link #read} parses a file ({@link ElfReader}); truncated or garbage input gives an
 * {@link ElfFormatException} naming the file. Instances are immutable and hold no open file.
 */
public final class ElfFile {
  public static final int ET_REL = 1;
  public static final int ET_EXEC = 2;
  public static final int ET_DYN = 3;

  private final Path path;
  private final long fileSize;
  private final ElfHeader header;
  private final List<ProgramHeader> programHeaders;
  private final List<SectionHeader> sectionHeaders;
  private final DynamicSection dynamic;
  private final List<VersionNeed> versionNeeds;

  ElfFile(Path path, long fileSize, ElfHeader header, List<ProgramHeader> programHeaders,
      List<SectionHeader> sectionHeaders, DynamicSection dynamic, List<VersionNeed> versionNeeds) {
    this.path = path;
    this.fileSize = fileSize;
    this.header = header;
    this.programHeaders = List.copyOf(programHeaders);
    this.sectionHeaders = List.copyOf(sectionHeaders);
    this.dynamic = dynamic;
    this.versionNeeds = List.copyOf(versionNeeds);
  }

  /**
   * Reads the ELF tables of {@code file}.
   *
   * @throws ElfFormatException when the file is not ELF or its tables are malformed or truncated
   * @throws IOException when the file cannot be read
   */
  public static ElfFile read(Path file) throws IOException, ElfFormatException {
    return ElfReader.read(file);
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
    return header.elfClass();
  }

  public boolean bigEndian() {
    return header.bigEndian();
  }

  /** {@code e_type}: {@link #ET_REL}, {@link #ET_EXEC}, {@link #ET_DYN}, … */
  public int type() {
    return header.type();
  }

  /** {@code REL}, {@code EXEC}, {@code DYN}, {@code CORE}, or the number. */
  public String typeName() {
    return ElfNames.fileType(header.type());
  }

  /** {@code e_machine}: 62 for x86-64, 183 for AArch64. */
  public int machine() {
    return header.machine();
  }

  /** A person's name for {@link #machine()}: {@code x86-64}, {@code AArch64}, … */
  public String machineName() {
    return machineName(header.machine());
  }

  /** A person's name for an {@code e_machine} value. */
  public static String machineName(int machine) {
    return ElfNames.machine(machine);
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
    return dynamic.needed();
  }

  /** DT_SONAME, when there is one. */
  public Optional<String> soname() {
    return Optional.ofNullable(dynamic.soname());
  }

  /** DT_RPATH, split at ':': {@code $ORIGIN/../foo.libs}. */
  public List<String> rpath() {
    return dynamic.rpath();
  }

  /** DT_RUNPATH, split at ':'. When present, the loader ignores DT_RPATH. */
  public List<String> runpath() {
    return dynamic.runpath();
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
    return "ElfFile[" + path + ", ELF" + elfClass() + (bigEndian() ? " BE" : " LE") + ", " + typeName() + ", "
        + machineName() + "]";
  }

}
