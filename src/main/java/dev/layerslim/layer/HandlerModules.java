package dev.layerslim.layer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks Lambda's handler string against the handler files before anything is installed: a module
 * no handler file gives, or a function its file never names, fails in a second with the closest
 * one ({@code src.app.handler} with handler {@code src/app.py}: "did you mean app.handler?"), not
 * after install, prune, strip and two smoke runs.
 */
public final class HandlerModules {
  /** Files looked at below a handler folder, at most: the check must stay instant on a big project. */
  private static final int MAX_FILES = 5_000;

  private HandlerModules() {}

  /**
   * Why {@code handlerFunction} cannot resolve from {@code handlers}, with the closest handler
   * string; null when it resolves, or when there is nothing to check against (no handler given).
   */
  public static String problem(List<Path> handlers, String handlerFunction) throws IOException {
    if (handlerFunction == null || handlers.isEmpty() || handlerFunction.lastIndexOf('.') < 0) {
      return null;
    }
    String module = handlerFunction.substring(0, handlerFunction.lastIndexOf('.'));
    String function = handlerFunction.substring(handlerFunction.lastIndexOf('.') + 1);
    // the folders the smoke test (and Lambda's task root) put on sys.path
    Set<Path> roots = new LinkedHashSet<>();
    for (Path h : handlers) {
      roots.add(Files.isDirectory(h) ? h : h.toAbsolutePath().getParent());
    }
    for (Path root : roots) {
      Path file = moduleFile(root, module);
      if (file != null) {
        return names(file, function) ? null : file.getFileName() + " (module " + module + ") never names "
            + function + closestFunction(file, function, module);
      }
    }
    List<String> modules = new ArrayList<>();
    for (Path root : roots) {
      modules.addAll(modulesBelow(root));
    }
    String closest = closest(module, modules);
    return "no handler file gives the module " + module + " (looked in " + String.join(", ", roots.stream()
        .map(Path::toString).toList()) + ")" + (closest != null ? "; did you mean " + closest + "." + function + "?"
            : modules.isEmpty() ? "" : "; the handler files give " + String.join(", ", modules.stream().limit(8).toList()));
  }

  private static Path moduleFile(Path root, String module) {
    Path base = root.resolve(module.replace('.', '/'));
    Path file = base.resolveSibling(base.getFileName() + ".py");
    if (Files.isRegularFile(file)) {
      return file;
    }
    Path init = base.resolve("__init__.py");
    return Files.isRegularFile(init) ? init : null;
  }

  /** Whether the source names {@code function} at all (defined, assigned or imported), or star-imports. */
  private static boolean names(Path file, String function) throws IOException {
    String src = Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
    return src.contains("import *") || java.util.regex.Pattern.compile("\\b" + java.util.regex.Pattern.quote(function)
        + "\\b").matcher(src).find();
  }

  private static String closestFunction(Path file, String function, String module) throws IOException {
    String src = Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^(?:async\\s+)?def\\s+([A-Za-z_]\\w*)").matcher(src);
    List<String> defs = new ArrayList<>();
    while (m.find()) {
      defs.add(m.group(1));
    }
    String closest = closest(function, defs);
    return closest != null ? "; did you mean " + module + "." + closest + "?"
        : defs.isEmpty() ? "" : "; it defines " + String.join(", ", defs.stream().limit(8).toList());
  }

  /** Dotted module names of the .py files below {@code root}, hidden folders and virtualenvs left out. */
  static List<String> modulesBelow(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root, 6)) {
      s.filter(p -> p.toString().endsWith(".py") && Files.isRegularFile(p)).limit(MAX_FILES).forEach(p -> {
        String rel = root.relativize(p).toString().replace('\\', '/');
        if (rel.startsWith(".") || rel.contains("/.") || rel.contains("site-packages/")) {
          return;
        }
        String dotted = rel.substring(0, rel.length() - 3).replace('/', '.');
        out.add(dotted.endsWith(".__init__") ? dotted.substring(0, dotted.length() - 9) : dotted);
      });
    }
    return out;
  }

  /**
   * The candidate the user most likely meant: one whose dotted name ends the wanted one or is ended
   * by it ({@code src.app} → {@code app}, {@code handler} → {@code lambda_handler}), else one within
   * two edits; null when none is close.
   */
  static String closest(String wanted, List<String> candidates) {
    for (String c : candidates) {
      if (wanted.endsWith("." + c) || c.endsWith("." + wanted) || c.endsWith("_" + wanted)
          || wanted.endsWith("_" + c)) {
        return c;
      }
    }
    String best = null;
    int bestDistance = 3;
    for (String c : candidates) {
      int d = distance(wanted, c);
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int[] cur = new int[b.length() + 1];
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
      prev = cur;
    }
    return prev[b.length()];
  }
}
