package dev.layerslim.strip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.elf.ElfFile;
import dev.layerslim.elf.ElfFixtures;
import dev.layerslim.elf.ElfValidator;
import dev.layerslim.elf.ProgramHeader;
import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.python.ProcessRunner;
import dev.layerslim.python.ProcessRunner.ProcessResult;
import dev.layerslim.python.SystemProcessRunner;
import dev.layerslim.strip.StripOutcome.Status;
import dev.layerslim.testing.Wheels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeStripperTest {
  @TempDir Path dir;

  /** A layer with a debug library, an auditwheel-style vendored library, a stripped one, a link and a text file. */
  private Path layer() throws IOException {
    Path root = dir.resolve("layer");
    Path pkg = root.resolve("pkg");
    Path libs = root.resolve("pkg.libs");
    ElfFixtures.debugLibrary(pkg, "libdemo.so");
    ElfFixtures.debugLibrary(libs, "libfoo-1a2b.so.5.0.0");
    Path stripped = ElfFixtures.debugLibrary(dir.resolve("build"), "libpre.so");
    ElfFixtures.strippedCopy(stripped, pkg.resolve("already.so"));
    Files.createSymbolicLink(pkg.resolve("link.so"), Path.of("libdemo.so"));
    Files.writeString(pkg.resolve("__init__.py"), "X = 1\n");
    for (Path p : List.of(pkg.resolve("libdemo.so.c"), libs.resolve("libfoo-1a2b.so.5.0.0.c"))) {
      Files.delete(p);
    }
    Files.setPosixFilePermissions(pkg.resolve("libdemo.so"), PosixFilePermissions.fromString("rwxr-x---"));
    return root;
  }

  private static Map<String, StripOutcome> byPath(StripSummary s) {
    return s.outcomes().stream().collect(Collectors.toMap(StripOutcome::path, Function.identity()));
  }

  private static List<String> leftovers(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".layerslim-strip-")).toList();
    }
  }

  @Test
  void strip_realStrip_shrinksValidatesKeepsPermissionsAndStillLoads() throws Exception {
    Path root = layer();
    LayerTree tree = LayerTree.scan(root);
    long linkBefore = tree.get("pkg/link.so").size();
    List<StripOutcome> seen = new ArrayList<>();

    StripSummary summary = new SafeStripper(new SystemProcessRunner(), "strip", 2)
        .strip(root, tree.files(), seen::add);

    assertFalse(summary.skipped());
    Map<String, StripOutcome> out = byPath(summary);
    // non-ELF files and the link itself are not considered; the file the link points to is
    assertEquals(List.of("pkg.libs/libfoo-1a2b.so.5.0.0", "pkg/already.so", "pkg/libdemo.so"),
        summary.outcomes().stream().map(StripOutcome::path).toList());
    assertEquals(3, seen.size());
    assertEquals(Status.NOTHING_TO_STRIP, out.get("pkg/already.so").status());
    for (String p : List.of("pkg/libdemo.so", "pkg.libs/libfoo-1a2b.so.5.0.0")) {
      StripOutcome o = out.get(p);
      assertEquals(Status.STRIPPED, o.status(), o.reason());
      assertTrue(o.after() < o.before(), p + " shrank");
      Path file = root.resolve(p);
      assertEquals(o.after(), Files.size(file));
      ElfFile elf = ElfFile.read(file);
      assertFalse(elf.hasStrippableContent());
      assertEquals(List.of(), ElfValidator.validate(elf));
      // the dynamic loader still accepts it
      Wheels.python("import ctypes; ctypes.CDLL(" + pyString(file) + ").layerslim_demo");
    }
    assertEquals("rwxr-x---", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(root.resolve("pkg/libdemo.so"))));
    assertTrue(Files.isSymbolicLink(root.resolve("pkg/link.so")), "the link stays a link");
    assertTrue(linkBefore > Files.size(root.resolve("pkg/link.so")), "the link now shows the stripped target");
    assertEquals(summary.bytesBefore() - summary.bytesAfter(), summary.bytesSaved());
    assertTrue(summary.bytesSaved() > 0);
    assertEquals(List.of(), leftovers(root));
  }

  /** A strip that "succeeds" but writes a misaligned copy: what binutils does to patchelf'd libraries. */
  private static final ProcessRunner MISALIGNING_STRIP = request -> {
    List<String> cmd = request.command();
    Path output = Path.of(cmd.get(cmd.indexOf("-o") + 1));
    Path input = Path.of(cmd.get(cmd.size() - 1));
    Files.copy(input, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    ElfFixtures.misalignLoadSegment(output);
    return new ProcessResult(0, "", false, 1);
  };

  @Test
  void strip_resultFailsValidation_symbolTablesRemovedKeepingEveryLoadedByteWhereItWas() throws Exception {
    Path root = layer();
    Path lib = root.resolve("pkg/libdemo.so");
    ElfFile original = ElfFile.read(lib);
    byte[] originalBytes = Files.readAllBytes(lib);
    List<FileEntry> only = List.of(LayerTree.scan(root).get("pkg/libdemo.so"));

    StripSummary summary = new SafeStripper(MISALIGNING_STRIP, "strip", 2).strip(root, only, o -> { });

    StripOutcome o = summary.outcomes().get(0);
    assertEquals(Status.STRIPPED_KEEPING_LAYOUT, o.status(), o.reason());
    assertTrue(o.reason().contains("p_align") && o.reason().contains(".symtab"), o.reason());
    assertTrue(o.after() < o.before() && o.after() == Files.size(lib), o.toString());
    ElfFile stripped = ElfFile.read(lib);
    assertFalse(stripped.hasStrippableContent(), "no .symtab, .strtab or .debug_* left");
    assertEquals(List.of(), ElfValidator.validate(stripped));
    // every segment keeps its address, sizes and bytes; only where it sits in the file may change
    assertEquals(original.programHeaders().size(), stripped.programHeaders().size());
    byte[] now = Files.readAllBytes(lib);
    for (int i = 0; i < original.programHeaders().size(); i++) {
      var a = original.programHeaders().get(i);
      var b = stripped.programHeaders().get(i);
      assertEquals(List.of(a.type(), a.vaddr(), a.filesz(), a.memsz(), a.align()),
          List.of(b.type(), b.vaddr(), b.filesz(), b.memsz(), b.align()), "segment " + i);
      if (a.type() == ProgramHeader.PT_LOAD && a.offset() > 0) {
        assertArrayEquals(java.util.Arrays.copyOfRange(originalBytes, (int) a.offset(), (int) (a.offset() + a.filesz())),
            java.util.Arrays.copyOfRange(now, (int) b.offset(), (int) (b.offset() + b.filesz())), "segment " + i);
      }
    }
    assertTrue(stripped.section(".dynsym").isPresent() && stripped.section(".shstrtab").isPresent());
    // binutils reads it, and the dynamic loader loads it and finds the function
    Wheels.run(List.of("readelf", "-a", "-W", lib.toString()));
    Wheels.python("import ctypes; ctypes.CDLL(" + pyString(lib) + ").layerslim_demo");
    assertEquals(List.of(), leftovers(root));
  }

  @Test
  void strip_bothCopiesFailValidation_originalKeptAndRejected() throws Exception {
    Path root = layer();
    Path lib = root.resolve("pkg/libdemo.so");
    // an original that is itself misaligned: no copy of it can validate
    ElfFixtures.misalignLoadSegment(lib);
    byte[] original = Files.readAllBytes(lib);
    List<FileEntry> only = List.of(LayerTree.scan(root).get("pkg/libdemo.so"));

    StripSummary summary = new SafeStripper(MISALIGNING_STRIP, "strip", 2).strip(root, only, o -> { });

    StripOutcome o = summary.outcomes().get(0);
    assertEquals(Status.REJECTED, o.status());
    assertTrue(o.reason().contains("pkg/libdemo.so") && o.reason().contains("p_align"), o.reason());
    assertEquals(o.before(), o.after());
    assertEquals(0, summary.bytesSaved());
    assertArrayEquals(original, Files.readAllBytes(lib), "the original bytes are intact");
    assertEquals(List.of(), leftovers(root));
  }

  @Test
  void strip_stripExitsNonZero_failedOriginalKept() throws Exception {
    Path root = layer();
    byte[] original = Files.readAllBytes(root.resolve("pkg/libdemo.so"));
    ProcessRunner failing = request -> new ProcessResult(1, "strip: pkg/libdemo.so: file format not recognized", false, 1);

    StripSummary summary = new SafeStripper(failing, "strip", 1).strip(root, LayerTree.scan(root).files(), o -> { });

    StripOutcome o = byPath(summary).get("pkg/libdemo.so");
    assertEquals(Status.FAILED, o.status());
    assertTrue(o.reason().contains("exited 1") && o.reason().contains("file format not recognized"), o.reason());
    assertArrayEquals(original, Files.readAllBytes(root.resolve("pkg/libdemo.so")));
    assertEquals(List.of(), leftovers(root));
  }

  @Test
  void strip_missingStripBinary_skippedAndNothingChanged() throws Exception {
    Path root = layer();
    byte[] demo = Files.readAllBytes(root.resolve("pkg/libdemo.so"));
    byte[] foo = Files.readAllBytes(root.resolve("pkg.libs/libfoo-1a2b.so.5.0.0"));
    List<StripOutcome> seen = new ArrayList<>();

    StripSummary summary = new SafeStripper(new SystemProcessRunner(), "/nonexistent/bin/strip", 2)
        .strip(root, LayerTree.scan(root).files(), seen::add);

    assertTrue(summary.skipped());
    assertTrue(summary.skipReason().contains("/nonexistent/bin/strip"), summary.skipReason());
    assertEquals(List.of(), summary.outcomes());
    assertEquals(List.of(), seen);
    assertArrayEquals(demo, Files.readAllBytes(root.resolve("pkg/libdemo.so")));
    assertArrayEquals(foo, Files.readAllBytes(root.resolve("pkg.libs/libfoo-1a2b.so.5.0.0")));
    assertEquals(List.of(), leftovers(root));
  }

  private static String pyString(Path p) {
    return "'" + p.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  @Test
  void rejection_countsFurtherProblemsAsProblems_notAsFiles() {
    assertEquals("stripped copy would not load; original kept: a/lib.so: bad segment (and 1 more problem)",
        SafeStripper.rejection(List.of("/tmp/x1: bad segment", "other"), "/tmp/x1", "a/lib.so"));
    assertEquals("stripped copy would not load; original kept: a/lib.so: bad (and 2 more problems)",
        SafeStripper.rejection(List.of("/tmp/x1: bad", "b", "c"), "/tmp/x1", "a/lib.so"));
    assertEquals("stripped copy would not load; original kept: a/lib.so: bad",
        SafeStripper.rejection(List.of("/tmp/x1: bad"), "/tmp/x1", "a/lib.so"));
  }
}
