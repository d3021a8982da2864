package dev.layerslim.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.layer.Target;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MarkerTest {
  private static final MarkerEnvironment X86_311 = MarkerEnvironment.of(Target.of("3.11", "x86_64", null));
  private static final MarkerEnvironment ARM_312 = MarkerEnvironment.of(Target.of("3.12", "arm64", null));

  private static boolean eval(String marker, MarkerEnvironment env) {
    return Marker.parse(marker).evaluate(env);
  }

  @Test
  void marker_comparesPythonVersionNumericallyNotAsText() {
    assertTrue(eval("python_version < \"3.12\"", X86_311));
    assertFalse(eval("python_version < \"3.12\"", ARM_312));
    // as strings "3.9" > "3.11"; as versions it is less
    assertTrue(eval("python_version > '3.9'", X86_311));
    assertTrue(eval("python_full_version >= '3.11.1'", X86_311));
    assertTrue(eval("python_version == '3.11.*'", X86_311));
    assertTrue(eval("python_version ~= '3.8'", X86_311));
    assertFalse(eval("python_version ~= '3.8.0'", X86_311));
  }

  @Test
  void marker_extraHoldsOnlyWhenTheRequirerAskedForIt() {
    assertFalse(eval("extra == \"s3\"", X86_311));
    assertTrue(eval("extra == \"s3\"", X86_311.withExtras(Set.of("s3"))));
    assertTrue(eval("extra == 'S3'", X86_311.withExtras(Set.of("s3"))));
    assertTrue(eval("extra == 'dev_tools'", X86_311.withExtras(Set.of("Dev.Tools"))));
    assertFalse(eval("extra == \"s3\"", X86_311.withExtras(Set.of("gcs"))));
  }

  @Test
  void marker_platformMachineFollowsTheTargetArchitecture() {
    assertFalse(eval("platform_machine == \"aarch64\"", X86_311));
    assertTrue(eval("platform_machine == \"aarch64\"", ARM_312));
    assertTrue(eval("platform_machine != 'aarch64'", X86_311));
  }

  @Test
  void marker_honoursParenthesesOverAndOr() {
    String m = "python_version >= \"3.8\" and (sys_platform == \"win32\" or extra == \"x\")";
    assertFalse(eval(m, X86_311));
    assertTrue(eval(m, X86_311.withExtras(Set.of("x"))));
    // without parentheses 'and' binds tighter: false and false, or x
    assertTrue(eval("python_version < '3' and sys_platform == 'win32' or extra == 'x'",
        X86_311.withExtras(Set.of("x"))));
  }

  @Test
  void marker_supportsInNotInTripleEqualsAndVariablesOnTheRight() {
    assertTrue(eval("'linux' in sys_platform", X86_311));
    assertFalse(eval("'win' in sys_platform", X86_311));
    assertTrue(eval("'cygwin' not in sys_platform", X86_311));
    assertTrue(eval("\"3.12\" > python_version", X86_311));
    assertTrue(eval("platform_system === 'Linux'", X86_311));
    assertTrue(eval("os.name == 'posix' and implementation_name == \"cpython\"", X86_311));
  }

  @Test
  void marker_rejectsUnknownVariablesAndDanglingOperators() {
    RequirementSyntaxException e = assertThrows(RequirementSyntaxException.class,
        () -> Marker.parse("python_verison < '3.12'"));
    assertTrue(e.getMessage().contains("python_verison"), e.getMessage());
    assertThrows(RequirementSyntaxException.class, () -> Marker.parse("python_version <"));
    assertThrows(RequirementSyntaxException.class, () -> Marker.parse("(os_name == 'posix'"));
    assertThrows(RequirementSyntaxException.class, () -> Marker.parse("os_name == 'posix"));
  }

  @Test
  void requirement_parsesNameExtrasSpecAndMarker() {
    Requirement r = Requirement.parse(
        "Requests[Socks,security] (>=2.0) ; python_version < '3.12' and extra == 's3'");
    assertEquals("requests", r.name());
    assertEquals(Set.of("socks", "security"), r.extras());
    assertEquals(">=2.0", r.versionSpec());
    assertTrue(r.appliesIn(X86_311.withExtras(Set.of("s3"))));
    assertFalse(r.appliesIn(X86_311));

    Requirement plain = Requirement.parse("zope.interface>=5,<7");
    assertEquals("zope-interface", plain.name());
    assertEquals(">=5,<7", plain.versionSpec());
    assertNull(plain.marker());

    Requirement url = Requirement.parse("pkg @ https://example.com/pkg-1.0.whl ; os_name == 'nt'");
    assertEquals("https://example.com/pkg-1.0.whl", url.url());
    assertFalse(url.appliesIn(X86_311));
  }

  @Test
  void requirement_reportsWhereMalformedInputGoesWrong() {
    RequirementSyntaxException e = assertThrows(RequirementSyntaxException.class,
        () -> Requirement.parse("numpy >>= 1.0"));
    assertTrue(e.getMessage().contains("numpy >>= 1.0"), e.getMessage());
    assertThrows(RequirementSyntaxException.class, () -> Requirement.parse("[extra] numpy"));
    assertThrows(RequirementSyntaxException.class, () -> Requirement.parse("numpy[a,,b]"));
    RequirementSyntaxException m = assertThrows(RequirementSyntaxException.class,
        () -> Requirement.parse("six ; python_version <> '3'"));
    assertEquals(21, m.position(), m.getMessage());
  }
}
