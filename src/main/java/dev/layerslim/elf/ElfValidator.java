package dev.layerslim.elf;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks the load-time invariants that a rewritten ELF object must keep for the dynamic loader
 * to map it. Used after {@code strip}: on libraries patchelf has rewritten (auditwheel's vendored
 * {@code *.libs}), binutils strip can produce a file whose {@code PT_LOAD} offsets no longer agree
 * with their addresses, and {@code dlopen} then fails with "ELF load command address/offset not
 * page-aligned" (numpy.libs/libscipy_openblas64_ and libgfortran, and their scipy twins, in the GIS tree).
 *
 * <p>The checks:
 * <ul>
 *   <li>every {@code PT_LOAD} with {@code p_align > 1} keeps {@code p_offset ≡ p_vaddr (mod p_align)};
 *   <li>every {@code PT_LOAD} has {@code p_filesz ≤ p_memsz};
 *   <li>every segment's file bytes lie within the file;
 *   <li>{@code PT_DYNAMIC} lies inside the file bytes of one {@code PT_LOAD}.
 * </ul>
 */
public final class ElfValidator {
  private ElfValidator() {}

  /** The problems found, each a sentence naming the file and the segment; empty when it is sound. */
  public static List<String> validate(ElfFile elf) {
    List<String> problems = new ArrayList<>();
    List<ProgramHeader> phs = elf.programHeaders();
    String file = elf.path().toString();
    for (int i = 0; i < phs.size(); i++) {
      ProgramHeader ph = phs.get(i);
      String seg = "segment " + i + " (" + ph.typeName() + ")";
      if (ph.filesz() != 0 && (ph.offset() < 0 || ph.filesz() < 0
          || Long.compareUnsigned(ph.filesz(), elf.fileSize()) > 0 || ph.offset() > elf.fileSize() - ph.filesz())) {
        problems.add(file + ": " + seg + " covers file bytes " + hex(ph.offset()) + "+" + hex(ph.filesz())
            + " but the file has only " + elf.fileSize() + " bytes");
      }
      if (ph.type() != ProgramHeader.PT_LOAD) {
        continue;
      }
      if (Long.compareUnsigned(ph.align(), 1) > 0) {
        long offMod = Long.remainderUnsigned(ph.offset(), ph.align());
        long addrMod = Long.remainderUnsigned(ph.vaddr(), ph.align());
        if (offMod != addrMod) {
          problems.add(file + ": " + seg + " has p_offset " + hex(ph.offset()) + " and p_vaddr " + hex(ph.vaddr())
              + " that disagree modulo p_align " + hex(ph.align()) + " (" + hex(offMod) + " != " + hex(addrMod)
              + "): the loader cannot map it (\"ELF load command address/offset not page-aligned\")");
        }
      }
      if (Long.compareUnsigned(ph.filesz(), ph.memsz()) > 0) {
        problems.add(file + ": " + seg + " has p_filesz " + hex(ph.filesz()) + " larger than p_memsz "
            + hex(ph.memsz()));
      }
    }
    for (ProgramHeader dyn : phs) {
      if (dyn.type() != ProgramHeader.PT_DYNAMIC) {
        continue;
      }
      boolean inside = false;
      for (ProgramHeader load : phs) {
        if (load.type() == ProgramHeader.PT_LOAD && load.filesz() > 0
            && load.containsFileRange(dyn.offset(), dyn.filesz())) {
          inside = true;
          break;
        }
      }
      if (!inside) {
        problems.add(file + ": the DYNAMIC segment (file bytes " + hex(dyn.offset()) + "+" + hex(dyn.filesz())
            + ") does not lie inside the file bytes of any LOAD segment");
      }
    }
    return problems;
  }

  private static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }
}
