package dev.layerslim.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerslim.error.LayerslimException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kohsuke.github.GHAsset;
import org.kohsuke.github.GHRelease;
import org.kohsuke.github.GHRepository;

/**
 * Attaches layer artifacts (layer.zip, report.json, …) to an existing GitHub release.
 *
 * <p>Each asset is named after the runtime it was built for, read from the report.json beside it
 * ({@code layer.zip} → {@code layer-python3.11-x86_64.zip}), so the zips of several runtimes can sit
 * on one release. An asset of the same name is replaced: GitHub refuses a second one. Every upload is
 * checked by the size GitHub reports back, because a truncated layer zip is worse than none. Rate
 * limits, 5xx and timeouts are retried per the session's {@link RetryPolicy}.
 */
public final class ReleaseUploader {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One file to attach, under the asset name it gets on the release. */
  public record Asset(Path file, String name, String contentType) {}

  /** What the release holds after an upload: the asset's name, its size, and whether one was replaced. */
  public record Uploaded(String name, long bytes, String downloadUrl, boolean replaced) {}

  private final GitHubSession session;

  ReleaseUploader(GitHubSession session) {
    this.session = session;
  }

  /**
   * Describes {@code file} as a release asset: its name gets {@code -python<X.Y>-<arch>} from the
   * report.json beside it (when there is one) and then {@code suffix}, before the extension.
   */
  public static Asset describe(Path file, String suffix) {
    if (!Files.isRegularFile(file)) {
      throw LayerslimException.usage("--asset " + file + ": no such file");
    }
    String fileName = file.getFileName().toString();
    int dot = fileName.lastIndexOf('.');
    String stem = dot > 0 ? fileName.substring(0, dot) : fileName;
    String ext = dot > 0 ? fileName.substring(dot) : "";
    String runtime = runtimeTag(file.toAbsolutePath().resolveSibling("report.json"));
    String name = stem + runtime + (suffix == null ? "" : suffix) + ext;
    return new Asset(file, name, contentType(ext));
  }

  /** {@code -python3.11-x86_64} from a report.json's {@code target}, or "" when there is no report. */
  static String runtimeTag(Path report) {
    if (!Files.isRegularFile(report)) {
      return "";
    }
    JsonNode target;
    try {
      target = JSON.readTree(report.toFile()).path("target");
    } catch (IOException e) {
      throw LayerslimException.usage(report + ": not a layerslim report.json (" + e.getMessage() + ")");
    }
    String python = target.path("python").asText("");
    String arch = target.path("arch").asText("");
    if (python.isEmpty() || arch.isEmpty()) {
      throw LayerslimException.usage(report + ": no target.python and target.arch; is it a layerslim report.json?");
    }
    return "-python" + python + "-" + arch;
  }

  static String contentType(String ext) {
    return switch (ext.toLowerCase(Locale.ROOT)) {
      case ".zip" -> "application/zip";
      case ".json" -> "application/json";
      case ".md" -> "text/markdown";
      default -> "application/octet-stream";
    };
  }

  /**
   * Uploads {@code assets} to the release of {@code tag} in {@code repo} ("owner/name").
   *
   * @throws LayerslimException exit 2 when the repository or the tag's release does not exist,
   *     exit 3 when an upload fails or GitHub reports a size other than the file's
   */
  public List<Uploaded> upload(String repo, String tag, List<Asset> assets) {
    GHRelease release = release(repo, tag);
    List<GHAsset> existing = assets(release, tag, repo);
    List<Uploaded> done = new ArrayList<>();
    for (Asset a : assets) {
      boolean replaced = false;
      for (GHAsset old : existing) {
        if (old.getName().equals(a.name())) {
          delete(old, tag);
          replaced = true;
        }
      }
      done.add(uploadOne(release, tag, a, replaced));
    }
    return done;
  }

  private List<GHAsset> assets(GHRelease release, String tag, String repo) {
    try {
      return session.call(() -> release.listAssets().toList());
    } catch (IOException e) {
      throw LayerslimException.stepFailed("cannot list the assets of release " + tag + " in " + repo + ": "
          + e.getMessage(), e);
    }
  }

  private GHRelease release(String repo, String tag) {
    GHRepository repository;
    try {
      repository = session.call(() -> session.github().getRepository(repo));
    } catch (FileNotFoundException e) {
      throw LayerslimException.usage("repository " + repo + " not found (or the token cannot see it)");
    } catch (IOException e) {
      throw LayerslimException.stepFailed("cannot read repository " + repo + ": " + e.getMessage(), e);
    }
    GHRelease release;
    try {
      release = session.call(() -> {
        try {
          return repository.getReleaseByTagName(tag);
        } catch (FileNotFoundException e) {
          return null;
        }
      });
    } catch (IOException e) {
      throw LayerslimException.stepFailed("cannot read the release of tag " + tag + ": " + e.getMessage(), e);
    }
    if (release == null) {
      throw LayerslimException.usage("no release for tag " + tag + " in " + repo
          + ": create the release first (e.g. 'gh release create " + tag + "')");
    }
    return release;
  }

  private void delete(GHAsset old, String tag) {
    try {
      session.call(() -> {
        try {
          old.delete();
        } catch (FileNotFoundException e) {
          // gone already: a DELETE retried after a 5xx that GitHub had carried out
        }
        return null;
      });
    } catch (IOException e) {
      throw LayerslimException.stepFailed("cannot replace asset " + old.getName() + " of release " + tag + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * POSTs one asset. A POST is not repeated blindly: after a 5xx or a timeout GitHub may hold the
   * asset anyway (a second POST would then answer 422, already exists), so the release's assets are
   * listed again first; an asset of that name is taken when complete, else deleted before the next try.
   */
  private Uploaded uploadOne(GHRelease release, String tag, Asset a, boolean replaced) {
    long size;
    GHAsset uploaded = null;
    long waitedMs = 0;
    try {
      size = Files.size(a.file());
      for (int attempt = 1; uploaded == null; attempt++) {
        try {
          uploaded = session.callOnce(() -> {
            try (InputStream in = Files.newInputStream(a.file())) {
              return release.uploadAsset(a.name(), in, a.contentType());
            }
          });
        } catch (IOException e) {
          Duration wait = e instanceof GitHubSession.RateLimited ? null : session.retryWait(e, attempt + 1);
          if (!session.mayRetry(wait, attempt, waitedMs)) {
            throw e;
          }
          GitHubSession.sleep(wait);
          waitedMs += wait.toMillis();
          for (GHAsset held : session.call(() -> release.listAssets().toList())) {
            if (held.getName().equals(a.name())) {
              if ("uploaded".equals(held.getState()) && held.getSize() == size) {
                uploaded = held;
              } else {
                delete(held, tag);
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw LayerslimException.stepFailed("upload of " + a.name() + " to release " + tag + " failed: "
          + e.getMessage(), e);
    }
    // GitHub answers with the stored asset; its size is the only end-to-end check of what arrived.
    if (uploaded.getSize() != size) {
      throw LayerslimException.stepFailed("upload of " + a.name() + " to release " + tag + " is incomplete: GitHub"
          + " holds " + uploaded.getSize() + " bytes, the file has " + size + " bytes");
    }
    return new Uploaded(uploaded.getName(), uploaded.getSize(), uploaded.getBrowserDownloadUrl(), replaced);
  }
}
