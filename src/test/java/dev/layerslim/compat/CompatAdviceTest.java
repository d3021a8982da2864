package dev.layerslim.compat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.layer.Target;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.Vocabulary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A compatibility failure leads with the fix that exists; {@code --compat warn} comes last. */
class CompatAdviceTest {
  static final List<CompatFinding> NEEDS_2_28 = List.of(new CompatFinding("pyproj.libs/libproj.so.25", "pyproj",
      CompatFinding.Severity.ERROR, "needs GLIBC_2.28", "GLIBC_2.28", "glibc 2.26 (Amazon Linux 2, python3.11)"));

  static String failure(Vocabulary words) {
    BuildOptions o = BuildOptions.builder().target(Target.of("3.11", "x86_64", null)).vocabulary(words).build();
    return CompatStep.failure(1, Map.of("pyproj", 1), NEEDS_2_28, o.target(), o.vocabulary(), false);
  }

  @Test
  void glibcTooNew_namesTheRuntimeThatHasIt_first_andCompatWarnLast_asWhatItIs() {
    String cli = failure(Vocabulary.CLI);
    assertTrue(cli.contains("They need glibc 2.28, which AWS's python3.12 runtime has (Amazon Linux 2023, glibc 2.34): "
        + "build for it with --python 3.12"), cli);
    assertTrue(cli.indexOf("--python 3.12") < cli.indexOf("--compat warn"), cli);
    assertTrue(cli.endsWith("--compat warn would only ship the layer with these files failing at import"), cli);
    assertFalse(cli.contains("or pass --compat warn"), cli);
  }

  @Test
  void inTheAction_theFixNamesInputs() {
    String action = failure(Vocabulary.ACTION);
    assertTrue(action.contains("python-version: 3.12"), action);
    assertTrue(action.contains("compat: warn would only ship"), action);
    assertFalse(action.contains("--"), action);
  }

  @Test
  void aGlibcNoRuntimeHas_saysSo() {
    BuildOptions o = BuildOptions.builder().target(Target.of("3.12", "x86_64", null)).build();
    String msg = CompatStep.fix(List.of(new CompatFinding("x.so", "x", CompatFinding.Severity.ERROR, "needs GLIBC_2.39",
        "GLIBC_2.39", "")), o.target(), o.vocabulary(), false);
    assertTrue(msg.contains("which no AWS Python runtime has"), msg);
  }

  @Test
  void glibcAboveTheRuntimesOwn_saysTheLayerIsForACustomImage() {
    Target custom = Target.of("3.11", "x86_64", "2.28");
    assertTrue(custom.aboveRuntime());
    assertTrue(custom.customImageWarning().contains("will not load on AWS's python3.11 runtime"),
        custom.customImageWarning());
    assertFalse(Target.of("3.12", "x86_64", "2.28").aboveRuntime(), "below the runtime's own glibc still loads");
    assertFalse(Target.of("3.11", "x86_64", null).aboveRuntime());
  }
}
