package dev.layerslim.python;

import dev.layerslim.layer.Arch;
import dev.layerslim.layer.Target;
import dev.layerslim.error.LayerslimException;
import java.util.List;

/**
 * The interpreter that can run the target's code on this host, or why there is none.
 *
 * <p>The smoke test and the bytecode compiler need an interpreter of the target's exact version
 * (pyc magic numbers differ between versions) on the target's architecture (the layer's ELF objects
 * must load). When the host has neither, those steps are skipped with {@link #problem} as the reason.
 *
 * @param interpreter the interpreter to run, or null
 * @param problem why the host cannot run the target's code, or null
 */
public record TargetPython(Interpreter interpreter, String problem) {

  /** Finds the interpreter: {@code userExe}, else {@code python3.X}, else {@code python3}. */
  public static TargetPython find(ProcessRunner runner, Target target, String userExe) {
    Arch host = Arch.host();
    if (host != target.arch()) {
      return new TargetPython(null, "the target is " + target.arch().lambdaName() + " and this host is "
          + (host == null ? System.getProperty("os.arch") : host.lambdaName()) + ": its binaries cannot run here");
    }
    return findVersion(runner, target, userExe, true);
  }

  /**
   * An interpreter of the target's Python version on any architecture: enough to compile pycs,
   * which depend on the version (their magic number), not on the machine.
   */
  public static TargetPython findForBytecode(ProcessRunner runner, Target target, String userExe) {
    return findVersion(runner, target, userExe, false);
  }

  private static TargetPython findVersion(ProcessRunner runner, Target target, String userExe, boolean sameMachine) {
    List<String> candidates = Interpreter.candidates(target, userExe);
    Interpreter found;
    try {
      found = Interpreter.probeFirst(runner, candidates);
    } catch (LayerslimException e) {
      return new TargetPython(null, "cannot run the interpreter '" + candidates.get(candidates.size() - 1) + "'"
          + (Interpreter.userChose(userExe) ? "" : "; name one with --python-exe"));
    }
    if (!found.version().equals(target.python())) {
      return new TargetPython(null, "the target is python" + target.python() + " and the host has no such interpreter ("
          + found.exe() + " is " + found.version() + "); install python" + target.python()
          + " or name it with --python-exe");
    }
    if (sameMachine && !found.machine().equals(target.arch().machine())) {
      return new TargetPython(null, found.exe() + " runs on " + found.machine() + ", the target is "
          + target.arch().machine());
    }
    return new TargetPython(found, null);
  }
}
