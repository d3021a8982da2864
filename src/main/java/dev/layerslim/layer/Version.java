package dev.layerslim.layer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** layerslim's own version, from a resource Maven fills in at build time. */
public final class Version {
  private Version() {}

  public static String get() {
    try (InputStream in = Version.class.getResourceAsStream("/dev/layerslim/version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.startsWith("$")) {
          return v;
        }
      }
    } catch (IOException ignored) {
      // fall through: a version is nice to have, never worth failing a build for
    }
    return "dev";
  }
}
