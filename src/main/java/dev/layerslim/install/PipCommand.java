package dev.layerslim.install;

import dev.layerslim.layer.Arch;
import dev.layerslim.layer.Target;
import dev.layerslim.pipeline.InstallOptions;
import dev.layerslim.python.Interpreter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The pip command line for a target.
 *
 * <p>When the host can stand for the target (same Python, same architecture, a glibc no newer
 * than the target's: inside the action's SAM image) pip runs plainly. Otherwise it runs
 * <em>targeted</em>: one {@code --platform} for every manylinux tag the target's glibc accepts
 * (pip 23 does not expand {@code manylinux_2_26} to the older tags by itself), binary wheels only,
 * and the target's Python version and ABI, so that pip picks wheels that load on Lambda.
 */
public final class PipCommand {
  /** The oldest glibc a manylinux_2_N tag names; older wheels carry the legacy aliases. */
  private static final int OLDEST_PEP600_GLIBC = 17;

  private PipCommand() {}

  /** Why pip runs targeted for this host, or null when a plain install fits the target. */
  public static String targetedReason(Target target, Interpreter host) {
    if (!target.python().equals(host.version())) {
      return "the host Python is " + host.version() + ", the target python" + target.python();
    }
    Arch hostArch = Arch.parse(host.machine());
    if (hostArch != target.arch()) {
      return "the host is " + host.machine() + ", the target " + target.arch().machine();
    }
    if (host.glibcMinor() < 0 || host.glibcMinor() > target.glibcMinor()) {
      return "the host glibc is " + (host.glibc().isEmpty() ? "unknown" : host.glibc()) + ", newer than the target's "
          + target.glibc() + " (" + target.os() + ")";
    }
    return null;
  }

  /** Every manylinux platform tag a target's glibc accepts, newest first. */
  public static List<String> platformTags(Target target) {
    String m = target.arch().machine();
    List<String> tags = new ArrayList<>();
    for (int minor = target.glibcMinor(); minor >= OLDEST_PEP600_GLIBC; minor--) {
      tags.add("manylinux_2_" + minor + "_" + m);
    }
    tags.add("manylinux2014_" + m);
    if (target.arch() == Arch.X86_64) {
      // manylinux2010 (glibc 2.12) and manylinux1 (2.5) exist only for x86 platforms
      tags.add("manylinux2010_" + m);
      tags.add("manylinux1_" + m);
    }
    return tags;
  }

  /**
   * The whole command line.
   *
   * @param targeted whether to run targeted (see {@link #targetedReason})
   */
  public static List<String> build(String pythonExe, InstallOptions o, Target target, Path installDir,
      boolean targeted) {
    // --no-compile: pip would byte-compile every module (two thirds of a GIS install's time), and the
    // layer ships none of those pycs: the bytecode step compiles the cold path itself
    List<String> cmd = new ArrayList<>(List.of(pythonExe, "-m", "pip", "install",
        "--target", installDir.toString(), "--no-warn-script-location", "--disable-pip-version-check",
        "--no-compile", "-r", o.requirements().toString()));
    cmd.addAll(indexArgs(o));
    if (targeted) {
      cmd.addAll(targetArgs(target));
    }
    return cmd;
  }

  /** Where pip looks: the user's index, extra indexes and find-links, as the install passes them. */
  static List<String> indexArgs(InstallOptions o) {
    List<String> cmd = new ArrayList<>();
    if (o.indexUrl() != null) {
      cmd.add("--index-url");
      cmd.add(o.indexUrl());
    }
    for (String u : o.extraIndexUrls()) {
      cmd.add("--extra-index-url");
      cmd.add(u);
    }
    for (String f : o.findLinks()) {
      cmd.add("--find-links");
      cmd.add(f);
    }
    if (o.noIndex()) {
      cmd.add("--no-index");
    }
    if (o.requireHashes()) {
      cmd.add("--require-hashes");
    }
    return cmd;
  }

  /** What a targeted pip takes: the target's platform tags, Python and ABI, binary wheels only. */
  static List<String> targetArgs(Target t) {
    List<String> cmd = new ArrayList<>();
    for (String tag : platformTags(t)) {
      cmd.add("--platform");
      cmd.add(tag);
    }
    cmd.addAll(List.of("--only-binary=:all:", "--python-version", t.python(), "--implementation", "cp",
        "--abi", t.abiTag()));
    return cmd;
  }
}
