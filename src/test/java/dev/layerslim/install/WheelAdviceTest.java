package dev.layerslim.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.error.LayerslimException;
import dev.layerslim.layer.Target;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.EventSink;
import dev.layerslim.pipeline.Vocabulary;
import dev.layerslim.python.SystemProcessRunner;
import dev.layerslim.testing.Wheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A requirement with no wheel for the target ends with advice that leads somewhere:
 * the glibc its wheels need, the runtime that has it and the setting that picks it, and the newest
 * version with a wheel for the target as a pin. Real pip, against wheels tagged here.
 */
class WheelAdviceTest {
  @TempDir Path tmp;
  Path wheels;

  @BeforeEach
  void wheels() throws Exception {
    wheels = tmp.resolve("wheels");
    // geo 1.0 loads on Amazon Linux 2; geo 2.0 only on glibc 2.34 (Amazon Linux 2023), for 3.11 and 3.12
    Wheels.wheel("geo", "1.0").file("geo/__init__.py", "V = 1\n").tag("cp311-cp311-manylinux2014_x86_64").build(wheels);
    Wheels.wheel("geo", "2.0").file("geo/__init__.py", "V = 2\n").tag("cp311-cp311-manylinux_2_34_x86_64").build(wheels);
    Wheels.wheel("geo", "2.0").file("geo/__init__.py", "V = 2\n").tag("cp312-cp312-manylinux_2_34_x86_64").build(wheels);
    // only ever built for python3.11 on glibc 2.28: no AWS runtime takes it
    Wheels.wheel("proj", "3.7").file("proj/__init__.py", "V = 3\n").tag("cp311-cp311-manylinux_2_28_x86_64").build(wheels);
  }

  private LayerslimException build(String requirement, Vocabulary words) throws Exception {
    BuildOptions o = BuildOptions.builder().target(Target.of("3.11", "x86_64", null)).output(tmp.resolve("out"))
        .requirements(Files.writeString(tmp.resolve("req.txt"), requirement + "\n")).noIndex(true)
        .findLinks(List.of(wheels.toString())).pythonExe("python3").vocabulary(words).build();
    Files.createDirectories(o.output());
    BuildContext ctx = new BuildContext(o, EventSink.NONE, new SystemProcessRunner());
    return assertThrows(LayerslimException.class, () -> new InstallStep(ctx.options().install(), ctx.options().target(), ctx.options().pythonExe()).run(ctx));
  }

  @Test
  void noWheelForTheTarget_namesTheGlibcItNeeds_theRuntimeThatHasIt_andTheNewestPin() throws Exception {
    LayerslimException e = build("geo==2.0", Vocabulary.CLI);
    String msg = e.getMessage();
    assertEquals(3, e.exitCode(), msg);
    assertTrue(msg.contains("need glibc 2.34 (manylinux_2_34)"), msg);
    assertTrue(msg.contains("python3.12, which AWS runs on Amazon Linux 2023 (glibc 2.34)"), msg);
    assertTrue(msg.contains("`--python 3.12`"), msg);
    assertTrue(msg.contains("`geo==1.0`"), msg);
    assertTrue(msg.indexOf("--python 3.12") < msg.indexOf("pip install failed"), "the fix leads, pip's words follow");
    assertFalse(msg.contains("action's image"), "the action's image has the same glibc: no way out there");
  }

  @Test
  void noRuntimeTakesIt_saysSoAndOffersNoPinThatDoesNotExist() throws Exception {
    String msg = build("proj", Vocabulary.CLI).getMessage();
    assertTrue(msg.contains("need glibc 2.28 (manylinux_2_28)"), msg);
    assertTrue(msg.contains("`--find-links DIR`"), msg);
    assertTrue(msg.contains("no proj wheel for a newer AWS runtime"), msg);
    assertFalse(msg.contains("--python 3.12"), msg);
    assertFalse(msg.contains("proj=="), msg);
    assertTrue(msg.contains("--find-links"), msg);
  }
}
