package dev.layerslim.pipeline;

import java.util.List;

/**
 * Cold storage ({@code --cold-storage}): the sub-packages the hot path never loads, kept compressed
 * in the layer behind a stub {@code __init__.py} and unpacked into the temp dir on first import; or,
 * measured without changing the layer, what would go cold and what it would save (the fit plan's figure).
 *
 * @param layer the layer after the step (the input layer when nothing changed)
 * @param applied the layer holds the cold sub-packages compressed; false for a measurement only
 * @param format {@code tar.xz}, or {@code zip} when the target interpreter has no {@code lzma}; null
 *     when nothing was packed
 * @param units what went (would go) cold, by folder
 * @param refused sub-packages the hot path does not load that stay as they are, and why
 * @param loaderBytes the loader module shipped once at the layer's root, with its pyc (0 when none)
 * @param notRun why nothing was considered (no smoke test ran); null when the step ran
 */
public record ColdResult(StagedLayer layer, boolean applied, String format, List<Unit> units, List<Refused> refused,
    long loaderBytes, String notRun) {

  public ColdResult {
    units = List.copyOf(units);
    refused = List.copyOf(refused);
  }

  /**
   * One cold sub-package.
   *
   * @param folder {@code scipy/stats}, relative to the layer root
   * @param module {@code scipy.stats}
   * @param files the files it holds in the layer (its {@code __pycache__} included)
   * @param bytes their bytes: what leaves the layer
   * @param storedBytes what takes its place: the archive, the stub {@code __init__.py} and its pyc
   * @param why why it is cold
   * @param unpackMillis first use, in a fresh process with an empty temp dir: the unpacking; -1 when
   *     not measured (a measurement only)
   * @param importMillis first use: the whole first import, its parents' and the unpacking included;
   *     -1 when not measured
   */
  public record Unit(String folder, String module, int files, long bytes, long storedBytes, String why,
      long unpackMillis, long importMillis) {}

  /** A sub-package the hot path does not load that stays hot, and why. */
  public record Refused(String folder, String module, String why) {}

  /** Nothing considered: {@code why}, and the layer unchanged. */
  public static ColdResult skipped(StagedLayer layer, String why) {
    return new ColdResult(layer, false, null, List.of(), List.of(), 0, why);
  }

  /** The bytes of the cold sub-packages as they were. */
  public long unitBytes() {
    return units.stream().mapToLong(Unit::bytes).sum();
  }

  /** What they cost in the layer instead: archives, stubs and the loader. */
  public long storedBytes() {
    return units.isEmpty() ? 0 : units.stream().mapToLong(Unit::storedBytes).sum() + loaderBytes;
  }

  /** The unzipped bytes cold storage saves on this layer. */
  public long savedBytes() {
    return unitBytes() - storedBytes();
  }
}
