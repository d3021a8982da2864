package dev.layerslim.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PluralTest {
  @Test
  void one_isSingular_everyOtherCountPlural() {
    assertEquals("1 distribution", Plural.count(1, "distribution"));
    assertEquals("0 distributions", Plural.count(0, "distribution"));
    assertEquals("2 distributions", Plural.count(2, "distribution"));
    assertEquals("1 file", Plural.grouped(1, "file"));
    assertEquals("12,345 files", Plural.grouped(12_345, "file"));
  }

  @Test
  void regularEnglishPlurals() {
    assertEquals("2 entries", Plural.count(2, "entry"));
    assertEquals("1 entry", Plural.count(1, "entry"));
    assertEquals("3 sub-packages", Plural.count(3, "sub-package"));
    assertEquals("2 ELF objects", Plural.count(2, "ELF object"));
    assertEquals("2 days", Plural.count(2, "day"));
    assertEquals("2 matches", Plural.count(2, "match"));
    assertEquals("children", Plural.noun(2, "child", "children"));
  }
}
