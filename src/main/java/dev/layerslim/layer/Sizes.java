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

  /**
   * A size for people, in the binary units AWS quotes Lambda's limits in (250 MiB unzipped is
   * 262,144,000 bytes, 50 MiB zipped 52,428,800): {@code 12.3 MiB}, {@code 4.0 KiB}, {@code 300 B}.
   * An exact multiple of its unit has no decimals, so the limits read {@code 250 MiB} and
   * {@code 50 MiB} as AWS writes them.
   */
  public static String human(long bytes) {
    long abs = Math.abs(bytes);
    String sign = bytes < 0 ? "-" : "";
    if (abs < KIB) {
      return sign + abs + " B";
    }
    // 1,048,575 bytes would round to "1024.0 KiB": such a size reads as the next unit
    if (abs < MIB - KIB / 20) {
      return sign + scaled(abs, KIB, "KiB", 1);
    }
    if (abs < GIB - MIB / 20) {
      return sign + scaled(abs, MIB, "MiB", 1);
    }
    return sign + scaled(abs, GIB, "GiB", 2);
  }

  private static final long KIB = 1024L;
  private static final long MIB = KIB * 1024;
  private static final long GIB = MIB * 1024;

  private static String scaled(long abs, long unit, String name, int decimals) {
    if (abs % unit == 0) {
      return abs / unit + " " + name;
    }
    return String.format(Locale.ROOT, "%." + decimals + "f %s", (double) abs / unit, name);
  }

  /** {@code part} as a share of {@code whole}: {@code +12.5 %}, {@code -3.0 %}; empty when whole is 0. */
  public static String signedPercent(long part, long whole) {
    if (whole <= 0) {
      return "";
    }
    double p = 100.0 * part / whole;
    return (p > 0 ? "+" : "") + String.format(Locale.ROOT, "%.1f %%", p);
  }

  /** A signed size: {@code +1.2 MiB}, {@code -300 B}, {@code 0 B}. */
  public static String signed(long bytes) {
    return bytes > 0 ? "+" + human(bytes) : human(bytes);
  }

  /** {@code 1234567} as {@code 1,234,567}. */
  public static String grouped(long bytes) {
    return String.format(Locale.ROOT, "%,d", bytes);
  }
}
