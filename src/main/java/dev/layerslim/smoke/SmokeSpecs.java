package dev.layerslim.smoke;

import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.pipeline.Removals;
import dev.layerslim.python.ImportProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Turns the user's options (handlers, --smoke-import, --smoke-script) into what the probe checks. */
public final class SmokeSpecs {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  // Files that live beside handlers but are not meant to be imported on Lambda: importing setup.py
  // runs setup(), conftest.py needs pytest.
  private static final Set<String> NOT_MODULES = Set.of("__main__", "setup", "conftest");

  private SmokeSpecs() {}

  /**
   * The spec over {@code root} (the unpruned tree, or the folder {@code layerslim smoke} checks),
   * loading every ELF object of {@code tree} that {@code removals} keeps; scratch files go below
   * {@code workDir}.
   */
  public static ImportProbe.Spec forSource(SmokeInputs o, Path workDir, Path root, LayerTree tree,
      Removals removals, String python) throws IOException {
    List<Path> dirs = new ArrayList<>();
    Set<String> imports = new LinkedHashSet<>();
    for (Path h : o.handlers()) {
      if (Files.isDirectory(h)) {
        dirs.add(h);
        imports.addAll(modulesIn(h));
      } else {
        dirs.add(h.getParent());
        String name = h.getFileName().toString();
        if (name.endsWith(".py")) {
          imports.add(name.substring(0, name.length() - 3));
        }
      }
    }
    imports.addAll(o.smoke().imports());
    return new ImportProbe.Spec(python, root, o.target().layerSitePackages(),
        dirs.stream().distinct().toList(), List.copyOf(imports), o.handlerFunction(), o.smoke().script(),
        keptElfObjects(tree, removals), Duration.ofSeconds(o.smoke().timeoutSeconds()), workDir.resolve("smoke"),
        o.smoke().event());
  }

  /** Module names of the {@code .py} files below a handler folder, from their paths relative to it. */
  static List<String> modulesIn(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        if (!rel.endsWith(".py")) {
          continue;
        }
        List<String> parts = new ArrayList<>(List.of(rel.substring(0, rel.length() - 3).split("/")));
        if (parts.get(parts.size() - 1).equals("__init__")) {
          parts.remove(parts.size() - 1);
        }
        if (parts.isEmpty() || NOT_MODULES.contains(parts.get(parts.size() - 1))
            || !parts.stream().allMatch(x -> IDENTIFIER.matcher(x).matches())) {
          continue;
        }
        out.add(String.join(".", parts));
      }
    }
    return out;
  }

  /**
   * The ELF objects of the input that the prune plan keeps: only those can be compared with the
   * layer, and loading the rest (a whole unused scipy, say) would only cost time.
   */
  static List<String> keptElfObjects(LayerTree tree, Removals removals) {
    return tree.files().stream().filter(FileEntry::elf).map(FileEntry::path)
        .filter(p -> !removals.contains(p)).toList();
  }

  /** Paths of the tree's ELF objects, found by magic bytes. */
  static List<String> elfObjects(LayerTree tree) {
    return tree.files().stream().filter(FileEntry::elf).map(FileEntry::path).toList();
  }
}
