package dev.layerslim.layer;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes like {@code 200MiB}, {@code 50MB}, {@code 52428800} and prints them for people. */
public final class Sizes {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|KB|K|MB|M|GB|G|KIB|MIB|GIB)?", Pattern.CASE_INSENSITIVE);

  private Sizes() {}

  /**
   * Parses a size; binary units (KiB, MiB, GiB) are powers of 1024, decimal units (KB, MB, GB) and
   * the short K/M/G powers of 1000.
   *
   * @return the size in bytes, or -1 when {@code text} is not a size
   */
  public static long parse(String text) {
    if (text == null) {
      return -1;
    }
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      return -1;
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    long mul;
    switch (unit) {
      case "B": mul = 1; break;
      case "K": case "KB": mul = 1000L; break;
      case "M": case "MB": mul = 1000L * 1000; break;
      case "G": case "GB": mul = 1000L * 1000 * 1000; break;
      case "KIB": mul = 1024L; break;
      case "MIB": mul = 1024L * 1024; break;
      case "GIB": mul = 1024L * 1024 * 1024; break;
      default: return -1;
    }
    double bytes = n * mul;
    if (bytes > Long.MAX_VALUE / 2) {
      return -1;
    }
    return Math.round(bytes);
  }

  /** A size for people: {@code 12.3 MB} (decimal units, as AWS quotes its limits in MB too). */
  public static String human(long bytes) {
    long abs = Math.abs(bytes);
    String sign = bytes < 0 ? "-" : "";
    if (abs < 1000) {
      return sign + abs + " B";
    }
    if (abs < 1000_000) {
      return sign + String.format(Locale.ROOT, "%.1f kB", abs / 1e3);
    }
    if (abs < 1000_000_000) {
      return sign + String.format(Locale.ROOT, "%.1f MB", abs / 1e6);
    }
    return sign + String.format(Locale.ROOT, "%.2f GB", abs / 1e9);
  }

  /** A signed size: {@code +1.2 MB}, {@code -300 B}, {@code 0 B}. */
  public static String signed(long bytes) {
    return bytes > 0 ? "+" + human(bytes) : human(bytes);
  }

  /** {@code 1234567} as {@code 1,234,567}. */
  public static String grouped(long bytes) {
    return String.format(Locale.ROOT, "%,d", bytes);
  }
}
