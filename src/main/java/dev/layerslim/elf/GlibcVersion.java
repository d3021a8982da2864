package dev.layerslim.elf;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A glibc symbol version such as {@code GLIBC_2.28} or {@code GLIBC_2.2.5}, ordered numerically
 * (2.9 &lt; 2.10), so that the highest version an object needs can be compared with a runtime's glibc.
 *
 * @param major 2 for every glibc in use
 * @param minor 28 for {@code GLIBC_2.28}
 * @param patch 5 for {@code GLIBC_2.2.5}, otherwise 0
 */
public record GlibcVersion(int major, int minor, int patch) implements Comparable<GlibcVersion> {
  private static final Pattern VERSION_NAME = Pattern.compile("GLIBC_(\\d{1,4})\\.(\\d{1,4})(?:\\.(\\d{1,4}))?");
  private static final Pattern PLAIN = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})(?:\\.(\\d{1,4}))?");

  /** Parses a version-need name, {@code GLIBC_2.28}; empty for others ({@code GLIBC_PRIVATE}, {@code GLIBCXX_3.4}). */
  public static Optional<GlibcVersion> fromVersionName(String name) {
    return match(VERSION_NAME.matcher(name));
  }

  /** Parses a plain version, {@code 2.26}; empty when it is not one. */
  public static Optional<GlibcVersion> parse(String version) {
    return match(PLAIN.matcher(version.trim()));
  }

  private static Optional<GlibcVersion> match(Matcher m) {
    if (!m.matches()) {
      return Optional.empty();
    }
    int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    return Optional.of(new GlibcVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch));
  }

  @Override
  public int compareTo(GlibcVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c != 0 ? c : Integer.compare(patch, o.patch);
  }

  /** The version-need name, {@code GLIBC_2.28}. */
  public String versionName() {
    return "GLIBC_" + this;
  }

  /** {@code 2.28}, or {@code 2.2.5} when there is a patch level. */
  @Override
  public String toString() {
    return patch == 0 ? major + "." + minor : major + "." + minor + "." + patch;
  }
}
