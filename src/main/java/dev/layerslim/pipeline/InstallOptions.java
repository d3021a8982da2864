package dev.layerslim.pipeline;

import java.nio.file.Path;
import java.util.List;

/**
 * What the install step reads: where the layer's files come from and how pip gets them.
 *
 * @param requirements Requirements file to install, or null when {@code sitePackages} is given.
 * @param sitePackages An installed tree to take instead of installing; copied, never modified.
 * @param indexUrl pip --index-url, or null. PIP_* environment and pip config pass through untouched.
 * @param extraIndexUrls pip --extra-index-url values.
 * @param findLinks pip --find-links values.
 * @param noIndex pip --no-index.
 * @param requireHashes pip --require-hashes.
 * @param pipCacheDir pip's cache folder (PIP_CACHE_DIR), kept between runs; null for pip's own default.
 */
public record InstallOptions(Path requirements, Path sitePackages, String indexUrl, List<String> extraIndexUrls,
    List<String> findLinks, boolean noIndex, boolean requireHashes, Path pipCacheDir) {
  public InstallOptions {
    extraIndexUrls = List.copyOf(extraIndexUrls);
    findLinks = List.copyOf(findLinks);
  }
}
