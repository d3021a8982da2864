package dev.layerslim.layer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which distribution each file of a layer belongs to.
 *
 * <p>First by RECORD; a file RECORD does not list (a pyc pip wrote, a file added by hand) by its
 * dist-info folder or its top-level name ({@code numpy/…}, {@code numpy.libs/…}); the rest is
 * {@link #UNATTRIBUTED}.
 */
public final class Ownership {
  /** The owner of files no distribution claims. */
  public static final String UNATTRIBUTED = "(unattributed)";

  private final Map<String, String> byRecord = new HashMap<>();
  private final Map<String, String> byTopLevel = new HashMap<>();

  public Ownership(List<Distribution> distributions) {
    for (Distribution d : distributions) {
      byTopLevel.put(d.distInfo(), d.name());
      for (String p : d.recordPaths()) {
        byRecord.putIfAbsent(p, d.name());
      }
    }
    // Top-level names second, so that a name several distributions share (a namespace package)
    // goes to the first that claims it by RECORD or top_level.txt, and never overrides a dist-info.
    for (Distribution d : distributions) {
      for (String top : d.topLevelNames()) {
        byTopLevel.putIfAbsent(top, d.name());
        byTopLevel.putIfAbsent(top + ".libs", d.name());
      }
    }
  }

  /** The owning distribution's normalised name, or {@link #UNATTRIBUTED}. */
  public String ownerOf(String path) {
    String owner = byRecord.get(path);
    if (owner != null) {
      return owner;
    }
    int slash = path.indexOf('/');
    String top = slash < 0 ? path : path.substring(0, slash);
    owner = byTopLevel.get(top);
    if (owner == null && slash < 0) {
      // a top-level module: six.py, or a compiled one, _foo.cpython-311-x86_64-linux-gnu.so
      int dot = top.indexOf('.');
      if (dot > 0) {
        owner = byTopLevel.get(top.substring(0, dot));
      }
    }
    if (owner == null && top.equals("__pycache__") && slash > 0) {
      // __pycache__/six.cpython-311.pyc belongs to six.py's owner
      String name = path.substring(slash + 1);
      int dot = name.indexOf('.');
      owner = dot > 0 ? byTopLevel.get(name.substring(0, dot)) : null;
    }
    return owner == null ? UNATTRIBUTED : owner;
  }
}
