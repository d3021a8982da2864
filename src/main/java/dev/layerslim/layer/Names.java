package dev.layerslim.layer;

import java.util.Locale;

/** Names users give: distribution names, Lambda handler strings. */
public final class Names {
  private Names() {}

  /** Where Lambda mounts a layer's {@code python/} folder: the path a pyc names its source by. */
  public static final String LAMBDA_LAYER_PYTHON = "/opt/python/";

  /** PEP 503: lower case, runs of {@code -_.} become one {@code -}. */
  public static String normalize(String name) {
    return name.trim().replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
  }

  /** Lambda's handler string: a dotted module path, a dot, the function's name. */
  private static final java.util.regex.Pattern HANDLER_FUNCTION = java.util.regex.Pattern.compile(
      "[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*\\.[A-Za-z_][A-Za-z0-9_]*");

  /**
   * {@code value} when it has Lambda's MODULE.FUNCTION form (or is null); otherwise a usage error that
   * starts with {@code what} (the option or input that gave it) and shows the right form.
   */
  public static String handlerFunction(String value, String what) {
    if (value != null && !HANDLER_FUNCTION.matcher(value).matches()) {
      throw dev.layerslim.error.LayerslimException.usage(what + " " + value + ": give Lambda's handler string, the "
          + "module and the function joined by a dot, e.g. app.handler (app.py's handler) or pkg.mod.handler");
    }
    return value;
  }
}
