package dev.layerslim.pipeline;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A sample event for the smoke test ({@code --smoke-event}, action input {@code smoke-event}),
 * checked when the options are read, before anything is installed.
 *
 * <p>The smoke driver reads the file as Python's {@code json.loads} reads bytes: the encoding is told
 * by a byte order mark (UTF-8, UTF-16, UTF-32) or by where the zero bytes are, a UTF-8 BOM is
 * accepted, and the file holds exactly one JSON value ({@code NaN} and {@code Infinity} included). This
 * check reads it the same way, so what it accepts the driver reads, and what it refuses is exit 2
 * naming the file and what is wrong, not a failed handler call.
 */
public final class SampleEvent {
  /**
   * The largest event read: Lambda's limit for a synchronous invocation's payload (6 MB, 6,291,456
   * bytes). No event Lambda can deliver to the handler is larger.
   */
  public static final long MAX_BYTES = 6_291_456L;

  private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private SampleEvent() {}

  /**
   * {@code file} made absolute when it is a readable JSON file and there is a handler function to
   * pass it to; otherwise bad input (exit 2) that starts with {@code label}.
   */
  public static Path check(Path file, String handlerFunction, String label) {
    Path a = file.toAbsolutePath().normalize();
    if (handlerFunction == null) {
      throw LayerslimException.usage(label + " " + file
          + " needs a handler function (--handler-function, input handler-function) to pass it to");
    }
    if (!Files.isRegularFile(a)) {
      throw LayerslimException.usage(label + " " + file + ": no such file");
    }
    String prefix = label + " " + file + ": ";
    byte[] bytes;
    try (InputStream in = Files.newInputStream(a)) {
      bytes = in.readNBytes((int) MAX_BYTES + 1);
    } catch (IOException e) {
      throw LayerslimException.usage(prefix + "cannot read it (" + e.getMessage() + ")");
    }
    if (bytes.length > MAX_BYTES) {
      throw LayerslimException.usage(prefix + "larger than Lambda's 6 MB limit for an invocation's payload ("
          + String.format(Locale.ROOT, "%,d", MAX_BYTES) + " bytes): no handler is ever called with such an "
          + "event; pass a smaller sample");
    }
    if (bytes.length == 0) {
      throw LayerslimException.usage(prefix + "the file is empty; an event is one JSON value, such as {}");
    }
    String encoding = detectEncoding(bytes);
    String text;
    try {
      text = decode(bytes, encoding);
    } catch (CharacterCodingException e) {
      throw LayerslimException.usage(prefix + "not valid " + shownEncoding(encoding) + " text" + where(bytes, e)
          + "; save it as UTF-8");
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1); // the BOM itself (Python's utf-8-sig, utf-16 and utf-32 drop it too)
    }
    if (text.chars().allMatch(c -> c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
      throw LayerslimException.usage(prefix + "holds no JSON value, only white space; an event is one JSON value, "
          + "such as {}");
    }
    int end;
    try (JsonParser p = JSON.createParser(text)) {
      JsonNode ignored = JSON.readTree(p);
      end = (int) p.currentLocation().getCharOffset();
    } catch (JsonProcessingException e) {
      String what = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage().lines().findFirst()
          .orElse("unreadable");
      throw LayerslimException.usage(prefix + "not valid JSON" + at(e.getLocation()) + ": " + what);
    } catch (IOException e) {
      throw LayerslimException.usage(prefix + "cannot read it (" + e.getMessage() + ")");
    }
    for (int i = Math.max(0, end); i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        throw LayerslimException.usage(prefix + "more follows its JSON value, at " + lineAndColumn(text, i)
            + ": a sample event file holds exactly one JSON value (not JSON Lines, not several events)");
      }
    }
    return a;
  }

  /**
   * The encoding Python's {@code json.detect_encoding} picks for {@code b}: by byte order mark, else
   * by the zero bytes a UTF-16 or UTF-32 text of ASCII JSON begins with, else UTF-8.
   */
  static String detectEncoding(byte[] b) {
    if (startsWith(b, 0x00, 0x00, 0xFE, 0xFF) || startsWith(b, 0xFF, 0xFE, 0x00, 0x00)) {
      return "utf-32";
    }
    if (startsWith(b, 0xFE, 0xFF) || startsWith(b, 0xFF, 0xFE)) {
      return "utf-16";
    }
    if (startsWith(b, 0xEF, 0xBB, 0xBF)) {
      return "utf-8-sig";
    }
    if (b.length >= 4) {
      if (b[0] == 0) {
        return b[1] != 0 ? "utf-16-be" : "utf-32-be";
      }
      if (b[1] == 0) {
        return b[2] != 0 || b[3] != 0 ? "utf-16-le" : "utf-32-le";
      }
    } else if (b.length == 2) {
      if (b[0] == 0) {
        return "utf-16-be";
      }
      if (b[1] == 0) {
        return "utf-16-le";
      }
    }
    return "utf-8";
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static String decode(byte[] bytes, String encoding) throws CharacterCodingException {
    Charset cs = switch (encoding) {
      case "utf-32" -> (bytes[0] == 0 ? Charset.forName("UTF-32BE") : Charset.forName("UTF-32LE"));
      case "utf-32-be" -> Charset.forName("UTF-32BE");
      case "utf-32-le" -> Charset.forName("UTF-32LE");
      case "utf-16" -> StandardCharsets.UTF_16; // reads and drops the BOM
      case "utf-16-be" -> StandardCharsets.UTF_16BE;
      case "utf-16-le" -> StandardCharsets.UTF_16LE;
      default -> StandardCharsets.UTF_8;
    };
    java.nio.charset.CharsetDecoder d = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 16); // never more chars than bytes, + a BOM
    java.nio.charset.CoderResult r = d.decode(in, out, true);
    if (!r.isError()) {
      r = d.flush(out);
    }
    if (r.isError()) {
      throw new BadText(in.position());
    }
    return out.flip().toString();
  }

  /** Bytes that do not decode, at {@code offset}. */
  static final class BadText extends CharacterCodingException {
    final int offset;

    BadText(int offset) {
      this.offset = offset;
    }
  }

  private static String shownEncoding(String encoding) {
    return encoding.equals("utf-8-sig") ? "UTF-8" : encoding.toUpperCase(Locale.ROOT).replace("-BE", " (big endian)")
        .replace("-LE", " (little endian)");
  }

  private static String where(byte[] bytes, CharacterCodingException e) {
    return e instanceof BadText b ? " (at byte " + b.offset + ")" : "";
  }

  private static String lineAndColumn(String text, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return "line " + line + ", column " + (offset - lineStart + 1);
  }

  private static String at(JsonLocation l) {
    return l == null || l.getLineNr() < 0 ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
  }
}
