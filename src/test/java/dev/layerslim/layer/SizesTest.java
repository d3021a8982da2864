package dev.layerslim.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Sizes print in the binary units AWS quotes Lambda's limits in, and parse both kinds. */
class SizesTest {
  @Test
  void awsLimits_readAsAwsWritesThem() {
    assertEquals("250 MiB", Sizes.human(262_144_000L));
    assertEquals("50 MiB", Sizes.human(52_428_800L));
  }

  @Test
  void human_usesBinaryUnitsWithOneDecimal_andNoDecimalsForAnExactMultiple() {
    assertEquals("0 B", Sizes.human(0));
    assertEquals("1023 B", Sizes.human(1023));
    assertEquals("1 KiB", Sizes.human(1024));
    assertEquals("1.5 KiB", Sizes.human(1536));
    assertEquals("244.2 MiB", Sizes.human(256_061_030L));
    assertEquals("1.50 GiB", Sizes.human(1_610_612_736L + 1));
    assertEquals("-4.9 KiB", Sizes.human(-5000));
    // just under 1 MiB would round to "1024.0 KiB"
    assertEquals("1.0 MiB", Sizes.human(1_048_575L));
  }

  @Test
  void signed_andSignedPercent() {
    assertEquals("+45.0 MiB", Sizes.signed(47_185_920L + 1));
    assertEquals("-300 B", Sizes.signed(-300));
    assertEquals("0 B", Sizes.signed(0));
    assertEquals("+25.0 %", Sizes.signedPercent(25, 100));
    assertEquals("-2.5 %", Sizes.signedPercent(-5, 200));
    assertEquals("", Sizes.signedPercent(5, 0));
  }

  @Test
  void parse_binaryAndDecimalUnits() {
    assertEquals(262_144_000L, Sizes.parse("250MiB"));
    assertEquals(50_000_000L, Sizes.parse("50MB"));
    assertEquals(52_428_800L, Sizes.parse("52428800"));
    assertEquals(-1, Sizes.parse("lots"));
  }
}
