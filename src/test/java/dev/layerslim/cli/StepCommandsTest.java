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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-step debugging commands through {@link Main#run}, on wheels built here and the real pip, strip and python3. */
class StepCommandsTest {
  @TempDir static Path shared;
  static Path wheels;
  /** An installed tree (fastgeo with a gcc -g extension, purehelper) that stands for a layer's python/ folder. */
  static Path site;
  static String so;
  private static final String LIMITS_HEADER = "| limit | size | of | used | |";

  @TempDir Path tmp;

  @BeforeAll
  static void buildWheels() throws IOException {
    wheels = shared.resolve("wheels");
    so = "fastgeo/_speedups" + Wheels.extSuffix();
    Path ext = Wheels.compileExtension(shared.resolve("ext"), "_speedups");
    Wheels.wheel("fastgeo", "1.0")
        .file("fastgeo/__init__.py", "from fastgeo._speedups import answer\n")
        .file(so, ext)
        .tag("cp311-cp311-manylinux2014_x86_64")
        .requires("purehelper>=0.1")
        .build(wheels);
    Wheels.wheel("purehelper", "0.3").file("purehelper/__init__.py", "VALUE = 'x' * 1000\n").build(wheels);
    site = shared.resolve("layer/python");
    Wheels.pipInstall(site, wheels, "fastgeo");
  }

  @Test
  void install_stagesTheInstalledTreeAsIs_andWritesNoZipOrReport() throws Exception {
    Path req = Files.writeString(tmp.resolve("requirements.txt"), "fastgeo\n");
    Path out = tmp.resolve("out");
    CliRun run = CliRun.of("install", "-r", req.toString(), "--no-index", "--find-links", wheels.toString(),
        "-o", out.toString());
    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.out().contains("install mode: targeted"), run.all());
    Path layer = out.resolve("layer/python");
    assertEquals(-1, Files.mismatch(site.resolve(so), layer.resolve(so)), "the extension is installed unstripped");
    assertTrue(Files.isRegularFile(layer.resolve("purehelper/__init__.py")));
    assertTrue(Files.isRegularFile(out.resolve("pip.log")));
    for (String absent : List.of("layer.zip", "report.json", "report.md", "INCOMPLETE", ".work")) {
      assertFalse(Files.exists(out.resolve(absent)), absent + " must not be written");
    }
  }

  @Test
  void strip_onACopy_leavesTheInputByteForByte_andShrinksTheExtension() throws Exception {
    Map<String, byte[]> before = snapshot(site);
    Path out = tmp.resolve("stripped");
    CliRun run = CliRun.of("strip", "--layer", site.getParent().toString(), "-o", out.toString());
    assertEquals(0, run.exitCode(), run.all());
    Map<String, byte[]> after = snapshot(site);
    assertEquals(before.keySet(), after.keySet());
    before.forEach((p, bytes) -> assertArrayEquals(bytes, after.get(p), p + " changed in the input"));
    Path copy = out.resolve("layer/python").resolve(so);
    assertTrue(Files.size(copy) < Files.size(site.resolve(so)), "the copy's extension is smaller");
    assertTrue(run.out().contains("stripped          " + so), run.all());
    assertTrue(run.out().contains("1 of 1 ELF object stripped"), run.all());
  }

  /**
   * strip -o OUT writes OUT/layer/python; zip --layer OUT (the folder the user named) zips that
   * layer, not OUT as if it were python/ (python/layer/python/… with layerslim's marker files).
   */
  @Test
  void zip_ofStripsOutputFolder_zipsTheLayerInIt() throws Exception {
    Path out = tmp.resolve("stripped");
    assertEquals(0, CliRun.of("strip", "--layer", site.getParent().toString(), "-o", out.toString()).exitCode());
    Path zip = tmp.resolve("layer.zip");
    CliRun run = CliRun.of("zip", "--layer", out.toString(), "-o", zip.toString());
    assertEquals(0, run.exitCode(), run.all());
    try (ZipFile z = new ZipFile(zip.toFile())) {
      List<String> names = z.stream().map(java.util.zip.ZipEntry::getName).toList();
      assertTrue(names.contains("python/" + so), names.toString());
      assertTrue(names.stream().noneMatch(n -> n.startsWith("python/layer/") || n.contains(".layerslim")),
          names.toString());
    }
  }

  @Test
  void strip_inPlaceWithOutput_isAUsageError() {
    CliRun run = CliRun.of("strip", "--layer", site.toString(), "--in-place", "-o", tmp.resolve("x").toString());
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains("--in-place"), run.all());
  }

  @Test
  void smoke_goodLayer_passes_andWritesNoBytecodeIntoIt() throws Exception {
    Path handler = Files.writeString(Files.createDirectories(tmp.resolve("src")).resolve("app.py"),
        "import fastgeo\n\ndef handler(event, context):\n    return fastgeo.answer()\n");
    CliRun run = CliRun.of("smoke", "--layer", site.toString(), "--handler", handler.toString(),
        "--handler-function", "app.handler", "--smoke-import", "purehelper");
    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.out().startsWith("PASSED"), run.all());
    assertTrue(run.out().contains("imports: app, purehelper"), run.all());
    assertTrue(run.out().contains("1 of 1 ELF object loads"), run.all());
    assertTrue(run.out().contains("import time: "), run.all());
    try (Stream<Path> s = Files.walk(site)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().equals("__pycache__")), "the layer is only read");
    }
  }

  @Test
  void smoke_handlerImportsMissingModule_exits3_namingIt() throws Exception {
    Path handler = Files.writeString(Files.createDirectories(tmp.resolve("src")).resolve("app.py"),
        "import fastgeo\nimport not_in_the_layer\n");
    CliRun run = CliRun.of("smoke", "--layer", site.toString(), "--handler", handler.toString());
    assertEquals(3, run.exitCode(), run.all());
    assertTrue(run.out().startsWith("FAILED"), run.all());
    assertTrue(run.out().contains("not_in_the_layer"), run.all());
  }

  @Test
  void zip_twice_givesIdenticalBytes_withEntriesUnderPython() throws Exception {
    Path a = tmp.resolve("a/layer.zip");
    Path b = tmp.resolve("b/layer.zip");
    CliRun first = CliRun.of("zip", "--layer", site.toString(), "-o", a.toString());
    assertEquals(0, first.exitCode(), first.all());
    assertEquals(0, CliRun.of("zip", "--layer", site.getParent().toString(), "-o", b.toString(), "--threads", "1")
        .exitCode());
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    List<String> names = new ArrayList<>();
    try (ZipFile z = new ZipFile(a.toFile())) {
      Collections.list(z.entries()).forEach(e -> names.add(e.getName()));
    }
    assertTrue(names.contains("python/" + so), names.toString());
    assertTrue(names.stream().allMatch(n -> n.startsWith("python/")), names.toString());
    assertTrue(first.out().contains(names.size() + " entries"), first.all());
  }

  @Test
  void zip_outputInsideTheLayer_isRefused() {
    CliRun run = CliRun.of("zip", "--layer", site.toString(), "-o", site.resolve("layer.zip").toString());
    assertEquals(2, run.exitCode(), run.all());
    assertFalse(Files.exists(site.resolve("layer.zip")));
  }

  @Test
  void report_reRendersMdJsonAndComment_fromARealBuildsReport() throws Exception {
    Path out = tmp.resolve("api");
    CliRun build = CliRun.of("build", "--site-packages", site.toString(), "-o", out.toString(), "--no-smoke");
    assertEquals(0, build.exitCode(), build.all());
    Path json = out.resolve("report.json");

    CliRun md = CliRun.of("report", json.toString());
    assertEquals(0, md.exitCode(), md.all());
    assertTrue(md.out().startsWith("# layerslim report"), md.all());
    assertTrue(md.out().contains("| purehelper | 0.3 |"), md.all());
    assertTrue(md.out().contains(LIMITS_HEADER), md.all());

    CliRun diff = CliRun.of("report", json.toString(), "--baseline", json.toString());
    assertTrue(diff.out().contains("## Against the baseline"), diff.all());
    assertTrue(diff.out().contains("No distribution changed."), diff.all());

    CliRun withBaseline = CliRun.of("report", json.toString(), "--baseline", json.toString(), "--format", "json");
    assertEquals(0, withBaseline.exitCode(), withBaseline.all());
    JsonNode rendered = new ObjectMapper().readTree(withBaseline.out());
    assertEquals(1, rendered.path("schemaVersion").asInt());
    assertEquals(0, rendered.path("baseline").path("deltaBytes").asLong(), withBaseline.out());

    CliRun comment = CliRun.of("report", json.toString(), "--format", "comment");
    assertEquals(0, comment.exitCode(), comment.all());
    assertTrue(comment.out().startsWith("<!-- layerslim:api -->"), comment.all());
    assertTrue(comment.out().contains("purehelper"), comment.all());
    // the title names the layer by its input (report.json's install.source), the marker by the folder
    assertTrue(comment.out().contains("\n### ✅ `" + site + "` · within limits: "), comment.all());
    assertTrue(comment.out().contains("`--baseline FILE` compares with the base branch"), comment.all());
  }

  @Test
  void report_malformedOrMissingFile_exits2_namingIt() throws Exception {
    Path bad = Files.writeString(tmp.resolve("report.json"), "{\"schemaVersion\": 1, ");
    CliRun run = CliRun.of("report", bad.toString());
    assertEquals(2, run.exitCode(), run.all());
    assertTrue(run.err().contains(bad.toString()), run.all());
    Path missing = tmp.resolve("nope/report.json");
    CliRun none = CliRun.of("report", missing.toString(), "--format", "comment");
    assertEquals(2, none.exitCode(), none.all());
    assertTrue(none.err().contains(missing.toString()), none.all());
    assertTrue(none.err().startsWith("error: the report " + missing + ": no such file"), none.all());
    assertTrue(run.err().startsWith("error: the report " + bad + ": not valid JSON"), run.all());
  }

  /** Every regular file below {@code root} by relative path, with its bytes. */
  private static Map<String, byte[]> snapshot(Path root) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return m;
  }
}
