package dev.layerslim.redact;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The credentials a URL can carry, found in any text: the user info before the host
 * ({@code https://user:PASSWORD@host}, {@code http://TOKEN:@host}, {@code http://TOKEN@host}) and
 * query parameters named like a credential ({@code ?token=…}, {@code &api_key=…},
 * {@code X-Amz-Signature=…}, {@code sig=…}). Private indexes hand out URLs of each of these forms.
 *
 * <p>{@link #secrets} lists them (raw, percent-decoded and percent-encoded again, since pip and
 * other tools print URLs in either spelling) so they can be masked and redacted wherever they
 * appear; {@link #scrub} blanks such credentials in any URL of a text, also ones no input named
 * (a pip.conf index, a URL inside a requirements file).
 */
public final class UrlCredentials {
  /** Query parameter names that carry a credential (matched anywhere in the decoded name, any case). */
  private static final Pattern SENSITIVE_NAME = Pattern.compile(
      "token|key|secret|passw|pwd|auth|sig|credential|session|private|ticket|code|jwt|bearer|apikey");

  /** Ends a URL in running text. */
  private static final String URL_END = " \t\r\n\"'<>`|\\";

  /** Characters of a URL scheme before {@code ://}. */
  private static boolean schemeChar(char c) {
    return c < 128 && (Character.isLetterOrDigit(c) || c == '+' || c == '.' || c == '-');
  }

  private UrlCredentials() {}

  /** Every credential inside a URL in {@code text}, with its other spellings; never null. */
  public static Set<String> secrets(String text) {
    Set<String> out = new LinkedHashSet<>();
    if (text == null) {
      return out;
    }
    for (int[] url : urls(text)) {
      String u = text.substring(url[0], url[1]);
      int afterScheme = u.indexOf("://") + 3;
      int hostEnd = indexOfAny(u, "/?#", afterScheme);
      int at = u.lastIndexOf('@', hostEnd - 1);
      if (at >= afterScheme) {
        String info = u.substring(afterScheme, at);
        int colon = info.indexOf(':');
        String user = colon >= 0 ? info.substring(0, colon) : info;
        String password = colon >= 0 ? info.substring(colon + 1) : "";
        // user:password hides the password; TOKEN: and a lone TOKEN hide the user
        addWithSpellings(out, password.isEmpty() ? user : password);
      }
      int q = u.indexOf('?', hostEnd);
      if (q >= 0) {
        int fragment = u.indexOf('#', q);
        String query = u.substring(q + 1, fragment < 0 ? u.length() : fragment);
        for (String pair : query.split("[&;]")) {
          int eq = pair.indexOf('=');
          if (eq > 0 && sensitive(pair.substring(0, eq))) {
            addWithSpellings(out, pair.substring(eq + 1));
          }
        }
      }
    }
    return out;
  }

  /**
   * {@code text} with the credentials of every URL in it replaced by {@code ***}: the whole user
   * info before the host, and the values of query parameters named like a credential.
   */
  public static String scrub(String text) {
    if (text == null || !text.contains("://")) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length());
    int copied = 0;
    for (int[] url : urls(text)) {
      sb.append(text, copied, url[0]);
      sb.append(scrubUrl(text.substring(url[0], url[1])));
      copied = url[1];
    }
    return sb.append(text, copied, text.length()).toString();
  }

  private static String scrubUrl(String u) {
    int afterScheme = u.indexOf("://") + 3;
    int hostEnd = indexOfAny(u, "/?#", afterScheme);
    int at = u.lastIndexOf('@', hostEnd - 1);
    StringBuilder sb = new StringBuilder(u.length());
    if (at >= afterScheme) {
      sb.append(u, 0, afterScheme).append("***").append(u, at, hostEnd);
    } else {
      sb.append(u, 0, hostEnd);
    }
    int q = u.indexOf('?', hostEnd);
    if (q < 0) {
      return sb.append(u, hostEnd, u.length()).toString();
    }
    sb.append(u, hostEnd, q + 1);
    int fragment = u.indexOf('#', q);
    int queryEnd = fragment < 0 ? u.length() : fragment;
    int i = q + 1;
    while (i <= queryEnd) {
      int next = indexOfAny(u, "&;", i);
      if (next > queryEnd) {
        next = queryEnd;
      }
      String pair = u.substring(i, next);
      int eq = pair.indexOf('=');
      if (eq > 0 && sensitive(pair.substring(0, eq)) && eq + 1 < pair.length()) {
        sb.append(pair, 0, eq + 1).append("***");
      } else {
        sb.append(pair);
      }
      if (next < queryEnd) {
        sb.append(u.charAt(next));
      }
      i = next + 1;
    }
    return sb.append(u, queryEnd, u.length()).toString();
  }

  /** Whether a query parameter's name says it holds a credential. */
  static boolean sensitive(String name) {
    String decoded = percentDecode(name.replace('+', ' '));
    String n = (decoded == null ? name : decoded).toLowerCase(Locale.ROOT);
    return SENSITIVE_NAME.matcher(n).find();
  }

  /**
   * The spans {@code [start, end)} of the URLs in {@code text}: each {@code scheme://} and what
   * follows up to white space, a quote or an angle bracket. Linear in the text's length.
   */
  private static java.util.List<int[]> urls(String text) {
    java.util.List<int[]> out = new java.util.ArrayList<>();
    int from = 0;
    while (true) {
      int sep = text.indexOf("://", from);
      if (sep < 0) {
        return out;
      }
      int start = sep;
      while (start > from && schemeChar(text.charAt(start - 1))) {
        start--;
      }
      int end = sep + 3;
      while (end < text.length() && URL_END.indexOf(text.charAt(end)) < 0) {
        end++;
      }
      // punctuation that ends a sentence or a list ("…/simple, file:///…") is not the URL's
      while (end > sep + 3 && ",.;:)]}".indexOf(text.charAt(end - 1)) >= 0) {
        end--;
      }
      // a scheme starts with a letter; "://" on its own is no URL
      while (start < sep && !Character.isLetter(text.charAt(start))) {
        start++;
      }
      if (start < sep) {
        // a URL that runs into the next one ("a://x@b://y") is cut at the next scheme's "://"
        int nested = text.indexOf("://", sep + 3);
        if (nested >= 0 && nested < end) {
          int cut = nested;
          while (cut > sep + 3 && schemeChar(text.charAt(cut - 1))) {
            cut--;
          }
          end = Math.max(cut, sep + 3);
        }
        out.add(new int[] {start, end});
      }
      from = Math.max(end, sep + 3);
    }
  }

  private static int indexOfAny(String s, String chars, int from) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return s.length();
  }

  /** {@code value}, its percent-decoded form (with and without {@code +} as a space) and both encoded again. */
  private static void addWithSpellings(Set<String> out, String value) {
    if (value.isEmpty() || value.equals("***") || value.equals("****")) {
      return;
    }
    out.add(value);
    for (String v : new String[] {value, value.replace('+', ' ')}) {
      String decoded = percentDecode(v);
      if (decoded == null) {
        continue;
      }
      out.add(decoded);
      String encoded = URLEncoder.encode(decoded, StandardCharsets.UTF_8);
      out.add(encoded);
      out.add(encoded.replace("+", "%20"));
      out.add(lowerHex(encoded));
    }
    out.add(lowerHex(value));
    out.add(upperHex(value));
  }

  /** Percent-decodes {@code s} as UTF-8 ({@code +} kept); null when it is not valid encoding. */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String lowerHex(String s) {
    return recaseHex(s, false);
  }

  private static String upperHex(String s) {
    return recaseHex(s, true);
  }

  private static String recaseHex(String s, boolean upper) {
    StringBuilder sb = new StringBuilder(s);
    for (int i = 0; i + 2 < sb.length(); i++) {
      if (sb.charAt(i) == '%') {
        for (int j = i + 1; j <= i + 2; j++) {
          char c = sb.charAt(j);
          sb.setCharAt(j, upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
      }
    }
    return sb.toString();
  }
}
