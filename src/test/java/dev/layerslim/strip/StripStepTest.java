package dev.layerslim.strip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.cli.CliRun;
import dev.layerslim.elf.ElfFixtures;
import dev.layerslim.layer.LayerTree;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.Event;
import dev.layerslim.pipeline.StagedLayer;
import dev.layerslim.python.ProcessRunner.ProcessResult;
import dev.layerslim.python.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The strip step in {@code layerslim build}, on a tree built here and the real strip. */
class StripStepTest {
  @TempDir Path tmp;

  @Test
  void strip_sharedObjectTooShortToBeElf_warnsNamingIt() throws Exception {
    Path site = tmp.resolve("site");
    Path pkg = Files.createDirectories(site.resolve("pkg"));
    Files.writeString(pkg.resolve("__init__.py"), "X = 1\n");
    Files.write(pkg.resolve("libx.so"), new byte[0]);
    Files.writeString(pkg.resolve("libshort.so.1"), "not an ELF\n");
    Files.writeString(pkg.resolve("notes.txt"), ""); // short, but no shared object by name
    ElfFixtures.debugLibrary(pkg, "libreal.so");
    Files.delete(pkg.resolve("libreal.so.c"));

    CliRun run = CliRun.of("build", "--site-packages", site.toString(), "-o", tmp.resolve("out").toString(),
        "--no-smoke");

    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.all().contains("pkg/libx.so is 0 bytes, too short to be a shared object: it will not load"),
        run.all());
    assertTrue(run.all().contains("pkg/libshort.so.1 is 11 bytes, too short to be a shared object: it will not load"),
        run.all());
    assertFalse(run.all().contains("notes.txt"), run.all());
    assertFalse(run.all().contains("libreal.so is"), run.all());
    assertTrue(run.all().contains("1 of 1 object stripped"), run.all());
  }

  @Test
  void strip_copyThatWouldNotLoad_isStrippedKeepingItsLayout_aReportMdLine_notAWarning() throws Exception {
    Path root = tmp.resolve("layer/python");
    ElfFixtures.debugLibrary(root.resolve("numpy.libs"), "libscipy_openblas64_-x.so");
    // what binutils does to patchelf'd libraries such as numpy's OpenBLAS: a copy that cannot be mapped
    ProcessRunner misaligningStrip = request -> {
      List<String> cmd = request.command();
      Path output = Path.of(cmd.get(cmd.indexOf("-o") + 1));
      Files.copy(Path.of(cmd.get(cmd.size() - 1)), output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      ElfFixtures.misalignLoadSegment(output);
      return new ProcessResult(0, "", false, 1);
    };
    List<Event.Log> logs = new ArrayList<>();
    BuildContext ctx = new BuildContext(BuildOptions.builder().build(), e -> {
      if (e instanceof Event.Log l) {
        logs.add(l);
      }
    }, misaligningStrip);

    new StripStep(new StagedLayer(root, LayerTree.scan(root)), 2).run(ctx);

    assertTrue(logs.stream().noneMatch(l -> l.level() == Event.Level.WARN), logs.toString());
    String md = ctx.markdownSections().get(160);
    assertTrue(md.contains("Stripped keeping their file layout") && md.contains("- `numpy.libs/libscipy_openblas64_-x.so`: "),
        ctx.markdownSections().toString());
    var json = ctx.reportSection(dev.layerslim.reportfile.Report.Strip.class);
    assertEquals(1, json.strippedKeepingLayout(), json.toString());
    assertEquals(0, json.rejected(), json.toString());
    assertTrue(json.bytesSaved() > 0, json.toString());
  }

  @Test
  void strip_copiesThatFailValidation_areOneSummaryLine_withTheSegmentDetailsInReportMd() throws Exception {
    Path root = tmp.resolve("layer/python");
    // originals that are themselves misaligned: neither strip's copy nor the layout-keeping one validates
    for (String name : List.of("liba.so", "libb.so")) {
      Path lib = ElfFixtures.debugLibrary(root.resolve("pkg"), name);
      ElfFixtures.misalignLoadSegment(lib);
    }
    ProcessRunner copyingStrip = request -> {
      List<String> cmd = request.command();
      Files.copy(Path.of(cmd.get(cmd.size() - 1)), Path.of(cmd.get(cmd.indexOf("-o") + 1)),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return new ProcessResult(0, "", false, 1);
    };
    List<Event> events = new ArrayList<>();
    BuildContext ctx = new BuildContext(BuildOptions.builder().build(), events::add, copyingStrip);

    new StripStep(new StagedLayer(root, LayerTree.scan(root)), 2).run(ctx);

    List<String> lines = events.stream().filter(e -> e instanceof Event.Log).map(Object::toString).toList();
    assertTrue(lines.stream().noneMatch(l -> l.contains("p_offset") || l.contains("p_align")), lines.toString());
    assertEquals(2, ctx.reportSection(dev.layerslim.reportfile.Report.Strip.class).rejected());
    String md = ctx.markdownSections().get(160);
    assertTrue(md.contains("pkg/liba.so") && md.contains("pkg/libb.so") && md.contains("p_align"), md);
  }
}
