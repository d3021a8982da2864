package dev.layerslim.elf;

import java.util.List;

/**
 * One entry of {@code .gnu.version_r} (DT_VERNEED): the symbol versions an object needs from one
 * library.
 *
 * @param file the library, as named in DT_NEEDED: {@code libc.so.6}
 * @param versions the version names, in file order: {@code GLIBC_2.2.5}, {@code GLIBC_2.28}
 */
public record VersionNeed(String file, List<String> versions) {
  public VersionNeed {
    versions = List.copyOf(versions);
  }
}
