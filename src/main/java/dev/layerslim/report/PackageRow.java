package dev.layerslim.report;

/**
 * One distribution's line in the report.
 *
 * @param installedBytes bytes as installed, before pruning
 * @param unzippedBytes bytes in the final layer
 * @param zippedBytes compressed bytes of its entries in layer.zip
 * @param used reached from the handler's imports (true when no handler was audited)
 * @param removed everything it installed was pruned
 */
public record PackageRow(String name, String version, long installedBytes, long unzippedBytes, long zippedBytes,
    int files, boolean used, boolean removed) {}
