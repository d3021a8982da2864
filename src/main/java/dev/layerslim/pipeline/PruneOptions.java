package dev.layerslim.pipeline;

import java.nio.file.Path;
import java.util.List;

/**
 * The prune rules the user asked for (layerslim.toml's {@code [prune]} table and its options).
 *
 * @param pruneUnused Remove distributions no handler import reaches.
 * @param pruneModules Remove sub-packages of used distributions that nothing reaches (prune's ModuleReach).
 * @param dropRuntimeProvided Leave out what the Lambda runtime provides (boto3 &amp; co.).
 * @param keep Distributions that count as used.
 * @param exclude Globs of extra paths to remove, relative to site-packages.
 * @param include Globs of paths to protect from every prune rule.
 * @param configFile The layerslim.toml the options were read from (so the log says so), or null.
 */
public record PruneOptions(boolean pruneUnused, boolean pruneModules, boolean dropRuntimeProvided,
    List<String> keep, List<String> exclude, List<String> include, Path configFile) {
  public PruneOptions {
    keep = List.copyOf(keep);
    exclude = List.copyOf(exclude);
    include = List.copyOf(include);
  }
}
