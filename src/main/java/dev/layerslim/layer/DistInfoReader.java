package dev.layerslim.layer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code *.dist-info} folders: METADATA (name, version, Requires-Dist, Provides-Extra),
 * RECORD and top_level.txt. Malformed or missing files become {@link Distribution#problems()}; so
 * does a file that is not UTF-8, which is read on leniently ({@link PythonSource#metadata}).
 */
public final class DistInfoReader {
  private DistInfoReader() {}

  /** Reads every {@code *.dist-info} folder directly under {@code root}, sorted by name. */
  public static List<Distribution> readAll(Path root) throws IOException {
    List<Distribution> out = new ArrayList<>();
    try (var stream = Files.list(root)) {
      for (Path p : (Iterable<Path>) stream.sorted()::iterator) {
        String fn = p.getFileName().toString();
        if (fn.endsWith(".dist-info") && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          out.add(read(root, fn));
        }
      }
    }
    out.sort(java.util.Comparator.comparing(Distribution::name));
    return out;
  }

  /** Reads one dist-info folder, {@code distInfo} relative to {@code root}. */
  public static Distribution read(Path root, String distInfo) throws IOException {
    Path dir = root.resolve(distInfo);
    List<String> problems = new ArrayList<>();
    String name = null;
    String version = "";
    List<String> requires = new ArrayList<>();
    Set<String> extras = new LinkedHashSet<>();
    Path metadata = dir.resolve("METADATA");
    if (Files.isRegularFile(metadata)) {
      for (String[] header : headers(text(metadata, problems))) {
        switch (header[0].toLowerCase(java.util.Locale.ROOT)) {
          case "name": name = header[1]; break;
          case "version": version = header[1]; break;
          case "requires-dist": requires.add(header[1]); break;
          case "provides-extra": extras.add(Names.normalize(header[1])); break;
          default: break;
        }
      }
      if (name == null) {
        problems.add("METADATA has no Name");
      }
    } else {
      problems.add("METADATA is missing");
    }
    if (name == null) {
      // numpy-2.4.6.dist-info → numpy, 2.4.6
      String base = distInfo.substring(0, distInfo.length() - ".dist-info".length());
      int dash = base.indexOf('-');
      name = dash < 0 ? base : base.substring(0, dash);
      if (version.isEmpty() && dash >= 0) {
        version = base.substring(dash + 1);
      }
    }
    Set<String> topLevel = new LinkedHashSet<>();
    Path tl = dir.resolve("top_level.txt");
    if (Files.isRegularFile(tl)) {
      for (String line : text(tl, problems).split("\\R")) {
        String t = line.trim();
        if (!t.isEmpty()) {
          topLevel.add(t.replace('/', '.'));
        }
      }
    }
    List<String> record = new ArrayList<>();
    Path rec = dir.resolve("RECORD");
    if (Files.isRegularFile(rec)) {
      for (String line : text(rec, problems).split("\\R")) {
        if (line.isBlank()) {
          continue;
        }
        String path = firstCsvField(line);
        String resolved = resolveRecordPath(path);
        if (resolved != null) {
          record.add(resolved);
        }
      }
    } else {
      problems.add("RECORD is missing: files are attributed by top-level name only");
    }
    return new Distribution(Names.normalize(name), name, version, distInfo, requires, extras, topLevel,
        record, problems);
  }

  /** A dist-info file's text; undecodable bytes become U+FFFD and a problem naming the file. */
  private static String text(Path file, List<String> problems) throws IOException {
    PythonSource.Text t = PythonSource.readMetadata(file, file.getFileName().toString());
    if (t.problem() != null) {
      problems.add(t.problem());
    }
    return t.text();
  }

  /**
   * RFC 822 style headers of METADATA, up to the first blank line (the body is the description).
   * Continuation lines (starting with white space) extend the previous value.
   */
  static List<String[]> headers(String text) {
    List<String[]> out = new ArrayList<>();
    String name = null;
    StringBuilder value = new StringBuilder();
    // line by line up to the blank one: the description after it can be most of the file; a value's
    // continuation lines are appended to a builder (a License header can hold a whole license text)
    for (java.util.Iterator<String> it = text.lines().iterator(); it.hasNext(); ) {
      String line = it.next();
      if (line.isEmpty()) {
        break;
      }
      if ((line.startsWith(" ") || line.startsWith("\t")) && name != null) {
        value.append(' ').append(line.trim());
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        if (name != null) {
          out.add(new String[] {name, value.toString()});
        }
        name = line.substring(0, colon).trim();
        value.setLength(0);
        value.append(line.substring(colon + 1).trim());
      }
    }
    if (name != null) {
      out.add(new String[] {name, value.toString()});
    }
    return out;
  }

  static String firstCsvField(String line) {
    if (line.startsWith("\"")) {
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            sb.append('"');
            i++;
          } else {
            break;
          }
        } else {
          sb.append(c);
        }
      }
      return sb.toString();
    }
    int comma = line.indexOf(',');
    return comma < 0 ? line : line.substring(0, comma);
  }

  /**
   * Normalises a RECORD path to '/'-separated and relative to the layer root. pip writes scripts
   * installed with {@code --target} as {@code ../../bin/x}: those map to {@code bin/x}.
   */
  static String resolveRecordPath(String path) {
    String p = path.replace('\\', '/');
    if (p.isEmpty()) {
      return null;
    }
    boolean escaped = false;
    while (p.startsWith("../")) {
      p = p.substring(3);
      escaped = true;
    }
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    if (p.isEmpty() || p.startsWith("/")) {
      return null;
    }
    if (escaped && !p.startsWith("bin/")) {
      int bin = p.indexOf("bin/");
      p = bin >= 0 ? p.substring(bin) : p;
    }
    return p;
  }
}
