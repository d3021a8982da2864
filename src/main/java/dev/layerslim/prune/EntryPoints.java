package dev.layerslim.prune;

import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.LayerTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashSet;
import java.util.Set;

/** The modules the layer's {@code entry_points.txt} files name, for groups code asks for by name. */
final class EntryPoints {
  private EntryPoints() {}

  /**
   * The modules ({@code pkg.mod} of {@code name = pkg.mod:attr}) of {@code groups}; every group when
   * {@code groups} is null (a lookup whose group is not a literal).
   */
  static Set<String> modules(LayerTree tree, Set<String> groups) {
    Set<String> out = new LinkedHashSet<>();
    for (FileEntry f : tree.files()) {
      if (!f.path().endsWith(".dist-info/entry_points.txt") || f.path().indexOf('/') != f.path().lastIndexOf('/')) {
        continue;
      }
      String text;
      try {
        text = new String(Files.readAllBytes(tree.resolve(f.path())), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String group = null;
      for (String line : text.split("\\R")) {
        String l = line.strip();
        if (l.startsWith("[") && l.endsWith("]")) {
          group = l.substring(1, l.length() - 1).strip();
        } else if (group != null && l.contains("=") && !l.startsWith("#") && (groups == null || groups.contains(group))) {
          String target = l.substring(l.indexOf('=') + 1).strip();
          int colon = target.indexOf(':');
          String module = (colon < 0 ? target : target.substring(0, colon)).strip();
          int space = module.indexOf(' ');
          out.add(space < 0 ? module : module.substring(0, space));
        }
      }
    }
    return out;
  }
}
