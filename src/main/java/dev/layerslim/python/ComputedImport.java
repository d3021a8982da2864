package dev.layerslim.python;

/**
 * An {@code import_module}/{@code __import__} call whose module name cannot be read statically: a
 * parameter, a value computed at run time, an f-string. What it may import is every module whose
 * name starts with {@link #head}.
 *
 * @param call the call as written, shortened ({@code importlib.import_module(f"plugins.{…}")})
 * @param head the literal start of the absolute name ({@code plugins.} of {@code f"plugins.{name}"};
 *     a relative head resolved against its {@code package=}); empty when nothing of it is literal
 * @param line 1-based
 * @param optional guarded by {@code except ImportError} (or under {@code if TYPE_CHECKING:})
 * @param callTime inside a {@code def} or a lambda
 */
public record ComputedImport(String call, String head, int line, boolean optional, boolean callTime) {
  /** The top-level name the head pins, or null when its first segment is not complete. */
  public String topLevel() {
    int dot = head.indexOf('.');
    return dot < 0 ? null : head.substring(0, dot);
  }
}
