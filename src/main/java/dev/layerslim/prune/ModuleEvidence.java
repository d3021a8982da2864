package dev.layerslim.prune;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The handler's sources, as {@link ModuleReach} reads them. */
final class ModuleEvidence {
  private ModuleEvidence() {}

  /** The {@code --handler} files, or every {@code .py} below a handler folder, relative to its code root. */
  static List<ModuleReach.Source> handlerSources(List<Path> handlers) throws IOException {
    List<ModuleReach.Source> out = new ArrayList<>();
    for (Path h : handlers) {
      if (Files.isRegularFile(h)) {
        out.add(new ModuleReach.Source(h.getFileName().toString(), read(h)));
      } else if (Files.isDirectory(h)) {
        Path root = Files.isRegularFile(h.resolve("__init__.py")) ? h.getParent() : h;
        try (Stream<Path> s = Files.walk(h)) {
          for (Path p : s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".py")).sorted().toList()) {
            if (!p.toString().contains("__pycache__")) {
              out.add(new ModuleReach.Source(root.relativize(p).toString().replace('\\', '/'), read(p)));
            }
          }
        }
      }
    }
    return out;
  }

  private static String read(Path p) throws IOException {
    return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
  }
}
