package dev.layerslim.report;

import dev.layerslim.reportfile.Report;
import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.Lever;
import dev.layerslim.pipeline.Vocabulary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The fit plan: when the layer is over an unzipped limit or budget, the levers the build left
 * unused, each with the bytes it saves on this layer (measured by the steps that know them:
 * {@code --bytecode sourceless} by the bytecode step, {@code --cold-storage} by packing the
 * candidates; {@code --prune-unused} and {@code --drop-runtime-provided} from the distributions'
 * sizes) and its trade-off, and whether together they fit. The levers touch disjoint files (hot
 * modules, sub-packages the hot path never loads of used distributions, whole unused or
 * runtime-provided distributions), so their savings add up. When even all of them do not fit, the
 * plan says so and names what holds the layer: a container image (10 GB).
 */
final class FitPlan {
  /** A Lambda container image may be up to 10 GB. */
  static final String CONTAINER = "a container image (up to 10 GB, no layer limit) holds it";

  /** One lever as the plan shows it. */
  record Item(Lever lever, String setting) {}

  private final List<Item> items;
  private final long unzipped;
  private final long limit;
  private final String limitName;

  private FitPlan(List<Item> items, long unzipped, long limit, String limitName) {
    this.items = items;
    this.unzipped = unzipped;
    this.limit = limit;
    this.limitName = limitName;
  }

  /**
   * The plan for a layer that failed {@code failed} (the tightest unzipped check exceeded), or null
   * when no unzipped check failed.
   *
   * @param levers what the steps measured
   * @param rows the distributions, for the levers read from them
   */
  static FitPlan of(BuildOptions o, List<Limits.Check> checks, List<Lever> levers, List<PackageRow> rows,
      java.util.Set<String> runtimeProvided) {
    Limits.Check failed = checks.stream().filter(c -> c.name().startsWith("unzipped") && c.exceeded() && c.enforced())
        .min(Comparator.comparingLong(Limits.Check::limitBytes)).orElse(null);
    if (failed == null) {
      return null;
    }
    Vocabulary words = o.vocabulary();
    List<Lever> all = new ArrayList<>(levers);
    if (!o.prune().pruneUnused()) {
      List<PackageRow> unused = rows.stream().filter(r -> !r.used() && !r.removed() && r.unzippedBytes() > 0).toList();
      long bytes = unused.stream().mapToLong(PackageRow::unzippedBytes).sum();
      if (bytes > 0) {
        all.add(new Lever("prune-unused", null, bytes, "drops " + names(unused)
            + ": no handler import reaches " + (unused.size() == 1 ? "it" : "them")));
      }
    }
    if (!o.prune().dropRuntimeProvided()) {
      List<PackageRow> provided = rows.stream().filter(r -> runtimeProvided.contains(r.name()) && r.used()
          && !r.removed() && r.unzippedBytes() > 0).toList();
      long bytes = provided.stream().mapToLong(PackageRow::unzippedBytes).sum();
      if (bytes > 0) {
        all.add(new Lever("drop-runtime-provided", null, bytes, "the runtime's own " + names(provided)
            + " is used instead, whatever version it has"));
      }
    }
    List<Item> items = new ArrayList<>();
    all.stream().filter(l -> l.savedBytes() > 0).sorted(Comparator.comparingLong(Lever::savedBytes).reversed())
        .forEach(l -> items.add(new Item(l, l.value() == null ? words.on(l.flag()) : words.set(l.flag(), l.value()))));
    return new FitPlan(items, failed.actualBytes(), failed.limitBytes(), failed.name());
  }

  private static String names(List<PackageRow> rows) {
    List<String> n = rows.stream().sorted(Comparator.comparingLong(PackageRow::unzippedBytes).reversed())
        .map(PackageRow::name).toList();
    return n.size() > 3 ? String.join(", ", n.subList(0, 3)) + " and " + (n.size() - 3) + " more" : String.join(", ", n);
  }

  long together() {
    return unzipped - items.stream().mapToLong(i -> i.lever().savedBytes()).sum();
  }

  boolean fits() {
    return !items.isEmpty() && together() <= limit;
  }

  /** report.json's {@code fitPlan}. */
  Report.FitPlan section() {
    List<Report.FitLever> levers = new ArrayList<>();
    for (Item i : items) {
      levers.add(new Report.FitLever(i.lever().flag(), i.lever().value(), i.setting(), i.lever().savedBytes(),
          i.lever().tradeOff()));
    }
    return new Report.FitPlan(limitName, limit, unzipped, levers, together(), fits(), fits() ? null : CONTAINER);
  }

  /**
   * One line for the console and the annotations, plain text (an annotation shows Markdown as typed):
   * {@code --cold-storage −16.5 MiB (…) · --bytecode sourceless −14.2 MiB (…) · together: 247.9 MiB, fits}.
   */
  String line() {
    if (items.isEmpty()) {
      return "no lever is left that would make this layer smaller: " + CONTAINER;
    }
    List<String> parts = new ArrayList<>();
    for (Item i : items) {
      parts.add(i.setting() + " −" + Sizes.human(i.lever().savedBytes()) + " (" + i.lever().tradeOff() + ")");
    }
    parts.add("together: " + Sizes.human(together()) + (fits() ? ", fits" : ", still " + Sizes.human(together() - limit)
        + " over " + Sizes.human(limit) + ": " + CONTAINER));
    return String.join(" · ", parts);
  }

  /** report.md's section. */
  String markdown() {
    StringBuilder md = new StringBuilder("## Fit plan\n\n");
    md.append("The layer is ").append(Sizes.human(unzipped)).append(", ").append(Sizes.human(unzipped - limit))
        .append(" over ").append(Sizes.human(limit)).append(". ");
    if (items.isEmpty()) {
      return md.append("No lever is left that would make it smaller: ").append(CONTAINER).append(".\n").toString();
    }
    md.append("Levers not used yet, each measured on this layer:\n\n| setting | saves | trade-off |\n| --- | ---: | --- |\n");
    for (Item i : items) {
      md.append("| `").append(i.setting()).append("` | −").append(Sizes.human(i.lever().savedBytes())).append(" | ")
          .append(i.lever().tradeOff().replace("|", "\\|")).append(" |\n");
    }
    md.append("\nTogether: **").append(Sizes.human(together())).append("**, ")
        .append(fits() ? "fits." : "still " + Sizes.human(together() - limit) + " over: " + CONTAINER + ".").append('\n');
    return md.toString();
  }
}
