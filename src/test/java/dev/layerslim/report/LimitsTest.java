package dev.layerslim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** AWS's unzipped limit always applies; a budget only adds a check. */
class LimitsTest {
  private static final long GIB = 1024L * 1024 * 1024;

  private static List<Limits.Check> unzipped(List<Limits.Check> all) {
    return all.stream().filter(c -> c.name().startsWith("unzipped")).toList();
  }

  @Test
  void budgetAboveAwsLimit_doesNotTurnTheAwsLimitOff() {
    List<Limits.Check> checks = unzipped(Limits.check(270_000_000L, 0, 0, GIB, null));
    assertEquals(2, checks.size(), checks.toString());
    Limits.Check first = checks.get(0);
    assertEquals("unzipped", first.name());
    assertEquals(Limits.AWS_UNZIPPED, first.limitBytes());
    assertTrue(first.enforced() && first.exceeded(), first.toString());
    assertEquals("unzipped-budget", checks.get(1).name());
    assertEquals(GIB, checks.get(1).limitBytes());
    assertTrue(!checks.get(1).exceeded());
  }

  @Test
  void budgetBelowAwsLimit_isCheckedBesideIt() {
    List<Limits.Check> checks = unzipped(Limits.check(270_000_000L, 0, 0, 100_000_000L, null));
    assertEquals(List.of("unzipped", "unzipped-aws"), checks.stream().map(Limits.Check::name).toList());
    assertEquals(100_000_000L, checks.get(0).limitBytes());
    assertEquals(Limits.AWS_UNZIPPED, checks.get(1).limitBytes());
    assertTrue(checks.stream().allMatch(c -> c.enforced() && c.exceeded()), checks.toString());
  }

  @Test
  void extraBytesCountTowardsBothChecks() {
    List<Limits.Check> checks = unzipped(Limits.check(1000, 0, Limits.AWS_UNZIPPED, GIB, null));
    assertTrue(checks.get(0).exceeded(), "1000 bytes over AWS's limit with --extra-bytes");
    assertEquals(Limits.AWS_UNZIPPED + 1000, checks.get(1).actualBytes());
  }

  @Test
  void noBudget_onlyTheAwsLimit() {
    List<Limits.Check> checks = unzipped(Limits.check(10, 0, 0, null, null));
    assertEquals(1, checks.size());
    assertEquals(Limits.AWS_UNZIPPED, checks.get(0).limitBytes());
  }
}
