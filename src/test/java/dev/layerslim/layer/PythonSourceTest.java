package dev.layerslim.layer;

import dev.layerslim.testing.Bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.cli.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonSourceTest {
  @TempDir Path tmp;

  private static byte[] bytes(Object... parts) {
    return Bytes.of(parts);
  }

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  @Test
  void module_dropsTheByteOrderMark() {
    PythonSource.Text t = PythonSource.module(bytes(BOM, "import numpy\n"), "app.py");
    assertEquals("import numpy\n", t.text());
    assertNull(t.problem());
  }

  @Test
  void emptyFilesAndABareBom_readAsEmptyText() {
    assertEquals("", PythonSource.module(new byte[0], "__init__.py").text());
    assertEquals("", PythonSource.module(BOM, "__init__.py").text());
    assertEquals("", PythonSource.metadata(new byte[0], "top_level.txt").text());
  }

  @Test
  void module_honoursAPep263CodingLineOnLineOneOrTwo() {
    byte[] latin = bytes("# -*- coding: latin-1 -*-\nname = '", new byte[] {(byte) 0xE9}, "'\nimport os\n");
    PythonSource.Text t = PythonSource.module(latin, "app.py");
    assertEquals("# -*- coding: latin-1 -*-\nname = 'é'\nimport os\n", t.text());
    assertEquals("ISO-8859-1", t.encoding());
    assertNull(t.problem());

    byte[] second = bytes("#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nx = '", new byte[] {(byte) 0x80}, "'\n");
    assertTrue(PythonSource.module(second, "app.py").text().contains("x = '€'"));
    // on line 2 only below a comment or a blank line, as in CPython
    byte[] tooLate = bytes("x = 1\n# coding: latin-1\ny = '", new byte[] {(byte) 0xE9}, "'\n");
    assertEquals("UTF-8", PythonSource.module(tooLate, "late.py").encoding());
  }

  @Test
  void module_undecodableBytesAreReplacedAndNamedNotThrown() {
    byte[] bad = bytes("import os\ns = '", new byte[] {(byte) 0xE9, (byte) 0xFF}, "'\nimport sys\n");
    PythonSource.Text t = PythonSource.module(bad, "pkg/bad.py");
    assertTrue(t.text().startsWith("import os\ns = '\uFFFD"), t.text());
    assertTrue(t.text().endsWith("'\nimport sys\n"), t.text());
    assertTrue(t.problem().startsWith("pkg/bad.py: not valid UTF-8 (byte 0xE9 on line 2"), t.problem());

    PythonSource.Text unknown = PythonSource.module(bytes("# coding: klingon-7\nimport os\n"), "k.py");
    assertEquals("UTF-8", unknown.encoding());
    assertTrue(unknown.problem().contains("k.py: declares the encoding 'klingon-7'"), unknown.problem());
  }

  @Test
  void metadata_isUtf8WithoutBom_andIgnoresCodingLines() {
    assertEquals("Name: x\n", PythonSource.metadata(bytes(BOM, "Name: x\n"), "METADATA").text());
    byte[] latin = bytes("# coding: latin-1\n", new byte[] {(byte) 0xE9});
    assertEquals("UTF-8", PythonSource.metadata(latin, "RECORD").encoding());
    assertTrue(PythonSource.metadata(latin, "RECORD").problem().startsWith("RECORD: not valid UTF-8"));
  }

  /** A dist-info whose METADATA, RECORD and top_level.txt are Latin-1 (an old sdist build did this). */
  private Path latin1Site() throws Exception {
    Path site = Files.createDirectories(tmp.resolve("site"));
    Path di = Files.createDirectories(site.resolve("oldpkg-1.0.dist-info"));
    Files.write(di.resolve("METADATA"), bytes("Metadata-Version: 2.1\nName: oldpkg\nVersion: 1.0\nAuthor: Ren",
        new byte[] {(byte) 0xE9}, "\n\nDescription caf", new byte[] {(byte) 0xE9}, "\n"));
    Files.write(di.resolve("top_level.txt"), bytes("oldpkg\n", new byte[] {(byte) 0xE9}, "\n"));
    Files.write(di.resolve("RECORD"), bytes("oldpkg/__init__.py,,\noldpkg/donn", new byte[] {(byte) 0xE9},
        "es.txt,,\noldpkg-1.0.dist-info/METADATA,,\n"));
    Files.createDirectories(site.resolve("oldpkg"));
    Files.writeString(site.resolve("oldpkg/__init__.py"), "X = 1\n");
    return site;
  }

  // a dist-info file that is not UTF-8 is read on and named, not a MalformedInputException (exit 3, no file named)
  @Test
  void distInfoReader_nonUtf8FilesAreReadOn_eachNamedInTheProblems() throws Exception {
    Path site = latin1Site();

    List<Distribution> dists = DistInfoReader.readAll(site);

    assertEquals(1, dists.size());
    Distribution d = dists.get(0);
    assertEquals("oldpkg", d.name());
    assertEquals("1.0", d.version());
    assertTrue(d.recordPaths().contains("oldpkg/__init__.py"), d.recordPaths().toString());
    assertTrue(d.topLevel().contains("oldpkg"), d.topLevel().toString());
    List<String> problems = d.problems();
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("METADATA: not valid UTF-8 (byte 0xE9 on line 4"), problems.toString());
    assertTrue(problems.get(1).startsWith("top_level.txt: not valid UTF-8"), problems.toString());
    assertTrue(problems.get(2).startsWith("RECORD: not valid UTF-8 (byte 0xE9 on line 2"), problems.toString());
  }

  @Test
  void build_nonUtf8Metadata_warnsNamingTheFileAndGoesOn() throws Exception {
    Path site = latin1Site();
    Path out = tmp.resolve("out");

    CliRun run = CliRun.of("build", "--site-packages", site.toString(), "-o", out.toString(), "--no-smoke");

    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.all().contains("oldpkg-1.0.dist-info: METADATA: not valid UTF-8"), run.all());
    assertTrue(Files.isRegularFile(out.resolve("layer.zip")), run.all());
  }
}
