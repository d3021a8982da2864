package dev.layerslim.elf;

import java.util.List;

/**
 * What the dynamic section names, with strings resolved.
 *
 * @param needed DT_NEEDED, in order
 * @param soname DT_SONAME, or null when there is none
 * @param rpath DT_RPATH, split at ':'
 * @param runpath DT_RUNPATH, split at ':'
 */
record DynamicSection(List<String> needed, String soname, List<String> rpath, List<String> runpath) {
  static final DynamicSection NONE = new DynamicSection(List.of(), null, List.of(), List.of());

  DynamicSection {
    needed = List.copyOf(needed);
    rpath = List.copyOf(rpath);
    runpath = List.copyOf(runpath);
  }
}
