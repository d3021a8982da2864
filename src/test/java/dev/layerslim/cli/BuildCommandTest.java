package dev.layerslim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerslim.testing.Wheels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** {@code layerslim build} end to end, on wheels built here and installed by the real pip. */
@Execution(ExecutionMode.CONCURRENT)
class BuildCommandTest {
  @TempDir static Path shared;
  static Path wheels;
  static Path site;

  @TempDir Path tmp;

  /** The site as pip installed it, before any build read it. */
  static Map<String, String> siteBefore;

  @BeforeAll
  static void buildWheels() throws Exception {
    site = site(shared.resolve("site"));
    wheels = shared.resolve("wheels");
    siteBefore = fingerprint(site);
  }

  private static CliRun defaultBuild;

  /** {@code build --site-packages SITE -o OUT} with every other setting left at its default, run once. */
  private static synchronized CliRun defaultBuild() {
    if (defaultBuild == null) {
      defaultBuild = CliRun.of("build", "--site-packages", site.toString(), "-o", defaultOut().toString());
    }
    return defaultBuild;
  }

  private static Path defaultOut() {
    return shared.resolve("default-out");
  }

  /**
   * fastgeo (a C extension built with gcc -g, a script, a dependency) and purehelper, installed by pip into
   * {@code target}; the wheels are in the folder {@code wheels} beside it.
   */
  static Path site(Path target) throws IOException {
    Path ext = Wheels.compileExtension(target.resolveSibling("ext"), "_speedups");
    Wheels.site(target, List.of(Wheels.wheel("fastgeo", "1.0")
        .file("fastgeo/__init__.py", "from fastgeo._speedups import answer\n")
        .file("fastgeo/_speedups" + Wheels.extSuffix(), ext)
        .file("fastgeo/bin-tool", "#!/bin/sh\necho hi\n")
        .tag("cp311-cp311-manylinux2014_x86_64")
        .requires("purehelper>=0.1"),
        Wheels.wheel("purehelper", "0.3").file("purehelper/__init__.py", "VALUE = 'x' * 1000\n")), "fastgeo");
    // the test wheel carries no file modes; a real wheel's extension module is executable
    Path so = target.resolve("fastgeo/_speedups" + Wheels.extSuffix());
    Files.setPosixFilePermissions(so, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    return target;
  }

  private Path requirements(String... lines) throws IOException {
    return Files.writeString(tmp.resolve("requirements.txt"), String.join("\n", lines) + "\n");
  }

  @Test
  void build_fromRequirements_reportSizesEqualBytesOnDisk() throws Exception {
    Path out = tmp.resolve("out");
    CliRun run = CliRun.of("build", "-r", requirements("fastgeo").toString(), "--no-index", "--find-links",
        wheels.toString(), "-o", out.toString(), "--no-smoke");
    assertEquals(0, run.exitCode(), run.all());
    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals(1, report.path("schemaVersion").asInt());
    assertEquals("targeted", report.path("install").path("mode").asText(), "host glibc is newer than 2.26");
    assertFalse(report.path("smoke").path("ran").asBoolean(true), "--no-smoke is said, not left out");
    assertEquals("--no-smoke", report.path("smoke").path("reason").asText());

    Path layer = out.resolve("layer/python");
    Map<String, Long> onDisk = sizesByTop(layer);
    long total = onDisk.values().stream().mapToLong(Long::longValue).sum();
    assertEquals(total, report.path("totals").path("unzippedBytes").asLong());
    assertEquals(Files.size(out.resolve("layer.zip")), report.path("totals").path("zippedBytes").asLong());
    long sumPackages = 0;
    for (JsonNode p : report.path("packages")) {
      sumPackages += p.path("unzippedBytes").asLong();
    }
    assertEquals(total, sumPackages, "every byte is attributed to exactly one row");
    JsonNode helper = find(report, "purehelper");
    assertEquals("0.3", helper.path("version").asText());
    assertEquals(onDisk.get("purehelper") + onDisk.get("purehelper-0.3.dist-info"),
        helper.path("unzippedBytes").asLong());
    assertTrue(Files.exists(out.resolve("pip.log")));
    assertFalse(Files.exists(out.resolve("INCOMPLETE")));
    assertTrue(Files.readString(out.resolve("report.md")).contains("| purehelper | 0.3 |"));
  }

  @Test
  void build_withColdPathPycs_isByteIdenticalAcrossOutputFoldersAndNamesLambdaPaths() throws Exception {
    Path handler = Files.writeString(tmp.resolve("app.py"),
        "import fastgeo\n\ndef handler(event, context):\n    return {'v': fastgeo.answer()}\n");
    Path a = tmp.resolve("first");
    Path b = tmp.resolve("second/elsewhere");
    for (Path out : List.of(a, b)) {
      CliRun run = CliRun.of("build", "--site-packages", site.toString(), "--handler", handler.toString(),
          "--handler-function", "app.handler", "-o", out.toString());
      assertEquals(0, run.exitCode(), run.all());
    }
    Path pyc = a.resolve("layer/python/fastgeo/__pycache__/__init__.cpython-311.pyc");
    assertTrue(Files.exists(pyc), "cold-path compiled the imported module");
    assertArrayEquals(Files.readAllBytes(a.resolve("layer.zip")), Files.readAllBytes(b.resolve("layer.zip")));
    String filename = Wheels.python("import marshal, sys; print(marshal.loads(open(sys.argv[1], 'rb').read()[16:])"
        .replace("sys.argv[1]", "'" + pyc + "'") + ".co_filename)").trim();
    assertEquals("/opt/python/fastgeo/__init__.py", filename, "tracebacks on Lambda name /opt paths");
    JsonNode smoke = new ObjectMapper().readTree(a.resolve("report.json").toFile()).path("smoke");
    assertTrue(smoke.path("ran").asBoolean() && smoke.path("passed").asBoolean(), smoke.toString());
  }

  @Test
  void build_withoutAHandler_coldPathCompilesEveryModuleRatherThanNone() throws Exception {
    Path out = defaultOut();
    CliRun run = defaultBuild();
    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.err().contains("compiling every module instead"), run.all());
    assertTrue(Files.exists(out.resolve("layer/python/fastgeo/__pycache__/__init__.cpython-311.pyc")));
    assertTrue(Files.exists(out.resolve("layer/python/purehelper/__pycache__/__init__.cpython-311.pyc")));
  }

  @Test
  void zip_entriesAreUnderPythonWithNormalisedModesAndOneTimestamp() throws Exception {
    Path out = tmp.resolve("out");
    assertEquals(0, CliRun.of("build", "--site-packages", site.toString(), "-o", out.toString(), "--no-smoke").exitCode());
    List<String> names = new ArrayList<>();
    try (ZipFile zip = ZipFile.builder().setFile(out.resolve("layer.zip").toFile()).get()) {
      Enumeration<ZipArchiveEntry> en = zip.getEntriesInPhysicalOrder();
      while (en.hasMoreElements()) {
        ZipArchiveEntry e = en.nextElement();
        names.add(e.getName());
        assertTrue(e.getName().startsWith("python/"), e.getName());
        assertEquals(ZipArchiveEntry.PLATFORM_UNIX, e.getPlatform(), e.getName());
        int mode = e.getUnixMode();
        if (e.isDirectory()) {
          assertEquals(040755, mode, e.getName());
        } else if (e.getName().endsWith(".so")) {
          assertEquals(0100755, mode, e.getName() + " keeps its execute bit as 0755");
        } else {
          assertEquals(0100644, mode, e.getName());
        }
        java.time.LocalDateTime t = java.time.LocalDateTime.ofInstant(e.getLastModifiedDate().toInstant(),
            java.time.ZoneId.systemDefault());
        assertEquals(java.time.LocalDateTime.of(1980, 1, 3, 0, 0), t, e.getName());
        assertEquals(0, e.getExtraFields().length, "no extra fields (timestamps, uid) in " + e.getName());
      }
    }
    List<String> sorted = new ArrayList<>(names);
    java.util.Collections.sort(sorted);
    assertEquals(sorted, names, "entries are sorted");
  }

  @Test
  void build_overBudget_exitsOneAndMarksLimitExceeded() throws Exception {
    Path out = tmp.resolve("out");
    CliRun run = CliRun.of("build", "--site-packages", site.toString(), "-o", out.toString(), "--no-smoke",
        "--max-unzipped", "1KiB");
    assertEquals(1, run.exitCode(), run.all());
    JsonNode limit = new ObjectMapper().readTree(out.resolve("report.json").toFile()).path("limits").get(0);
    assertEquals("unzipped", limit.path("name").asText());
    assertEquals(1024, limit.path("limitBytes").asLong());
    assertTrue(limit.path("exceeded").asBoolean());
    assertTrue(run.err().contains("exceeds"), run.all());
    assertTrue(Files.exists(out.resolve("layer.zip")), "the zip is still written: it is the artifact to inspect");
  }

  @Test
  void build_extraBytesCountIntoTheUnzippedLimit() throws Exception {
    Path out = tmp.resolve("out");
    CliRun run = CliRun.of("build", "--site-packages", site.toString(), "-o", out.toString(), "--no-smoke",
        "--extra-bytes", "262144000");
    assertEquals(1, run.exitCode(), run.all());
  }

  @Test
  void build_missingRequirementsFile_exitsTwoNamingIt() {
    CliRun run = CliRun.of("build", "-r", tmp.resolve("nope.txt").toString(), "-o", tmp.resolve("o").toString());
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("nope.txt"), run.all());
  }

  @Test
  void build_badSizeString_exitsTwoNamingTheOption() {
    CliRun run = CliRun.of("build", "--site-packages", site.toString(), "--max-unzipped", "lots");
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("--max-unzipped") && run.err().contains("lots"), run.all());
  }

  @Test
  void build_unknownOption_exitsTwo() {
    assertEquals(2, CliRun.of("build", "--frobnicate").exitCode());
  }

  @Test
  void build_pipFailure_exitsThreeWithPipsLastLines() throws Exception {
    Path out = tmp.resolve("out");
    CliRun run = CliRun.of("build", "-r", requirements("no-such-dist-anywhere==1.0").toString(), "--no-index",
        "--find-links", wheels.toString(), "-o", out.toString());
    assertEquals(3, run.exitCode(), run.all());
    assertTrue(run.err().contains("no-such-dist-anywhere"), run.all());
    assertFalse(Files.exists(out.resolve("layer.zip")));
    assertTrue(Files.exists(out.resolve("INCOMPLETE")), "a failed build leaves the folder marked incomplete");
  }

  @Test
  void build_sitePackages_leavesInputUnchanged() throws Exception {
    CliRun run = defaultBuild();
    assertEquals(0, run.exitCode(), run.all());
    // the site is the input of every build of this class: none of them may change it
    assertEquals(siteBefore, fingerprint(site));
  }

  @Test
  void build_symlinkPointingOutside_isRefusedNamingIt() throws Exception {
    Path input = tmp.resolve("input");
    Files.createDirectories(input.resolve("pkg"));
    Files.writeString(input.resolve("pkg/__init__.py"), "");
    Files.writeString(tmp.resolve("secret"), "do not ship");
    Files.createSymbolicLink(input.resolve("pkg/leak"), tmp.resolve("secret"));
    CliRun run = CliRun.of("build", "--site-packages", input.toString(), "-o", tmp.resolve("out").toString());
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("pkg/leak"), run.all());
    assertFalse(Files.exists(tmp.resolve("out/layer.zip")));
  }

  @Test
  void build_refusesOutputInsideTheInput() {
    CliRun run = CliRun.of("build", "--site-packages", site.toString(), "-o", site.resolve("out").toString());
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("overlaps"), run.all());
  }

  @Test
  void build_refusesAForeignNonEmptyOutputFolder() throws Exception {
    Path foreign = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(foreign.resolve("notes.txt"), "precious");
    CliRun run = CliRun.of("build", "--site-packages", site.toString(), "-o", foreign.toString());
    assertEquals(2, run.exitCode(), run.all());
    assertEquals("precious", Files.readString(foreign.resolve("notes.txt")));
  }

  @Test
  void helpAndVersion_exitZero() {
    CliRun help = CliRun.of("build", "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("--site-packages"));
    CliRun version = CliRun.of("--version");
    assertEquals(0, version.exitCode());
    assertTrue(version.out().startsWith("layerslim "), version.out());
  }

  static JsonNode find(JsonNode report, String name) {
    for (JsonNode p : report.path("packages")) {
      if (p.path("name").asText().equals(name)) {
        return p;
      }
    }
    throw new AssertionError(name + " not in report");
  }

  /** Bytes on disk per top-level entry of {@code root}. */
  static Map<String, Long> sizesByTop(Path root) throws IOException {
    Map<String, Long> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        String top = root.relativize(p).getName(0).toString();
        m.merge(top, Files.size(p), Long::sum);
      }
    }
    return m;
  }

  /** Every path with its content hash, mode and mtime. */
  static Map<String, String> fingerprint(Path root) throws Exception {
    Map<String, String> m = new TreeMap<>();
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        FileTime t = Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        String perms = java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        String hash = Files.isRegularFile(p) ? HexFormat.of().formatHex(md.digest(Files.readAllBytes(p))) : "dir";
        m.put(root.relativize(p).toString(), hash + " " + perms + " " + t.toMillis());
      }
    }
    return m;
  }
}
