package dev.layerslim.compat;

import dev.layerslim.compat.CompatFinding.Severity;
import dev.layerslim.elf.ElfFile;
import dev.layerslim.elf.ElfFormatException;
import dev.layerslim.elf.GlibcVersion;
import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds ELF objects of a layer that will not load on the target Lambda runtime, before Lambda
 * does: the build machine (a newer glibc, another CPU) happily imports what Lambda refuses.
 *
 * <p>Checks per object:
 * <ul>
 *   <li>{@code e_machine} is the target architecture's (ERROR);
 *   <li>the highest {@code GLIBC_x.y} it needs is at most the runtime's glibc (ERROR);
 *   <li>a CPython extension's file-name tag ({@code .cpython-311-x86_64-linux-gnu.so}) names the
 *       target Python, architecture and glibc; {@code .abi3.so} and untagged {@code .so} fit any
 *       target (ERROR);
 *   <li>every DT_NEEDED library resolves inside the layer or is one {@link SystemLibraries} lists
 *       (WARNING: the dynamic loader may still find it through an already loaded object).
 * </ul>
 *
 * <p>A DT_NEEDED name resolves inside the layer, in order: in the object's own folder; through
 * {@code $ORIGIN}-relative DT_RUNPATH entries (or DT_RPATH when there is no DT_RUNPATH, as the
 * loader does); in any {@code *.libs} folder (auditwheel's vendored libraries); and, as a last
 * resort, any file of the layer with that file name or soname, which the loader reuses once another
 * object has loaded it.
 */
public final class CompatChecker {
  private static final Pattern CPYTHON_TAG =
      Pattern.compile("\\.cpython-(\\d)(\\d+)([a-z]*)-([A-Za-z0-9_]+)-linux-([a-z0-9]+)\\.so$");

  private final Target target;
  private final Set<String> systemLibs;
  private final GlibcVersion glibc;

  /**
   * @param target the runtime to check against
   * @param extraSystemLibs more sonames to count as provided (a custom image, a second layer)
   */
  public CompatChecker(Target target, Set<String> extraSystemLibs) {
    this.target = target;
    Set<String> libs = new HashSet<>(SystemLibraries.forTarget(target));
    libs.addAll(extraSystemLibs);
    this.systemLibs = Set.copyOf(libs);
    this.glibc = GlibcVersion.parse(target.glibc())
        .orElseThrow(() -> new IllegalArgumentException("target glibc is not a version: " + target.glibc()));
  }

  /**
   * Checks the ELF entries of {@code elfFiles} under {@code root}.
   *
   * @param ownerOf maps a layer path to its distribution's name, for the findings
   * @return the findings, sorted by file, errors first
   */
  public List<CompatFinding> check(Path root, List<FileEntry> elfFiles, Function<String, String> ownerOf) {
    Map<String, ElfFile> objects = new LinkedHashMap<>();
    List<CompatFinding> findings = new ArrayList<>();
    Set<String> layerPaths = new HashSet<>();
    Map<String, List<String>> byName = new HashMap<>();
    for (FileEntry entry : elfFiles) {
      if (!entry.elf()) {
        continue;
      }
      // A link (libfoo.so.1 -> libfoo.so.1.2.3) provides its name, but is not checked twice.
      layerPaths.add(entry.path());
      byName.computeIfAbsent(entry.fileName(), k -> new ArrayList<>()).add(entry.path());
      if (entry.link()) {
        continue;
      }
      try {
        ElfFile elf = ElfFile.read(root.resolve(entry.path()));
        objects.put(entry.path(), elf);
        elf.soname().ifPresent(s -> byName.computeIfAbsent(s, k -> new ArrayList<>()).add(entry.path()));
      } catch (ElfFormatException | IOException e) {
        findings.add(new CompatFinding(entry.path(), ownerOf.apply(entry.path()), Severity.WARNING,
            "starts like an ELF object but cannot be read, so it was not checked: " + e.getMessage(),
            "a readable ELF object", "unreadable"));
      }
    }
    Layer layer = new Layer(root, layerPaths, byName);
    for (Map.Entry<String, ElfFile> e : objects.entrySet()) {
      checkObject(e.getKey(), e.getValue(), ownerOf.apply(e.getKey()), layer, findings);
    }
    findings.sort(Comparator.comparing(CompatFinding::file).thenComparing(CompatFinding::severity)
        .thenComparing(CompatFinding::needed));
    return findings;
  }

  private void checkObject(String path, ElfFile elf, String dist, Layer layer, List<CompatFinding> out) {
    String runtime = "python" + target.python() + " " + target.arch().lambdaName();
    if (elf.machine() != target.arch().elfMachine()) {
      out.add(new CompatFinding(path, dist, Severity.ERROR, path + " is built for " + elf.machineName()
          + " and cannot load on the " + runtime + " runtime; install the " + target.arch().machine()
          + " wheel (pip --platform manylinux2014_" + target.arch().machine() + ")",
          elf.machineName(), ElfFile.machineName(target.arch().elfMachine()) + " (" + runtime + ")"));
    }
    Optional<GlibcVersion> max = elf.maxGlibc();
    if (max.isPresent() && max.get().compareTo(glibc) > 0) {
      out.add(new CompatFinding(path, dist, Severity.ERROR, path + " needs " + max.get().versionName()
          + " but the runtime has glibc " + glibc + "; the import fails with \"version `"
          + max.get().versionName() + "' not found\". Use a wheel built for manylinux_" + glibc.major() + "_"
          + glibc.minor() + " or older", max.get().versionName(), glibcText()));
    }
    checkAbiTag(path, dist, out);
    for (String needed : elf.needed()) {
      if (!systemLibs.contains(needed) && !layer.resolves(path, elf, needed)) {
        out.add(new CompatFinding(path, dist, Severity.WARNING, path + " needs " + needed
            + ", which neither the layer nor the " + runtime + " runtime provides; vendor it (auditwheel "
            + "repair) or declare it as provided by another layer", needed,
            "not in the layer nor among the runtime's libraries"));
      }
    }
  }

  private void checkAbiTag(String path, String dist, List<CompatFinding> out) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    Matcher m = CPYTHON_TAG.matcher(name);
    if (!m.find()) {
      return; // .abi3.so fits every Lambda Python (all >= 3.2); an untagged .so says nothing
    }
    String tag = "cpython-" + m.group(1) + m.group(2) + m.group(3) + "-" + m.group(4) + "-linux-" + m.group(5);
    String wanted = "cpython-" + target.pythonNoDot() + "-" + target.arch().machine() + "-linux-gnu";
    String version = m.group(1) + "." + m.group(2);
    if (!version.equals(target.python()) || !m.group(3).isEmpty()) {
      String build = m.group(3).isEmpty() ? "" : " (ABI flags '" + m.group(3) + "')";
      out.add(new CompatFinding(path, dist, Severity.ERROR, path + " is an extension for CPython " + version + build
          + ", which python" + target.python() + " will not import; install the distribution for python"
          + target.python(), tag, wanted));
    } else if (!m.group(4).equals(target.arch().machine()) || !m.group(5).equals("gnu")) {
      out.add(new CompatFinding(path, dist, Severity.ERROR, path + " is an extension for " + m.group(4) + "-linux-"
          + m.group(5) + ", which the " + target.arch().lambdaName() + " glibc runtime will not import", tag, wanted));
    }
  }

  private String glibcText() {
    String where = target.glibcOverridden() ? "a custom image" : target.os();
    return "glibc " + glibc + " (" + where + ", python" + target.python() + ")";
  }

  /** The layer's files, for DT_NEEDED lookups. */
  private record Layer(Path root, Set<String> paths, Map<String, List<String>> byName) {

    boolean resolves(String objectPath, ElfFile elf, String needed) {
      String dir = parent(objectPath);
      if (needed.contains("/")) {
        // a path in DT_NEEDED is used as is by the loader: relative to the working directory
        return false;
      }
      if (exists(join(dir, needed))) {
        return true;
      }
      List<String> searchPath = elf.runpath().isEmpty() ? elf.rpath() : elf.runpath();
      for (String entry : searchPath) {
        String rest = entry.startsWith("$ORIGIN") ? entry.substring(7)
            : entry.startsWith("${ORIGIN}") ? entry.substring(9) : null;
        if (rest == null) {
          continue; // an absolute entry points at the build machine, not into the layer
        }
        String folder = normalize(dir + "/" + rest);
        if (folder != null && exists(join(folder, needed))) {
          return true;
        }
      }
      // auditwheel's *.libs folders, then anywhere: the loader reuses a library another object
      // of the layer has already loaded under that soname
      return byName.containsKey(needed);
    }

    private boolean exists(String relPath) {
      if (relPath == null) {
        return false;
      }
      if (paths.contains(relPath)) {
        return true;
      }
      Path p = root.resolve(relPath).normalize();
      return p.startsWith(root.normalize()) && Files.isRegularFile(p);
    }

    private static String parent(String path) {
      int slash = path.lastIndexOf('/');
      return slash < 0 ? "" : path.substring(0, slash);
    }

    private static String join(String dir, String name) {
      return dir.isEmpty() ? name : dir + "/" + name;
    }

    /** Collapses '.' and '..'; null when the path climbs out of the layer root. */
    private static String normalize(String path) {
      Deque<String> parts = new ArrayDeque<>();
      for (String seg : path.split("/")) {
        if (seg.isEmpty() || seg.equals(".")) {
          continue;
        }
        if (seg.equals("..")) {
          if (parts.isEmpty()) {
            return null;
          }
          parts.removeLast();
        } else {
          parts.addLast(seg);
        }
      }
      return String.join("/", parts);
    }
  }
}
