package dev.layerslim.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeSpecsTest {
  @Test
  void modulesIn_namesModulesByTheirPathBelowTheHandlerFolder(@TempDir Path dir) throws Exception {
    for (String f : List.of("app.py", "lib/__init__.py", "lib/util.py", "setup.py", "conftest.py", "my-script.py",
        "lib/__main__.py", "README.md")) {
      Files.createDirectories(dir.resolve(f).getParent());
      Files.writeString(dir.resolve(f), "");
    }
    assertEquals(List.of("app", "lib", "lib.util"), SmokeSpecs.modulesIn(dir));
  }
}
