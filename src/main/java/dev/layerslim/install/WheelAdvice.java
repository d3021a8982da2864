package dev.layerslim.install;

import dev.layerslim.layer.Target;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.InstallOptions;
import dev.layerslim.pipeline.Vocabulary;
import dev.layerslim.python.ProcessRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to do when a targeted pip finds no wheel for a requirement: which AWS runtimes' glibc the
 * distribution's wheels need, the runtime setting that takes them, and the newest version that
 * does have a wheel for the target, as a pin.
 *
 * <p>It asks pip itself ({@code pip index versions} with the install's own index options and the
 * tags of another glibc or Python), so the answer is the index's, not a guess: at most
 * {@link #MAX_QUERIES} short queries, run only after the install already failed.
 */
final class WheelAdvice {
  /** The most pip queries one piece of advice may cost. */
  static final int MAX_QUERIES = 7;

  private static final Pattern FROM_VERSIONS =
      Pattern.compile("Could not find a version that satisfies the requirement (\\S+) \\(from versions: ([^)]*)\\)");
  private static final Pattern NAME = Pattern.compile("^([A-Za-z0-9][A-Za-z0-9._-]*)");
  private static final Pattern AVAILABLE = Pattern.compile("Available versions: (.+)");
  /** The newest glibc an AWS runtime has: the highest one worth asking about. */
  private static final int NEWEST_RUNTIME_GLIBC = Target.RUNTIMES.values().stream()
      .mapToInt(r -> Target.minor(r.glibc())).max().orElse(34);

  private final BuildContext ctx;
  private final InstallOptions install;
  private final Target target;
  private final String pythonExe;
  private final java.util.concurrent.atomic.AtomicInteger queries = new java.util.concurrent.atomic.AtomicInteger();

  WheelAdvice(BuildContext ctx, String pythonExe, InstallOptions install, Target target) {
    this.ctx = ctx;
    this.install = install;
    this.target = target;
    this.pythonExe = pythonExe;
  }

  /**
   * The advice for {@code requirement} (as pip names it in "No matching distribution found for …"),
   * given pip's output; leads with the fix that exists.
   */
  String explain(String requirement, String pipOutput) throws IOException {
    Target t = target;
    Vocabulary words = ctx.vocabulary();
    Matcher nm = NAME.matcher(requirement);
    String name = nm.find() ? nm.group(1) : requirement;
    String where = "python" + t.python() + " " + t.arch().lambdaName() + " (" + t.system() + ")";
    StringBuilder sb = new StringBuilder(requirement + " has no wheel that loads on " + where
        + " (a targeted install takes binary wheels only).");
    List<String> fixes = new ArrayList<>();

    // the versions pip saw with a wheel for the target: the requirement (or a dependent's) excluded them
    String pin = newestListed(requirement, pipOutput);

    // the first round of questions is independent: asked at once (pip's start-up is most of each)
    List<Target.Runtime> newerRuntimes = new ArrayList<>();
    for (Target.Runtime r : Target.RUNTIMES.values()) {
      if (Target.minor(r.glibc()) > t.glibcMinor() && minor(r.python()) > t.pythonMinor()) {
        newerRuntimes.add(r);
      }
    }
    List<java.util.concurrent.Callable<List<String>>> first = new ArrayList<>();
    first.add(() -> t.glibcMinor() < NEWEST_RUNTIME_GLIBC ? available(name, t.python(), NEWEST_RUNTIME_GLIBC)
        : List.of());
    for (Target.Runtime r : newerRuntimes) {
      first.add(() -> available(name, r.python(), Target.minor(r.glibc())));
    }
    List<List<String>> answers = all(first);

    // which glibc this Python's newest wheels need, when a newer one than the target's has them
    int needed = -1;
    if (t.glibcMinor() < NEWEST_RUNTIME_GLIBC) {
      List<String> newer = new ArrayList<>(answers.get(0));
      newer.removeAll(listed(requirement, pipOutput));
      if (!newer.isEmpty()) {
        String newest = newer.get(0);
        int lo = t.glibcMinor(); // does not have it
        int hi = NEWEST_RUNTIME_GLIBC; // has it
        while (hi - lo > 1 && queries.get() < MAX_QUERIES) {
          int mid = (lo + hi) / 2;
          if (available(name, t.python(), mid).contains(newest)) {
            hi = mid;
          } else {
            lo = mid;
          }
        }
        needed = hi - lo == 1 ? hi : -1;
        sb.append(" The wheels of ").append(name).append(' ').append(newest).append(" for python").append(t.python())
            .append(" need glibc ").append(needed > 0 ? "2." + needed + " (manylinux_2_" + needed + ")"
                : "newer than " + t.glibc()).append(", and AWS runs python").append(t.python()).append(" on glibc ")
            .append(t.runtime().glibc()).append('.');
      }
    }

    // the oldest newer runtime the index has a wheel for
    Target.Runtime fits = null;
    List<String> fitsVersions = List.of();
    for (int i = 0; i < newerRuntimes.size(); i++) {
      if (!answers.get(i + 1).isEmpty()) {
        fits = newerRuntimes.get(i);
        fitsVersions = answers.get(i + 1);
        break;
      }
    }
    if (fits != null) {
      fixes.add("build for python" + fits.python() + ", which AWS runs on " + fits.os() + " (glibc " + fits.glibc()
          + "), where " + name + " " + fitsVersions.get(0) + " has a wheel: " + code(words.set("python", fits.python())));
    } else if (needed > 0 || t.glibcMinor() < NEWEST_RUNTIME_GLIBC) {
      var rt = needed > 0 ? Target.oldestRuntimeWithGlibc(needed, null) : null;
      sb.append(" The index has no ").append(name).append(" wheel for a newer AWS runtime either")
          .append(rt != null && needed > 0 ? " (python" + rt.python() + " and later have glibc " + rt.glibc() + ")" : "")
          .append('.');
    }
    if (pin != null) {
      fixes.add("pin " + code(name + "==" + pin) + " in the requirements, the newest version with a wheel for python"
          + t.python() + " on glibc " + t.glibc());
    }
    fixes.add("build a wheel for it on the target (in the public.ecr.aws/sam/build-python" + t.python() + " image) and "
        + "pass its folder with " + code(words.set("find-links", "DIR")));
    sb.append("\nWhat works:");
    for (int i = 0; i < fixes.size(); i++) {
      sb.append("\n  - ").append(i == 0 ? "" : "or ").append(fixes.get(i));
    }
    return sb.toString();
  }

  /** Runs the questions at once; a question that fails counts as "no wheel". */
  private static List<List<String>> all(List<java.util.concurrent.Callable<List<String>>> questions)
      throws IOException {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(questions.size(), r -> {
      Thread th = new Thread(r, "wheel-advice");
      th.setDaemon(true);
      return th;
    });
    try {
      List<List<String>> out = new ArrayList<>();
      for (var f : pool.invokeAll(questions)) {
        try {
          out.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          out.add(List.of());
        }
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking the index", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static String code(String s) {
    return "`" + s + "`";
  }

  private static int minor(String python) {
    return Integer.parseInt(python.substring(python.indexOf('.') + 1));
  }

  /** The newest version pip listed as having a wheel for the target, when it listed any. */
  static String newestListed(String requirement, String pipOutput) {
    List<String> versions = listed(requirement, pipOutput);
    return versions.isEmpty() ? null : versions.get(versions.size() - 1); // pip lists them oldest first
  }

  /** The versions pip saw with a wheel for the target ("from versions: …"), oldest first. */
  static List<String> listed(String requirement, String pipOutput) {
    Matcher m = FROM_VERSIONS.matcher(pipOutput);
    List<String> versions = new ArrayList<>();
    while (m.find()) {
      String list = m.group(2).trim();
      if (m.group(1).equals(requirement) && !list.isEmpty() && !list.equals("none")) {
        versions = new ArrayList<>();
        for (String v : list.split(",\\s*")) {
          versions.add(v.trim());
        }
      }
    }
    return versions;
  }

  /**
   * The versions of {@code name} that have a wheel for {@code python} on a glibc up to
   * 2.{@code glibcMinor}, newest first, as the install's index answers; empty when none (or when
   * pip cannot say).
   */
  private List<String> available(String name, String python, int glibcMinor) throws IOException {
    queries.incrementAndGet();
    Target t = Target.of(python, target.arch().lambdaName(), "2." + glibcMinor);
    List<String> cmd = new ArrayList<>(List.of(pythonExe, "-m", "pip", "index", "versions", name,
        "--disable-pip-version-check"));
    cmd.addAll(PipCommand.indexArgs(install));
    cmd.addAll(PipCommand.targetArgs(t));
    ProcessRunner.ProcessResult r = ctx.processes().run(ProcessRunner.ProcessRequest.of(cmd)
        .withTimeout(Duration.ofSeconds(60)).withRedaction(ctx.redactor()::redact)
        .withEnv(install.pipCacheDir() == null ? Map.of() : Map.of("PIP_CACHE_DIR", install.pipCacheDir().toString())));
    if (!r.ok()) {
      return List.of();
    }
    Matcher m = AVAILABLE.matcher(r.output());
    return m.find() ? List.of(m.group(1).trim().split(",\\s*")) : List.of();
  }

}
