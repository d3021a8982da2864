package dev.layerslim.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.compat.CompatFinding.Severity;
import dev.layerslim.elf.ElfFixtures;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Target;
import dev.layerslim.testing.Wheels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompatCheckerTest {
  private static final Target PY311_X86 = Target.of("3.11", "x86_64", null);

  @TempDir Path dir;

  private List<CompatFinding> check(Target target, Set<String> extra, Path root) throws IOException {
    return new CompatChecker(target, extra).check(root, LayerTree.scan(root).files(), p -> "demo");
  }

  private static void deleteSources(Path root) throws IOException {
    try (var s = Files.walk(root)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".c")).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void glibc_statxNeeds228_errorOnAmazonLinux2_passesOnNewerGlibc() throws Exception {
    Path root = dir.resolve("layer");
    Path so = Wheels.compileSharedLibrary(root.resolve("pkg"), "_statx.so",
        "#define _GNU_SOURCE\n#include <fcntl.h>\n#include <sys/stat.h>\n"
            + "int probe(void) { struct statx s; return statx(AT_FDCWD, \"/\", 0, STATX_BASIC_STATS, &s); }\n");
    deleteSources(root);
    // the fixture really references the version, as binutils sees it
    assertTrue(Wheels.run(List.of("objdump", "-T", so.toString())).contains("GLIBC_2.28"));

    List<CompatFinding> findings = check(PY311_X86, Set.of(), root);
    assertEquals(List.of(new CompatFinding("pkg/_statx.so", "demo", Severity.ERROR, findings.get(0).problem(),
        "GLIBC_2.28", "glibc 2.26 (Amazon Linux 2, python3.11)")), findings);
    assertTrue(findings.get(0).problem().startsWith("pkg/_statx.so needs GLIBC_2.28"), findings.get(0).problem());

    assertEquals(List.of(), check(Target.of("3.11", "x86_64", "2.36"), Set.of(), root));
    assertEquals(List.of(), check(Target.of("3.12", "x86_64", null), Set.of(), root), "AL2023 has glibc 2.34");
  }

  @Test
  void needed_resolvedThroughOriginRpathAndSameFolder_noFindings() throws Exception {
    Path root = dir.resolve("layer");
    Path libs = root.resolve("mylib.libs");
    Wheels.compileSharedLibrary(libs, "libhelper-1a2b.so.1", "int helper(void) { return 1; }\n",
        "-Wl,-soname,libhelper-1a2b.so.1");
    Wheels.compileSharedLibrary(root.resolve("mylib"), "_ext.cpython-311-x86_64-linux-gnu.so",
        "int helper(void);\nint ext(void) { return helper(); }\n",
        "-L" + libs, "-l:libhelper-1a2b.so.1", "-Wl,-rpath,$ORIGIN/../mylib.libs");
    Path pkg = root.resolve("pkg");
    Wheels.compileSharedLibrary(pkg, "libsame.so", "int same(void) { return 2; }\n");
    Wheels.compileSharedLibrary(pkg, "_user.so", "int same(void);\nint user(void) { return same(); }\n",
        "-L" + pkg, "-lsame");
    deleteSources(root);

    assertEquals(List.of(), check(PY311_X86, Set.of(), root));

    // the lookups are real: without the libraries, both objects are reported
    Files.delete(libs.resolve("libhelper-1a2b.so.1"));
    Files.delete(pkg.resolve("libsame.so"));
    List<CompatFinding> findings = check(PY311_X86, Set.of(), root);
    assertEquals(List.of("mylib/_ext.cpython-311-x86_64-linux-gnu.so needs libhelper-1a2b.so.1",
        "pkg/_user.so needs libsame.so"),
        findings.stream().map(f -> f.file() + " needs " + f.needed()).toList());
    assertTrue(findings.stream().allMatch(f -> f.severity() == Severity.WARNING));
  }

  @Test
  void needed_providedByNobody_warningUnlessDeclaredExtra() throws Exception {
    Path build = dir.resolve("build");
    Wheels.compileSharedLibrary(build, "libnowhere.so.1", "int nowhere(void) { return 3; }\n",
        "-Wl,-soname,libnowhere.so.1");
    Path root = dir.resolve("layer");
    Wheels.compileSharedLibrary(root.resolve("pkg"), "_lonely.so", "int nowhere(void);\nint f(void) { return nowhere(); }\n",
        "-L" + build, "-l:libnowhere.so.1");
    deleteSources(root);

    List<CompatFinding> findings = check(PY311_X86, Set.of(), root);
    assertEquals(1, findings.size(), findings.toString());
    CompatFinding f = findings.get(0);
    assertEquals(Severity.WARNING, f.severity());
    assertEquals("pkg/_lonely.so", f.file());
    assertEquals("libnowhere.so.1", f.needed());
    assertTrue(f.problem().contains("neither the layer nor the python3.11 x86_64 runtime"), f.problem());

    assertEquals(List.of(), check(PY311_X86, Set.of("libnowhere.so.1"), root));
  }

  @Test
  void abiTag_otherPythonIsError_abi3AndMatchingTagPass() throws Exception {
    Path root = dir.resolve("layer");
    Path so = ElfFixtures.debugLibrary(dir.resolve("build"), "plain.so");
    Path pkg = Files.createDirectories(root.resolve("pkg"));
    for (String name : List.of("_a.cpython-312-x86_64-linux-gnu.so", "_b.abi3.so",
        "_c.cpython-311-x86_64-linux-gnu.so", "_d.so", "_e.cpython-311-x86_64-linux-musl.so")) {
      Files.copy(so, pkg.resolve(name));
    }

    List<CompatFinding> findings = check(PY311_X86, Set.of(), root);
    assertEquals(List.of("pkg/_a.cpython-312-x86_64-linux-gnu.so ERROR cpython-312-x86_64-linux-gnu",
        "pkg/_e.cpython-311-x86_64-linux-musl.so ERROR cpython-311-x86_64-linux-musl"),
        findings.stream().map(f -> f.file() + " " + f.severity() + " " + f.needed()).toList());
    assertEquals("cpython-311-x86_64-linux-gnu", findings.get(0).available());
    assertTrue(findings.get(0).problem().contains("CPython 3.12"), findings.get(0).problem());
  }

  @Test
  void machine_x86ObjectInArm64Target_error() throws Exception {
    Path root = dir.resolve("layer");
    ElfFixtures.debugLibrary(root.resolve("pkg"), "_native.so");
    deleteSources(root);

    List<CompatFinding> findings = check(Target.of("3.11", "arm64", null), Set.of(), root);
    CompatFinding f = findings.stream().filter(x -> x.needed().equals("x86-64")).findFirst().orElseThrow();
    assertEquals(Severity.ERROR, f.severity());
    assertEquals("AArch64 (python3.11 arm64)", f.available());
    assertEquals(1, findings.size(), "libc/libm count as provided on arm64 too: " + findings);
  }

  @Test
  void machine_objectRewrittenToAarch64InX86Target_error() throws Exception {
    Path root = dir.resolve("layer");
    Path so = ElfFixtures.debugLibrary(root.resolve("pkg"), "_arm.so");
    deleteSources(root);
    ElfFixtures.setMachine(so, 183);

    List<CompatFinding> findings = check(PY311_X86, Set.of(), root);
    assertEquals(1, findings.size(), findings.toString());
    assertEquals(Severity.ERROR, findings.get(0).severity());
    assertEquals("AArch64", findings.get(0).needed());
    assertEquals("x86-64 (python3.11 x86_64)", findings.get(0).available());
    assertTrue(findings.get(0).problem().startsWith("pkg/_arm.so is built for AArch64"), findings.get(0).problem());
  }
}
