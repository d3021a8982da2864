package dev.layerslim.smoke;

import dev.layerslim.layer.Plural;
import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.Ownership;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.InstallResult;
import dev.layerslim.pipeline.Removals;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.python.ImportProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Heals a layer that passed the smoke test before pruning and fails after: stripped ELF objects that
 * no longer load get their originals back; then the removals are bisected (by rule and distribution
 * first, then by file) to the smallest set whose restoration makes the test pass, and that set is
 * kept. A file the user's own {@code --exclude} removed is never put back silently: that is exit 3.
 */
final class Healer {
  /** The rule name the prune step gives removals asked for with {@code --exclude}. */
  static final String USER_EXCLUDE = "user-exclude";

  /**
   * One change undone: which rule removed (or strip changed) which file, or which whole unit (a
   * distribution judged unused, a sub-package judged unreached), and which check needed it.
   *
   * @param path the file, or the unit ({@code fiona}, {@code scipy/stats/})
   * @param files the files put back: {@code path} alone, or every file of the unit
   */
  record Healed(String rule, String path, String check, String reason, List<String> files) {
    Healed(String rule, String path, String check, String reason) {
      this(rule, path, check, reason, List.of(path));
    }

    String sentence() {
      String what = files.size() > 1 || !files.get(0).equals(path) ? path + " (" + Plural.count(files.size(), "file") + ")" : path;
      return "rule " + rule + " " + (rule.equals("strip") ? "stripped " : "removed ") + what + ", which `" + check
          + "` needs: kept" + (rule.equals("strip") ? " unstripped" : files.size() > 1 ? " whole" : "");
    }
  }

  /** The final run and what was undone to get there. */
  record Outcome(ImportProbe.Result result, List<Healed> healed) {
    /** The removals healing put back. */
    Set<String> restored() {
      Set<String> s = new TreeSet<>();
      healed.stream().filter(h -> !h.rule().equals("strip")).forEach(h -> s.addAll(h.files()));
      return s;
    }
  }

  private final BuildContext ctx;
  private final InstallResult install;
  private final Path layerRoot;
  private final Removals removals;
  private final ImportProbe.Spec spec;
  private final ImportProbe.Result before;
  private final Set<String> sourceElf = new TreeSet<>();
  private final List<String> layerElf;

  /**
   * Heals the layer at {@code layerRoot}, staged from {@code install} less {@code removals}; {@code
   * before} is the smoke test of the input, {@code spec} the test over the layer.
   */
  Healer(BuildContext ctx, InstallResult install, Path layerRoot, Removals removals, ImportProbe.Spec spec,
      ImportProbe.Result before) {
    this.ctx = ctx;
    this.install = install;
    this.layerRoot = layerRoot;
    this.removals = removals;
    this.spec = spec;
    this.before = before;
    for (FileEntry f : install.tree().files()) {
      if (f.elf()) {
        sourceElf.add(f.path());
      }
    }
    this.layerElf = spec.elf();
  }

  /**
   * ELF objects that loaded before any change and fail now. An object the before run did not try
   * (one the prune plan meant to remove, brought back by healing) cannot count as damage.
   */
  static List<String> damage(ImportProbe.Result before, ImportProbe.Result after) {
    Set<String> tried = new HashSet<>(before.dlopenTried());
    return after.dlopenFailed().keySet().stream()
        .filter(p -> tried.contains(p) && !before.dlopenFailed().containsKey(p)).sorted().toList();
  }

  static boolean ok(ImportProbe.Result before, ImportProbe.Result after) {
    return after.passed() && damage(before, after).isEmpty();
  }

  /** What failed, for people: {@code import app, dlopen pkg/_x.so}. */
  static String failedChecks(ImportProbe.Result before, ImportProbe.Result after) {
    List<String> checks = new ArrayList<>();
    after.failures().forEach(f -> checks.add(f.check()));
    damage(before, after).forEach(p -> checks.add("dlopen " + p));
    return String.join(", ", checks);
  }

  static String failureDetails(ImportProbe.Result before, ImportProbe.Result after) {
    List<String> lines = new ArrayList<>();
    after.failures().forEach(f -> lines.add(f.toString()));
    damage(before, after).forEach(p -> lines.add("dlopen " + p + ": " + after.dlopenFailed().get(p)));
    return String.join("; ", lines);
  }

  Outcome heal(ImportProbe.Result failing) throws IOException {
    List<Healed> healed = new ArrayList<>();
    ImportProbe.Result current = failing;
    List<String> stripped = new ArrayList<>();
    for (String p : damage(before, current)) {
      Path original = install.sourceRoot().resolve(p);
      Path inLayer = layerRoot.resolve(p);
      if (!removals.contains(p) && Files.isRegularFile(inLayer) && Files.isRegularFile(original)
          && Files.mismatch(original, inLayer) != -1) {
        Files.copy(original, inLayer, StandardCopyOption.REPLACE_EXISTING);
        stripped.add(p);
      }
    }
    if (!stripped.isEmpty()) {
      ImportProbe.Result again = run(Set.of());
      for (String p : stripped) {
        if (!again.dlopenFailed().containsKey(p)) {
          healed.add(new Healed("strip", p, "dlopen " + p, current.dlopenFailed().get(p)));
        }
      }
      current = again;
    }
    if (ok(before, current)) {
      return new Outcome(current, healed);
    }
    String checks = failedChecks(before, current);
    String details = failureDetails(before, current);
    List<String> candidates = new ArrayList<>();
    for (String p : removals.paths()) {
      if (Files.isRegularFile(install.sourceRoot().resolve(p))) {
        candidates.add(p);
      }
    }
    LayerRestorer restorer = new LayerRestorer(install.sourceRoot(), layerRoot);
    if (candidates.isEmpty() || !ok(before, run(restorer, Set.copyOf(candidates)))) {
      restorer.restoreExactly(Set.of());
      throw LayerslimException.stepFailed("the layer fails the smoke test after pruning and stripping ("
          + details + "), and putting back every removed file does not fix it");
    }
    Map<String, List<String>> groups = new LinkedHashMap<>();
    Ownership own = install.ownership();
    for (String p : candidates) {
      Removals.Removal r = removals.get(p);
      String owner = own == null ? Ownership.UNATTRIBUTED : own.ownerOf(p);
      // a removal the rule judged as part of a whole (an unused distribution, an unreached sub-package)
      // is grouped by that whole; the rest by rule and distribution
      groups.computeIfAbsent(r.rule() + " in " + (r.unit() != null ? r.unit() : owner), k -> new ArrayList<>())
          .add(p);
    }
    Bisect<String> byGroup = new Bisect<>(keys -> {
      Set<String> files = new LinkedHashSet<>();
      keys.forEach(k -> files.addAll(groups.get(k)));
      return ok(before, run(restorer, files));
    });
    List<String> neededGroups = byGroup.minimize(new ArrayList<>(groups.keySet()));
    List<String> wholeGroups = new ArrayList<>();
    Set<String> whole = new LinkedHashSet<>();
    List<String> inNeeded = new ArrayList<>();
    for (String k : neededGroups) {
      // a whole the smoke test proves needed was judged wrong as a whole: it comes back whole, data and
      // all, rather than bisected file by file (a smoke run per step, a GIS engine took 848 s, and only
      // what the import touched comes back, without the data a later call reads: a PROJ database)
      if (removals.get(groups.get(k).get(0)).unit() != null) {
        wholeGroups.add(k);
        whole.addAll(groups.get(k));
      } else {
        inNeeded.addAll(groups.get(k));
      }
    }
    Bisect<String> byFile = new Bisect<>(files -> {
      Set<String> all = new LinkedHashSet<>(whole);
      all.addAll(files);
      return ok(before, run(restorer, all));
    });
    List<String> needed = new ArrayList<>(whole);
    needed.addAll(byFile.minimize(inNeeded));
    ctx.info("smoke", "bisected " + Plural.count(candidates.size(), "removal") + " in "
        + Plural.count(byGroup.runs() + byFile.runs(), "run") + ": " + needed.size() + " needed");
    for (String p : needed) {
      Removals.Removal r = removals.get(p);
      if (r.rule().equals(USER_EXCLUDE)) {
        restorer.restoreExactly(Set.of());
        throw LayerslimException.stepFailed("your --exclude removed " + p + " (" + r.reason() + "), which `" + checks
            + "` needs (" + details + "); drop that exclude, or protect the file with --include " + p);
      }
    }
    ImportProbe.Result fin = run(restorer, new LinkedHashSet<>(needed));
    if (!ok(before, fin)) {
      throw LayerslimException.stepFailed("the smoke test passes and fails by turns on the same layer ("
          + failureDetails(before, fin) + "): it may depend on something outside the layer");
    }
    for (String k : wholeGroups) {
      List<String> files = groups.get(k);
      Removals.Removal r = removals.get(files.get(0));
      healed.add(new Healed(r.rule(), r.unit(), checks, r.reason(), List.copyOf(files)));
    }
    for (String p : needed) {
      if (!whole.contains(p)) {
        Removals.Removal r = removals.get(p);
        healed.add(new Healed(r.rule(), p, checks, r.reason()));
      }
    }
    return new Outcome(fin, healed);
  }

  private ImportProbe.Result run(LayerRestorer restorer, Set<String> restored) {
    try {
      restorer.restoreExactly(restored);
      return run(restored);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ImportProbe.Result run(Set<String> restored) throws IOException {
    Set<String> elf = new TreeSet<>(layerElf);
    restored.stream().filter(sourceElf::contains).forEach(elf::add);
    return ImportProbe.run(ctx.processes(), spec.withTree(layerRoot, List.copyOf(elf)));
  }
}
