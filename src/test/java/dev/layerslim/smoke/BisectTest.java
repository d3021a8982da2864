package dev.layerslim.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BisectTest {
  private static final List<Integer> SIXTEEN = IntStream.range(0, 16).boxed().toList();

  @Test
  void minimize_findsTheOneNeededChangeInFewRuns() {
    Bisect<Integer> b = new Bisect<>(set -> set.contains(11));
    assertEquals(List.of(11), b.minimize(SIXTEEN));
    assertTrue(b.runs() <= 2 * 4 + 1, "runs: " + b.runs());
  }

  @Test
  void minimize_findsEveryNeededChangeWhenSeveralAreNeededTogether() {
    Bisect<Integer> b = new Bisect<>(set -> set.containsAll(Set.of(2, 9, 14)));
    List<Integer> found = new ArrayList<>(b.minimize(SIXTEEN));
    found.sort(Integer::compare);
    assertEquals(List.of(2, 9, 14), found);
  }

  @Test
  void minimize_returnsNothingWhenTheLayerPassesWithoutRestoring() {
    assertEquals(List.of(), new Bisect<Integer>(set -> true).minimize(SIXTEEN));
  }
}
