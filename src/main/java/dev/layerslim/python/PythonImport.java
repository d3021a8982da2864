package dev.layerslim.python;

import java.util.List;

/**
 * One import found in a Python module.
 *
 * @param module the absolute dotted module imported ({@code a.b} for {@code import a.b as c} and for
 *     {@code from a.b import c}); relative imports are resolved against the module's package
 * @param names the names a {@code from} import takes ({@code [c]}, {@code [*]}), empty otherwise;
 *     each may be a submodule of {@link #module}
 * @param line the 1-based line where the statement or call starts
 * @param optional true inside a {@code try:} whose handler catches ImportError (or a parent of
 *     it, or everything) in the same function, or under {@code if TYPE_CHECKING:}, which never runs:
 *     the module works without it
 * @param callTime true inside a {@code def} or a lambda: it runs when that is called, not when the
 *     module is imported
 * @param dynamic true for an {@code import_module}/{@code __import__} call whose name was read
 *     statically (a literal, a module-level constant, a loop over a literal tuple)
 */
public record PythonImport(String module, List<String> names, int line, boolean optional, boolean callTime,
    boolean dynamic) {
  public PythonImport {
    names = List.copyOf(names);
  }

  /** The first segment of {@link #module}: the name Python looks up on {@code sys.path}. */
  public String topLevel() {
    int dot = module.indexOf('.');
    return dot < 0 ? module : module.substring(0, dot);
  }
}
