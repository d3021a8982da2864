package dev.layerslim.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one matcher for many globs answers exactly what testing each glob in order answers. */
class GlobSetTest {
  static Glob oneByOne(List<Glob> globs, String path) {
    for (Glob g : globs) {
      if (g.matches(path)) {
        return g;
      }
    }
    return null;
  }

  @Test
  void theFirstMatchingGlobInOrder_isTheOneNamed() {
    List<Glob> globs = List.of(Glob.compile("pkg/data/big.bin", "t"), Glob.compile("**/tests/**", "t"),
        Glob.compile("pkg/**", "t"), Glob.compile("*.pyi", "t"), Glob.compile("**/conftest.py", "t"),
        Glob.compile("./other/", "t"), Glob.compile("o?her/x*", "t"));
    GlobSet set = GlobSet.of(globs);
    assertEquals("pkg/data/big.bin", set.first("pkg/data/big.bin").text());
    assertEquals("pkg/data/big.bin", set.first("pkg/data/big.bin/inner").text(), "a glob on a folder matches inside");
    assertEquals("**/tests/**", set.first("pkg/tests/test_a.py").text(), "earlier than pkg/**");
    assertEquals("pkg/**", set.first("pkg/conftest.py").text(), "earlier than **/conftest.py");
    assertEquals("**/conftest.py", set.first("lib/sub/conftest.py").text());
    assertEquals("*.pyi", set.first("stub.pyi").text());
    assertNull(set.first("lib/stub.pyi"), "* stays within one segment");
    assertEquals("./other/", set.first("other/x.py").text());
    assertNull(set.first("lib/a.py"));
    assertNull(GlobSet.of(List.of()).first("a"));
  }

  /** Random globs of every shape over random paths: the same answer as one by one, every time. */
  @Test
  void randomGlobsAndPaths_agreeWithTestingEachGlobInOrder() {
    Random r = new Random(42);
    String[] names = {"a", "b", "tests", "data", "x.py", "y.pyi", "conftest.py", "lib.so", "a.tar.gz", "c"};
    for (int round = 0; round < 200; round++) {
      List<Glob> globs = new ArrayList<>();
      int count = 1 + r.nextInt(12);
      for (int i = 0; i < count; i++) {
        StringBuilder g = new StringBuilder();
        int segs = 1 + r.nextInt(3);
        for (int s = 0; s < segs; s++) {
          g.append(s == 0 ? "" : "/").append(switch (r.nextInt(8)) {
            case 0 -> "**";
            case 1 -> "*";
            case 2 -> "*." + (r.nextBoolean() ? "py" : "gz");
            case 3 -> names[r.nextInt(names.length)].charAt(0) + "?";
            case 4 -> "a**";
            default -> names[r.nextInt(names.length)];
          });
        }
        globs.add(Glob.compile(g.toString(), "t"));
      }
      GlobSet set = GlobSet.of(globs);
      for (int p = 0; p < 50; p++) {
        StringBuilder path = new StringBuilder();
        int depth = 1 + r.nextInt(4);
        for (int s = 0; s < depth; s++) {
          path.append(s == 0 ? "" : "/").append(names[r.nextInt(names.length)]);
        }
        String text = path.toString();
        assertEquals(oneByOne(globs, text), set.first(text), globs + " on " + text);
      }
    }
  }
}
