package dev.layerslim.layer;

import java.util.List;
import java.util.Set;

/**
 * One installed distribution, as its {@code *.dist-info} folder describes it.
 *
 * @param name PEP 503 normalised name ({@code python-dateutil})
 * @param displayName the name as METADATA spells it ({@code python_dateutil} or {@code Pillow})
 * @param version the version string, {@code ""} when METADATA has none
 * @param distInfo the dist-info folder, relative to the layer root ({@code numpy-2.4.6.dist-info})
 * @param requiresDist every {@code Requires-Dist} value, markers unevaluated
 * @param providesExtra every {@code Provides-Extra} value, normalised
 * @param topLevel import names from top_level.txt (may be empty: many wheels lack it)
 * @param recordPaths paths RECORD lists, relative to the layer root, '/'-separated; paths that
 *     pointed outside the layer root ({@code ../../bin/x}) are resolved to where pip put them
 * @param problems what was malformed or missing, for the report; never fatal
 */
public record Distribution(
    String name,
    String displayName,
    String version,
    String distInfo,
    List<String> requiresDist,
    Set<String> providesExtra,
    Set<String> topLevel,
    List<String> recordPaths,
    List<String> problems) {

  public Distribution {
    requiresDist = List.copyOf(requiresDist);
    providesExtra = Set.copyOf(providesExtra);
    topLevel = Set.copyOf(topLevel);
    recordPaths = List.copyOf(recordPaths);
    problems = List.copyOf(problems);
  }

  /**
   * The top-level names this distribution installs, from top_level.txt and the first segments
   * of its RECORD paths (folders and modules: {@code numpy}, {@code numpy.libs}, {@code six.py} →
   * {@code six}). The dist-info folder itself and {@code bin} are not counted.
   */
  public Set<String> topLevelNames() {
    java.util.Set<String> names = new java.util.TreeSet<>(topLevel);
    for (String p : recordPaths) {
      int slash = p.indexOf('/');
      String first = slash < 0 ? p : p.substring(0, slash);
      if (first.equals(distInfo) || first.endsWith(".dist-info") || first.endsWith(".data")
          || first.equals("bin") || first.equals("..") || first.isEmpty()) {
        continue;
      }
      if (slash < 0) {
        // a top-level module file: six.py, _cffi_backend.cpython-311-x86_64-linux-gnu.so
        if (first.endsWith(".py")) {
          names.add(first.substring(0, first.length() - 3));
        } else if (first.endsWith(".so") || first.endsWith(".pyd")) {
          names.add(first.substring(0, first.indexOf('.')));
        } else if (first.endsWith(".pth")) {
          continue;
        } else {
          names.add(first);
        }
      } else {
        names.add(first);
      }
    }
    return names;
  }
}
