package dev.layerslim.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A full disk in the output folder is one line naming the file and the folder, exit 3,
 * whichever step, process or exception type met it.
 */
class DiskFullTest {
  private final Path out = Path.of("/tmp/layerslim-disk-full-test/out");
  private final BuildOptions options = BuildOptions.builder().output(out).build();
  private final Pipeline pipeline = new Pipeline(new BuildContext(options, e -> { }, r -> null));

  private record Throwing(String name, IOException e, boolean unchecked) implements Step<Void> {
    @Override
    public Void run(BuildContext ctx) throws IOException {
      if (unchecked) {
        throw new UncheckedIOException(e);
      }
      throw e;
    }
  }

  @Test
  void aStepsWriteOnAFullDisk_isOneLineNamingTheFileAndTheOutputFolder_exit3() {
    for (boolean unchecked : new boolean[] {false, true}) {
      FileSystemException copy = new FileSystemException("/input/six.py", out.resolve("layer/python/six.py").toString(),
          "No space left on device");

      LayerslimException e = assertThrows(LayerslimException.class,
          () -> pipeline.run(new Throwing("stage", copy, unchecked)));

      assertEquals(3, e.exitCode());
      assertEquals("stage: no space left on device writing " + out.resolve("layer/python/six.py")
          + ": the output folder " + out + " is on a full file system; free space there or pick another --output",
          e.getMessage());
    }
  }

  @Test
  void aStreamsWriteWithoutAFileName_namesTheOutputFolder_andAQuotaToo() {
    LayerslimException e = assertThrows(LayerslimException.class,
        () -> pipeline.run(new Throwing("zip", new IOException("No space left on device"), false)));
    assertEquals("zip: no space left on device: the output folder " + out + " is on a full file system; free space "
        + "there or pick another --output", e.getMessage());
    LayerslimException quota = assertThrows(LayerslimException.class,
        () -> pipeline.run(new Throwing("report", new IOException("Disk quota exceeded"), false)));
    assertTrue(quota.getMessage().startsWith("report: disk quota exceeded: the output folder"), quota.getMessage());
  }

  @Test
  void aFullDiskOutsideTheOutputFolder_namesThatFile() {
    LayerslimException e = assertThrows(LayerslimException.class, () -> pipeline.run(new Throwing("smoke",
        new FileSystemException("/tmp/scratch/x.result", null, "No space left on device"), false)));
    assertEquals("smoke: no space left on device writing /tmp/scratch/x.result: free space on the file system of "
        + "/tmp/scratch/x.result", e.getMessage());
  }

  @Test
  void pipsTracebackForAFullDisk_isReadAsTheFileItCouldNotWrite() {
    String pip = "  File \"shutil.py\", line 515, in _copytree\n    raise Error(errors)\n"
        + "shutil.Error: [('/tmp/pip-target-x/lib/python/six.py', '" + out + "/.work/install/six.py', \"[Errno 28] "
        + "No space left on device: '/tmp/pip-target-x/lib/python/six.py' -> '" + out + "/.work/install/six.py'\")]\n";

    LayerslimException e = DiskFull.inOutput(pip, "pip install", options);

    assertEquals("pip install: no space left on device writing " + out + "/.work/install/six.py: the output folder "
        + out + " is on a full file system; free space there or pick another --output", e.getMessage());
    assertNull(DiskFull.inOutput("ERROR: No matching distribution found for nosuch\n", "pip install", options));
  }

  @Test
  void otherIoFailures_keepTheirOwnMessage() {
    LayerslimException e = assertThrows(LayerslimException.class, () -> pipeline.run(new Throwing("zip",
        new FileSystemException("/x", null, "Permission denied"), false)));
    assertTrue(e.getMessage().startsWith("zip failed: "), e.getMessage());
  }
}
