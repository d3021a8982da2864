package dev.layerslim.layer;

/**
 * A count and its noun for people: {@code 1 distribution}, {@code 2 distributions}, {@code 0 files},
 * {@code 1 entry}. Every count layerslim renders (console, report.md, the comment, annotations) goes
 * through here, so none reads "1 distributions".
 */
public final class Plural {
  private Plural() {}

  /** {@code n} and the noun in the number it needs: {@code count(1, "file")} is {@code 1 file}. */
  public static String count(long n, String singular) {
    return n + " " + noun(n, singular);
  }

  /** Like {@link #count} with the number grouped in thousands: {@code 12,345 files}. */
  public static String grouped(long n, String singular) {
    return Sizes.grouped(n) + " " + noun(n, singular);
  }

  /**
   * The noun alone, singular for exactly one: {@code entry}/{@code entries}, {@code sub-package}/
   * {@code sub-packages}. For a noun whose plural is not regular, use {@link #noun(long, String, String)}.
   */
  public static String noun(long n, String singular) {
    return noun(n, singular, regularPlural(singular));
  }

  /** {@code singular} when {@code n} is one (or minus one), else {@code plural}. */
  public static String noun(long n, String singular, String plural) {
    return Math.abs(n) == 1 ? singular : plural;
  }

  /** English's regular plural: a consonant and {@code y} make {@code ies}; {@code s x z ch sh} add {@code es}. */
  static String regularPlural(String singular) {
    int len = singular.length();
    if (len > 1 && singular.endsWith("y") && "aeiou".indexOf(singular.charAt(len - 2)) < 0) {
      return singular.substring(0, len - 1) + "ies";
    }
    if (singular.endsWith("s") || singular.endsWith("x") || singular.endsWith("z") || singular.endsWith("ch")
        || singular.endsWith("sh")) {
      return singular + "es";
    }
    return singular + "s";
  }
}
