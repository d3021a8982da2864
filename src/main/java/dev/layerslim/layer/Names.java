package dev.layerslim.layer;

import java.util.Locale;

/** Distribution names. */
public final class Names {
  private Names() {}

  /** PEP 503: lower case, runs of {@code -_.} become one {@code -}. */
  public static String normalize(String name) {
    return name.trim().replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
  }
}
