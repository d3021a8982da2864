package dev.layerslim.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.testing.Wheels;
import java.io.IOException;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfValidatorTest {
  @TempDir Path dir;

  @Test
  void validate_gccLibraryAndItsStrippedCopy_noProblems() throws Exception {
    Path so = ElfFixtures.debugLibrary(dir, "libdemo.so");
    assertEquals(List.of(), ElfValidator.validate(ElfFile.read(so)));
    Path stripped = ElfFixtures.strippedCopy(so, dir.resolve("stripped.so"));
    assertEquals(List.of(), ElfValidator.validate(ElfFile.read(stripped)));
  }

  @Test
  void validate_misalignedLoadSegment_reported() throws Exception {
    Path so = ElfFixtures.debugLibrary(dir, "libdemo.so");
    ElfFixtures.misalignLoadSegment(so);
    List<String> problems = ElfValidator.validate(ElfFile.read(so));
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(so + ": segment ") && p.contains("(LOAD)")
        && p.contains("disagree modulo p_align 0x1000")), problems.toString());
    // and the real loader agrees: dlopen refuses the file the validator rejects
    assertThrows(IOException.class, () -> Wheels.python("import ctypes; ctypes.CDLL('" + so + "')"));
  }

  @Test
  void validate_dynamicOutsideLoad_reported() throws Exception {
    Path so = ElfFixtures.debugLibrary(dir, "libdemo.so");
    ElfFixtures.moveDynamicOutOfLoad(so);
    List<String> problems = ElfValidator.validate(ElfFile.read(so));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("DYNAMIC segment"), problems.toString());
  }
}
