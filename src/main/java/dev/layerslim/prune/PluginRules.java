package dev.layerslim.prune;

import dev.layerslim.python.ModuleFacts;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The documented rules for code that picks modules by name at run time, where the general
 * "a computed import keeps its whole package" would keep far more than can load.
 *
 * <ul>
 *   <li>{@code matplotlib-backends}: matplotlib imports its backend by name (pyplot's
 *       {@code switch_backend}, the backend registry, {@code savefig}'s format backends). Its GUI
 *       backend modules ({@code backend_qt*}, {@code backend_gtk*}, {@code backend_tk*}, {@code backend_wx*},
 *       {@code backend_macosx}, {@code backend_webagg*}, {@code backend_nbagg}, {@code backend_cairo}, and
 *       their {@code _tkagg}/{@code _macosx}/{@code qt_compat} helpers) are units; kept are Agg (the
 *       default without a display, as on Lambda), the format backends savefig picks by file extension
 *       (pdf, ps, svg, pgf), the backend {@code MPLBACKEND} names at build time, the one matplotlib's rc
 *       file sets, and any backend name the handler spells as a string ({@code matplotlib.use("cairo")}).
 *       Run the build with the function's MPLBACKEND, or protect a backend with {@code --include}.</li>
 *   <li>{@code scipy-deprecation-shims}: {@code scipy/_lib/deprecation.py} imports
 *       {@code scipy.<sub_package>…} for the deprecated shim modules; each shim passes its own
 *       sub-package as a literal ({@code sub_package="spatial"} in {@code scipy/spatial/ckdtree.py}), and
 *       the shim being reached means that sub-package is. The rule reaches every literal
 *       {@code sub_package=} of the reached modules to be sure.</li>
 * </ul>
 */
final class PluginRules {
  /** A rule's decision about one computed-import site. */
  record Decision(String rule, List<String> reaches, String detail) {}

  static final String MPL_BACKENDS = "matplotlib.backends.";
  private static final List<String> GUI_PREFIXES = List.of("backend_qt", "backend_gtk", "backend_tk", "backend_wx",
      "backend_macosx", "backend_webagg", "backend_nbagg", "backend_cairo", "backend_template");
  private static final Set<String> GUI_HELPERS = Set.of("_tkagg", "_macosx", "qt_compat", "_backend_tk",
      "_backend_gtk", "_backend_pdf_ps");
  private static final List<String> ALWAYS = List.of("agg", "pdf", "ps", "svg", "pgf", "mixed");

  private final Set<String> backends = new LinkedHashSet<>(ALWAYS);
  private final List<String> sources = new ArrayList<>();

  PluginRules(String mplBackend) {
    if (mplBackend != null && !mplBackend.isBlank()) {
      selectBackend(mplBackend, "MPLBACKEND");
    }
  }

  /** True for a module the matplotlib rule decides one by one. */
  boolean isPluginUnit(String module) {
    if (!module.startsWith(MPL_BACKENDS) || module.substring(MPL_BACKENDS.length()).contains(".")) {
      return false;
    }
    String leaf = module.substring(MPL_BACKENDS.length());
    if (GUI_HELPERS.contains(leaf) && !leaf.equals("_backend_pdf_ps")) {
      return true;
    }
    return GUI_PREFIXES.stream().anyMatch(leaf::startsWith);
  }

  /** A backend chosen by name: {@code QtAgg}, {@code module://my.backend}; from {@code source}. */
  void selectBackend(String name, String source) {
    String n = name.strip();
    if (n.isEmpty()) {
      return;
    }
    backends.add(n.startsWith("module://") ? n : n.toLowerCase(Locale.ROOT));
    sources.add(source + ": " + n);
  }

  /** Strings the handler spells: any that names a backend module selects it (conservatively). */
  void selectFromStrings(Iterable<String> strings, java.util.function.Predicate<String> moduleExists) {
    for (String s : strings) {
      String n = s.strip();
      if (n.startsWith("module://") || (!n.isEmpty() && n.length() < 40 && n.matches("[A-Za-z0-9_]+")
          && moduleExists.test(MPL_BACKENDS + "backend_" + n.toLowerCase(Locale.ROOT)))) {
        selectBackend(n, "a string in the handler");
      }
    }
  }

  /** The backend modules kept: {@code matplotlib.backends.backend_agg}, … */
  List<String> keptBackendModules() {
    List<String> out = new ArrayList<>();
    for (String b : backends) {
      out.add(b.startsWith("module://") ? b.substring("module://".length()) : MPL_BACKENDS + "backend_" + b);
    }
    return out;
  }

  /**
   * The rule that covers a computed import at {@code site} in {@code file}, or null.
   *
   * @param subPackageLiterals the literal {@code sub_package=} arguments seen in reached modules
   */
  Decision decide(String file, ModuleFacts.Site site, ModuleFacts facts, Set<String> subPackageLiterals) {
    if (file.startsWith("matplotlib/")) {
      List<String> reach = new ArrayList<>(keptBackendModules());
      return new Decision("matplotlib-backends", reach, "matplotlib picks its backend by name: kept are "
          + String.join(", ", backends) + (sources.isEmpty() ? "" : " (" + String.join("; ", sources) + ")")
          + "; the other GUI backends are not");
    }
    if (file.equals("scipy/_lib/deprecation.py")) {
      List<String> reach = subPackageLiterals.stream().map(s -> "scipy." + s).toList();
      return new Decision("scipy-deprecation-shims", reach, "imports scipy.<sub_package> for deprecated shim "
          + "modules, each of which passes its own sub-package: " + (reach.isEmpty() ? "none reached"
              : String.join(", ", reach)));
    }
    return null;
  }
}
