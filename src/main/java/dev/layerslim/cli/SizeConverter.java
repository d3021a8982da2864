package dev.layerslim.cli;

import dev.layerslim.layer.Sizes;
import picocli.CommandLine;

/** Parses size options ({@code 200MiB}, {@code 52428800}); a bad one is a usage error (exit 2). */
final class SizeConverter implements CommandLine.ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    long v = Sizes.parse(value);
    if (v < 0) {
      throw new CommandLine.TypeConversionException("'" + value
          + "' is not a size: use bytes (52428800) or a unit (200MiB, 50MB, 1.5GiB)");
    }
    return v;
  }
}
