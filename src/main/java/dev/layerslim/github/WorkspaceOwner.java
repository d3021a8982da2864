package dev.layerslim.github;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Hands files the action wrote back to the owner of the workspace.
 *
 * <p>A Docker container action runs as root, so everything it writes into {@code GITHUB_WORKSPACE}
 * belongs to root, and the runner's own user (uid 1001 on GitHub's hosted runners) can neither clean
 * nor overwrite it in later steps or jobs. After a build the action gives the output folder the
 * uid/gid of the workspace folder itself. Links are never followed: a symlink in the output is
 * re-owned itself (lchown), never what it points to, which may lie outside the workspace.
 */
public final class WorkspaceOwner {
  private WorkspaceOwner() {}

  /** What {@link #handBack} did: the owner it applied and how many paths it re-owned. */
  public record Result(int uid, int gid, long changed) {}

  /**
   * Gives {@code output} and everything under it the uid and gid of {@code workspace}.
   *
   * <p>Does nothing (returns {@code changed == 0}) when {@code output} is not inside the workspace or
   * does not exist, and touches no path that already has that owner, so running as the workspace's
   * owner needs no privilege.
   *
   * @throws IOException when a path cannot be re-owned (e.g. not running as root)
   */
  public static Result handBack(Path workspace, Path output) throws IOException {
    Path ws = workspace.toAbsolutePath().normalize();
    Path out = output.toAbsolutePath().normalize();
    int uid = (Integer) Files.getAttribute(ws, "unix:uid");
    int gid = (Integer) Files.getAttribute(ws, "unix:gid");
    if (!out.startsWith(ws) || !Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
      return new Result(uid, gid, 0);
    }
    long[] changed = {0};
    // walkFileTree without FOLLOW_LINKS visits a symlink (also one to a folder) as a file, not its target
    Files.walkFileTree(out, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        changed[0] += reown(dir, uid, gid);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        changed[0] += reown(file, uid, gid);
        return FileVisitResult.CONTINUE;
      }
    });
    return new Result(uid, gid, changed[0]);
  }

  private static int reown(Path p, int uid, int gid) throws IOException {
    int u = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    int g = (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    if (u == uid && g == gid) {
      return 0;
    }
    if (u != uid) {
      Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    }
    if (g != gid) {
      Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }
    return 1;
  }
}
