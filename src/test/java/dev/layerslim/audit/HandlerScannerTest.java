package dev.layerslim.audit;

import dev.layerslim.testing.Bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.layer.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandlerScannerTest {
  @TempDir Path tmp;

  private static byte[] bytes(Object... parts) {
    return Bytes.of(parts);
  }

  @Test
  void handlerFiles_areReadAsPythonReadsThem_bomCodingLineAndBadBytesNamed() throws Exception {
    Path code = Files.createDirectories(tmp.resolve("code"));
    Files.write(code.resolve("bom.py"), bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "import numpy\n"));
    Files.write(code.resolve("latin.py"), bytes("# -*- coding: latin-1 -*-\nCAFE = 'caf", new byte[] {(byte) 0xE9},
        "'\nimport requests\n"));
    Files.write(code.resolve("broken.py"), bytes("s = '", new byte[] {(byte) 0xFF}, "'\nimport yaml\n"));

    HandlerImports found = HandlerScanner.scan(List.of(code), Target.defaults());

    assertEquals(Set.of("numpy", "requests", "yaml"), found.topLevelNames());
    // the declared Latin-1 file is clean; only the undeclared bad byte is a problem, naming its file
    assertEquals(1, found.problems().size(), found.problems().toString());
    assertTrue(found.problems().get(0).startsWith("broken.py: not valid UTF-8 (byte 0xFF on line 1)"),
        found.problems().toString());
  }
}
