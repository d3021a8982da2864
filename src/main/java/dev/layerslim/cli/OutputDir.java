package dev.layerslim.cli;

import dev.layerslim.layer.Trees;
import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The output folder's life cycle: claimed (marked as layerslim's), marked incomplete while a build
 * runs, and only unmarked when every step succeeded. Old results are removed first, so a failed
 * build never leaves an earlier zip that looks good.
 */
final class OutputDir {
  static final String OWNER_MARK = ".layerslim-output";
  static final String INCOMPLETE = "INCOMPLETE";
  private static final List<String> RESULTS = List.of("layer.zip", "report.json", "report.md", "pip.log",
      "comment.md", "layer.zip.tmp");

  private OutputDir() {}

  /** Refuses an output folder that overlaps an input, or that holds files layerslim did not write. */
  static void check(Path output, Path... inputs) throws IOException {
    Path out = output.toAbsolutePath().normalize();
    for (Path in : inputs) {
      if (in == null) {
        continue;
      }
      Path i = in.toAbsolutePath().normalize();
      if (Files.exists(i)) {
        i = i.toRealPath();
      }
      Path o = Files.exists(out) ? out.toRealPath() : out;
      if (o.startsWith(i) || i.startsWith(o)) {
        throw LayerslimException.usage("--output " + output + " overlaps the input " + in
            + ": pick an output folder outside it");
      }
    }
    if (Files.isDirectory(out) && !Files.exists(out.resolve(OWNER_MARK))) {
      try (var s = Files.list(out)) {
        if (s.findAny().isPresent()) {
          throw LayerslimException.usage("--output " + output + " is a folder layerslim did not create and it is "
              + "not empty; pick a new or empty folder (layerslim replaces what it writes there)");
        }
      }
    }
    if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(out)) {
      throw LayerslimException.usage("--output " + output + " is a file, not a folder");
    }
  }

  /** Claims the folder, removes earlier results, and marks it incomplete. */
  static void begin(Path output) throws IOException {
    Files.createDirectories(output);
    Files.writeString(output.resolve(OWNER_MARK), "This folder is written by layerslim.\n");
    Files.writeString(output.resolve(INCOMPLETE),
        "A layerslim build is running here or failed: nothing in this folder is a finished result.\n");
    for (String r : RESULTS) {
      Files.deleteIfExists(output.resolve(r));
    }
    Trees.deleteRecursively(output.resolve("layer"));
    Trees.deleteRecursively(output.resolve(".work"));
  }

  /** The build succeeded (whatever its exit code for limits): scratch goes, the mark goes. */
  static void complete(Path output) throws IOException {
    Trees.deleteRecursively(output.resolve(".work"));
    Files.deleteIfExists(output.resolve(INCOMPLETE));
  }

  /** A step failed: no zip that looks good stays behind. */
  static void failed(Path output) throws IOException {
    Files.deleteIfExists(output.resolve("layer.zip"));
    Files.deleteIfExists(output.resolve("layer.zip.tmp"));
  }
}
