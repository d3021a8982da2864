package dev.layerslim.pipeline;

import java.nio.file.Path;

/**
 * The budgets and the baseline the report checks the layer against; AWS's limits always apply.
 *
 * @param maxUnzipped A tighter unzipped budget in bytes; null for none (AWS's limit always applies).
 * @param maxZipped A zipped budget in bytes; null for none (AWS's direct-upload limit is then a warning).
 * @param extraBytes Unzipped bytes of the function code and other layers, counted into the unzipped limit.
 * @param maxGrowth Largest allowed growth against the baseline, in bytes; null for none.
 * @param baseline An earlier report.json to diff against, or null.
 */
public record LimitOptions(Long maxUnzipped, Long maxZipped, long extraBytes, Long maxGrowth, Path baseline) {}
