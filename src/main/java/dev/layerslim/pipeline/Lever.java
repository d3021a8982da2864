package dev.layerslim.pipeline;

/**
 * A way to make this layer smaller that the build did not use, measured on this very layer: what
 * the fit plan offers when the layer is over a limit or budget.
 *
 * @param flag the {@code layerslim build} flag without its dashes ({@code bytecode},
 *     {@code cold-storage}); the action's input has the same name
 * @param value the value to set ({@code sourceless}), or null for a switch turned on
 * @param savedBytes the unzipped bytes it would save on this layer, measured
 * @param tradeOff what it costs, for people: {@code no source lines in tracebacks}
 */
public record Lever(String flag, String value, long savedBytes, String tradeOff) {}
