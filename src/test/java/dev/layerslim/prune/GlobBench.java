package dev.layerslim.prune;

import dev.layerslim.layer.FileEntry;
import dev.layerslim.layer.Glob;
import dev.layerslim.layer.GlobSet;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.layer.Ownership;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A benchmark, not a test: the prune planner's glob matching with many user excludes, each glob
 * tested in order (as the planner did) against the one {@link GlobSet}. Run by hand:
 * {@code java -cp target/classes:target/test-classes:<deps> dev.layerslim.prune.GlobBench SITE [N [PATHS [set-only]]]}
 * (PATHS: match only that many of the tree's paths, evenly spread; the plan still reads all).
 */
public final class GlobBench {
  private GlobBench() {}

  public static void main(String[] args) throws Exception {
    Path site = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
    LayerTree tree = LayerTree.scan(site);
    int sample = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
    // every k-th path, when the one-by-one side would take too long on all of them
    List<String> all = tree.files().stream().map(FileEntry::path).toList();
    int step = Math.max(1, all.size() / Math.min(sample, all.size()));
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < all.size(); i += step) {
      paths.add(all.get(i));
    }
    // what a generated exclude list looks like: exact files, folders' contents, names anywhere, extensions
    List<Glob> globs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String g = switch (i % 4) {
        case 0 -> "gen" + i + "/data/file" + i + ".bin";
        case 1 -> "gen" + i + "/data/*.json";
        case 2 -> "**/fixture_" + i + ".py";
        default -> "*.ext" + i;
      };
      globs.add(Glob.compile(g, "bench"));
    }
    // the last few match real files, so neither side stops early
    globs.add(Glob.compile("matplotlib/mpl-data/**", "bench"));
    globs.add(Glob.compile("**/tests/**", "bench"));
    System.out.printf(Locale.ROOT, "%d files, %d globs%n", paths.size(), globs.size());
    System.out.flush();
    for (int round = 0; round < 2; round++) {
      long t0 = System.nanoTime();
      GlobSet set = GlobSet.of(globs);
      int matchedSet = 0;
      for (String p : paths) {
        matchedSet += set.first(p) == null ? 0 : 1;
      }
      long t1 = System.nanoTime();
      int matchedLinear = 0;
      for (String p : args.length > 3 && args[3].equals("set-only") ? List.<String>of() : paths) {
        for (Glob g : globs) {
          if (g.matches(p)) {
            matchedLinear++;
            break;
          }
        }
      }
      long t2 = System.nanoTime();
      System.out.printf(Locale.ROOT, "round %d: GlobSet %.2f s (%d matched), one by one %.2f s (%d matched)%n", round,
          (t1 - t0) / 1e9, matchedSet, (t2 - t1) / 1e9, matchedLinear);
      System.out.flush();
    }
    long t3 = System.nanoTime();
    PrunePlan plan = PrunePlanner.plan(new PrunePlanner.Input(tree, new Ownership(List.of()), null, false, globs,
        List.of(), null));
    System.out.printf(Locale.ROOT, "PrunePlanner.plan with them: %.2f s, %d deletions%n",
        (System.nanoTime() - t3) / 1e9, plan.deletions().size());
  }
}
