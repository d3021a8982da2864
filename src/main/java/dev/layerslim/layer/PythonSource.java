package dev.layerslim.layer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way layerslim reads Python's text files: {@code .py} sources (the handler's, and the
 * layer's for the import guard) and dist-info files (METADATA, RECORD, top_level.txt).
 *
 * <ul>
 *   <li>A UTF-8 byte order mark is dropped, as Python drops it.
 *   <li>A {@code .py} source is decoded in the encoding its PEP 263 coding line names
 *       ({@code # -*- coding: latin-1 -*-} on line 1, or on line 2 below a comment or blank line),
 *       else in UTF-8 (PEP 3120). Dist-info files are always UTF-8 (the core metadata spec).
 *   <li>Bytes that do not decode never throw: each becomes U+FFFD and {@link Text#problem()} says
 *       which file, where, and that it was read leniently. Python itself would reject such a source;
 *       layerslim reads on, since an import statement is ASCII either way.
 * </ul>
 *
 * <p>It lives in {@code layer}, the package everything else depends on, so that {@link DistInfoReader}
 * and the Python-reading code in {@code python}, {@code audit} and {@code prune} share it.
 */
public final class PythonSource {
  private PythonSource() {}

  /** PEP 263's regular expression, as CPython's tokenizer applies it to line 1 or 2. */
  private static final Pattern CODING = Pattern.compile("^[ \\t\\f]*#.*?coding[:=][ \\t]*([-\\w.]+)");
  /** A line that lets the coding line be the second one: blank or a comment. */
  private static final Pattern BLANK_OR_COMMENT = Pattern.compile("^[ \\t\\f]*(#.*)?$");

  /**
   * Decoded text.
   *
   * @param text the file's text, without a byte order mark
   * @param encoding the encoding it was read in, as Java names it ({@code UTF-8}, {@code ISO-8859-1})
   * @param problem why the text may differ from what Python reads, naming the file; null when clean
   */
  public record Text(String text, String encoding, String problem) {}

  /** Reads a {@code .py} file; {@code name} is how messages name it (a path relative to its root). */
  public static Text readModule(Path file, String name) throws IOException {
    return module(Files.readAllBytes(file), name);
  }

  /** Reads a dist-info text file (METADATA, RECORD, top_level.txt, entry_points.txt). */
  public static Text readMetadata(Path file, String name) throws IOException {
    return metadata(Files.readAllBytes(file), name);
  }

  /** Decodes a {@code .py} source's bytes: BOM, PEP 263 coding line, else UTF-8. */
  public static Text module(byte[] bytes, String name) {
    boolean bom = hasBom(bytes);
    String declared = declaredCoding(bytes, bom ? 3 : 0);
    Charset charset = StandardCharsets.UTF_8;
    String problem = null;
    if (declared != null) {
      String normal = normalCodingName(declared);
      Charset found = charset(normal);
      if (found == null) {
        problem = name + ": declares the encoding '" + declared + "', which layerslim does not know; read as UTF-8";
      } else if (bom && !found.equals(StandardCharsets.UTF_8)) {
        problem = name + ": starts with a UTF-8 byte order mark but declares the encoding '" + declared
            + "' (Python rejects it); read as UTF-8";
      } else {
        charset = found;
      }
    }
    Text t = decode(bytes, bom ? 3 : 0, charset, name);
    return problem == null || t.problem() != null ? t : new Text(t.text(), t.encoding(), problem);
  }

  /** Decodes a dist-info file's bytes: UTF-8, a BOM dropped. */
  public static Text metadata(byte[] bytes, String name) {
    return decode(bytes, hasBom(bytes) ? 3 : 0, StandardCharsets.UTF_8, name);
  }

  private static boolean hasBom(byte[] b) {
    return b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF;
  }

  /** The coding a PEP 263 line declares in the first two lines, or null. */
  static String declaredCoding(byte[] bytes, int from) {
    int end1 = lineEnd(bytes, from);
    String line1 = new String(bytes, from, end1 - from, StandardCharsets.ISO_8859_1);
    Matcher m = CODING.matcher(line1);
    if (m.find()) {
      return m.group(1);
    }
    if (!BLANK_OR_COMMENT.matcher(line1).matches() || end1 >= bytes.length) {
      return null;
    }
    int from2 = end1 + (bytes[end1] == '\r' && end1 + 1 < bytes.length && bytes[end1 + 1] == '\n' ? 2 : 1);
    int end2 = lineEnd(bytes, from2);
    m = CODING.matcher(new String(bytes, from2, end2 - from2, StandardCharsets.ISO_8859_1));
    return m.find() ? m.group(1) : null;
  }

  private static int lineEnd(byte[] bytes, int from) {
    int i = from;
    while (i < bytes.length && bytes[i] != '\n' && bytes[i] != '\r') {
      i++;
    }
    return i;
  }

  /** CPython's get_normal_name: the spellings of UTF-8 and Latin-1 it knows before any codec lookup. */
  static String normalCodingName(String declared) {
    String n = declared.toLowerCase(Locale.ROOT).replace('_', '-');
    if (n.equals("utf-8") || n.startsWith("utf-8-")) {
      return "utf-8";
    }
    for (String latin : new String[] {"latin-1", "iso-8859-1", "iso-latin-1"}) {
      if (n.equals(latin) || n.startsWith(latin + "-")) {
        return "iso-8859-1";
      }
    }
    return n;
  }

  private static Charset charset(String name) {
    for (String candidate : new String[] {name, name.replace('-', '_'), name.replace("-", "")}) {
      try {
        return Charset.forName(candidate);
      } catch (IllegalArgumentException e) {
        // not this spelling (IllegalCharsetNameException and UnsupportedCharsetException alike)
      }
    }
    return null;
  }

  /** Decodes from {@code offset}, each undecodable byte sequence becoming U+FFFD, the first one noted. */
  private static Text decode(byte[] bytes, int offset, Charset charset, String name) {
    CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
    CharBuffer out = CharBuffer.allocate((int) Math.ceil((bytes.length - offset) * (double) decoder.maxCharsPerByte()) + 16);
    int firstBad = -1;
    int bad = 0;
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      if (r.isError()) {
        if (firstBad < 0) {
          firstBad = in.position();
        }
        bad++;
        in.position(in.position() + r.length());
        out.put('\uFFFD');
      } else if (r.isOverflow()) {
        CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2 + 16);
        out.flip();
        bigger.put(out);
        out = bigger;
      } else {
        break;
      }
    }
    decoder.flush(out);
    out.flip();
    String text = out.toString();
    if (firstBad < 0) {
      return new Text(text, charset.name(), null);
    }
    int line = 1;
    for (int i = 0; i < firstBad; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    String problem = String.format(Locale.ROOT, "%s: not valid %s (byte 0x%02X on line %d%s); read with U+FFFD"
        + " in place of the undecodable bytes", name, charset.name(), bytes[firstBad] & 0xff, line,
        bad > 1 ? ", " + bad + " places in all" : "");
    return new Text(text, charset.name(), problem);
  }
}
