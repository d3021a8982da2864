package dev.layerslim.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** METADATA's RFC 822 headers: continuation lines, the blank line that ends them. */
class DistInfoHeadersTest {
  @Test
  void continuationLinesExtendTheValue_andTheBodyIsNotRead() {
    String text = "Metadata-Version: 2.1\r\nName: numpy\nLicense: Copyright (c) 2005\n   All rights\n\treserved.\n"
        + "Requires-Dist: a; extra == 'x'\n\nName: not-a-header-but-the-description\n";

    List<String[]> h = DistInfoReader.headers(text);

    assertEquals(4, h.size());
    assertArrayEquals(new String[] {"Metadata-Version", "2.1"}, h.get(0));
    assertArrayEquals(new String[] {"Name", "numpy"}, h.get(1));
    assertArrayEquals(new String[] {"License", "Copyright (c) 2005 All rights reserved."}, h.get(2));
    assertArrayEquals(new String[] {"Requires-Dist", "a; extra == 'x'"}, h.get(3));
  }

  @Test
  void aWholeLicenseInOneHeaderIsReadWhole() {
    // numpy's and scipy's METADATA carry their license texts as one header of thousands of lines
    StringBuilder text = new StringBuilder("Name: big\nLicense: first\n");
    for (int i = 0; i < 20_000; i++) {
      text.append("        line ").append(i).append('\n');
    }
    text.append("Version: 1.0\n");

    List<String[]> h = DistInfoReader.headers(text.toString());

    assertEquals(3, h.size());
    assertEquals("first line 0 line 1", h.get(1)[1].substring(0, "first line 0 line 1".length()));
    assertEquals(true, h.get(1)[1].endsWith(" line 19999"));
    assertArrayEquals(new String[] {"Version", "1.0"}, h.get(2));
  }
}
