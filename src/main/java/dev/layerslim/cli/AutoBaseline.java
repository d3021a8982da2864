package dev.layerslim.cli;

import dev.layerslim.error.LayerslimException;
import dev.layerslim.github.BaselineFinder;
import dev.layerslim.github.Deadline;
import dev.layerslim.github.GitHubSession;
import dev.layerslim.github.RetryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * {@code build --baseline auto} in a GitHub Actions job: the base branch's report.json from the
 * artifact {@code layerslim-<key>} of its newest successful push run, as the action's
 * {@code baseline: auto} finds it ({@link BaselineFinder}), with the token in {@code GITHUB_TOKEN}.
 * Outside Actions it is bad input (exit 2); inside, finding none is a note and a build without a
 * baseline.
 */
final class AutoBaseline {
  static final String KEYWORD = "auto";

  /**
   * @param report the downloaded report.json (a temporary file the caller deletes), or null
   * @param note one line for the console: where it came from, or why there is none
   */
  record Found(Path report, String note) {}

  private AutoBaseline() {}

  /** Whether {@code --baseline} asked for the automatic baseline. */
  static boolean asked(Path baseline) {
    return baseline != null && baseline.toString().equals(KEYWORD);
  }

  /**
   * Finds the baseline for the artifact key {@code key} (the output folder as written, as the
   * action's default comment-key).
   */
  static Found find(Map<String, String> env, String key, RetryPolicy retry) throws IOException {
    if (env.getOrDefault("GITHUB_REPOSITORY", "").isBlank() || env.getOrDefault("GITHUB_EVENT_NAME", "").isBlank()) {
      throw LayerslimException.usage("--baseline auto works in a GitHub Actions job (it reads GITHUB_REPOSITORY, "
          + "GITHUB_EVENT_NAME, GITHUB_BASE_REF and GITHUB_WORKFLOW_REF); elsewhere give an earlier report.json");
    }
    String token = env.getOrDefault("GITHUB_TOKEN", "");
    if (token.isBlank()) {
      return new Found(null, "no baseline: --baseline auto needs the job's token in GITHUB_TOKEN "
          + "(env: GITHUB_TOKEN: ${{ github.token }}) with actions: read");
    }
    String api = env.getOrDefault("GITHUB_API_URL", "");
    BaselineFinder finder;
    try {
      finder = GitHubSession.open(api.isBlank() ? ActionCommand.DEFAULT_API_URL : api, token, retry).baselineFinder();
    } catch (IOException e) {
      return new Found(null, "no baseline: GITHUB_API_URL '" + api + "' is not usable (" + e.getMessage() + ")");
    }
    Path file = Files.createTempFile("layerslim-baseline-", ".json");
    BaselineFinder.Result r;
    try {
      r = Deadline.after(retry.timeouts().total()).run("baseline",
          () -> finder.find(env, key, file));
    } catch (TimeoutException e) {
      r = new BaselineFinder.Result(null, "no baseline: GitHub did not answer within "
          + retry.timeouts().total().toSeconds() + " s");
    }
    if (r.report() == null) {
      Files.deleteIfExists(file);
    }
    return new Found(r.report(), r.notice());
  }
}
