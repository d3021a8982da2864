package dev.layerslim.github;

import dev.layerslim.error.LayerslimException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * What a layer's key names, derived in this one place: the key inside its sticky comment's hidden
 * marker ({@code <!-- layerslim:KEY -->}) and the name of its baseline artifact
 * ({@code layerslim-KEY}). Distinct keys never share a marker: a character the marker does not
 * keep is percent-encoded ({@code %} itself included), never folded onto another one. A key given
 * on purpose ({@code comment-key}) must be made of the characters an artifact name keeps, so that
 * its artifact is exactly {@code layerslim-} and the key (see {@link #checked}); a key that comes
 * from a path (the output folder) has any other character in its artifact name as {@code _}.
 *
 * @param raw the key as the user wrote it (or the path it came from)
 * @param markerKey what the marker holds
 * @param artifactName the baseline artifact's name
 */
public record CommentKey(String raw, String markerKey, String artifactName) {
  /** What an artifact name keeps of a key: upload-artifact refuses {@code / \ : < > | * ? "} and line breaks. */
  private static final Pattern ARTIFACT_KEEPS = Pattern.compile("[A-Za-z0-9._+=@-]+");
  /** The key of a layer that names nothing else. */
  public static final String DEFAULT = "layer";

  /** The marker key and artifact name of {@code key}; {@value #DEFAULT} when it is null or blank. */
  public static CommentKey of(String key) {
    String raw = key == null || key.isBlank() ? DEFAULT : key.strip();
    return new CommentKey(raw, markerKey(raw), "layerslim-" + raw.replaceAll("[^A-Za-z0-9._+=@-]", "_"));
  }

  /**
   * {@link #of} for a key the user chose ({@code what} names the input or option): one holding a
   * character an artifact name cannot keep is refused with exit 2, since two keys such as
   * {@code my app} and {@code my_app} would then look for one baseline artifact.
   */
  public static CommentKey checked(String key, String what) {
    CommentKey k = of(key);
    if (!ARTIFACT_KEEPS.matcher(k.raw()).matches()) {
      String bad = k.raw().replaceAll("[A-Za-z0-9._+=@-]", "").codePoints().limit(1)
          .mapToObj(cp -> cp == ' ' ? "a space" : cp < 0x20 || cp == 0x7f ? "a control character"
              : "'" + new String(Character.toChars(cp)) + "'")
          .findFirst().orElse("?");
      throw LayerslimException.usage(what + ": '" + k.raw().replaceAll("\\p{Cntrl}", "?") + "' holds " + bad
          + "; a key is letters, digits and . _ + = @ - only (it names the comment's hidden marker and the "
          + "baseline artifact layerslim-" + "<key>, which must be the key as written)");
    }
    return k;
  }

  /**
   * {@code key} with every character outside letters, digits and {@code ._+=@/-} percent-encoded as
   * UTF-8 ({@code %} too): an injective spelling that cannot end the HTML comment it sits in.
   */
  private static String markerKey(String key) {
    StringBuilder sb = new StringBuilder(key.length());
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "._+=@/-".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }
}
