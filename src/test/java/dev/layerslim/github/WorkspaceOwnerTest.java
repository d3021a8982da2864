package dev.layerslim.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class WorkspaceOwnerTest {
  private static final int RUNNER_UID = 1001;
  private static final int RUNNER_GID = 127;

  @TempDir Path tmp;

  private static int uid(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  private static int gid(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Whether the chown cases can run. CI runs as root, as the action's container does: there a
   * non-root run is a broken setup and fails instead of skipping the only check of the hand-back.
   */
  private static boolean root() throws Exception {
    boolean root = isRoot();
    if (!root && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI=true but the tests do not run as root: WorkspaceOwnerTest's chown cases need it");
    }
    return root;
  }

  private static boolean isRoot() throws Exception {
    Path probe = Files.createTempFile("owner", ".probe");
    try {
      return uid(probe) == 0;
    } finally {
      Files.delete(probe);
    }
  }

  @Test
  void handBack_reownsTheOutputTree_andSymlinksThemselves_neverTheirTargets() throws Exception {
    assumeTrue(root(), "changing a file's owner needs root, as in the action's container");
    Path ws = Files.createDirectories(tmp.resolve("workspace"));
    Files.setAttribute(ws, "unix:uid", RUNNER_UID);
    Files.setAttribute(ws, "unix:gid", RUNNER_GID);
    Path outside = Files.writeString(tmp.resolve("outside.txt"), "not the workspace's");
    Path outsideDir = Files.createDirectories(tmp.resolve("outside-dir"));
    Path inOutsideDir = Files.writeString(outsideDir.resolve("f"), "x");
    Path out = Files.createDirectories(ws.resolve("layerslim-out/layer/python/pkg"));
    Path file = Files.writeString(out.resolve("__init__.py"), "");
    Path zip = Files.write(ws.resolve("layerslim-out/layer.zip"), new byte[] {1});
    Path fileLink = Files.createSymbolicLink(ws.resolve("layerslim-out/link"), outside);
    Path dirLink = Files.createSymbolicLink(ws.resolve("layerslim-out/dirlink"), outsideDir);
    Path sibling = Files.writeString(ws.resolve("untouched.txt"), "not in the output folder");

    WorkspaceOwner.Result r = WorkspaceOwner.handBack(ws, ws.resolve("layerslim-out"));

    for (Path p : new Path[] {ws.resolve("layerslim-out"), out, file, zip, fileLink, dirLink}) {
      assertEquals(RUNNER_UID, uid(p), p.toString());
      assertEquals(RUNNER_GID, gid(p), p.toString());
    }
    assertEquals(0, uid(outside), "a link's target outside the workspace keeps its owner");
    assertEquals(0, uid(outsideDir));
    assertEquals(0, uid(inOutsideDir), "a link to a folder is not descended into");
    assertEquals(0, uid(sibling), "only the output folder is handed back");
    assertEquals(new WorkspaceOwner.Result(RUNNER_UID, RUNNER_GID, 8), r);
  }

  @Test
  void handBack_secondRun_changesNothing() throws Exception {
    assumeTrue(root(), "changing a file's owner needs root, as in the action's container");
    Path ws = Files.createDirectories(tmp.resolve("workspace"));
    Files.setAttribute(ws, "unix:uid", RUNNER_UID);
    Files.writeString(Files.createDirectories(ws.resolve("out")).resolve("report.json"), "{}");

    assertEquals(2, WorkspaceOwner.handBack(ws, ws.resolve("out")).changed());
    assertEquals(0, WorkspaceOwner.handBack(ws, ws.resolve("out")).changed());
  }

  @Test
  void handBack_outputOutsideTheWorkspace_isLeftAlone() throws Exception {
    Path ws = Files.createDirectories(tmp.resolve("workspace"));
    Path out = Files.createDirectories(tmp.resolve("elsewhere"));
    Path f = Files.writeString(out.resolve("layer.zip"), "z");
    int before = uid(f);

    WorkspaceOwner.Result r = WorkspaceOwner.handBack(ws, out);

    assertEquals(0, r.changed());
    assertEquals(before, uid(f));
  }

  @Test
  void handBack_filesAlreadyOwnedByTheWorkspaceOwner_needNoPrivilege() throws Exception {
    Path ws = Files.createDirectories(tmp.resolve("workspace"));
    Files.writeString(Files.createDirectories(ws.resolve("out/layer")).resolve("a.py"), "");

    WorkspaceOwner.Result r = WorkspaceOwner.handBack(ws, ws.resolve("out"));

    assertEquals(uid(ws), r.uid());
    assertEquals(0, r.changed());
  }
}
