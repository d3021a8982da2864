package dev.layerslim.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** File contents built from parts: strings as UTF-8, byte arrays as they are (a BOM, a Latin-1 byte). */
public final class Bytes {
  private Bytes() {}

  public static byte[] of(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      byte[] b = p instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) p;
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }
}
