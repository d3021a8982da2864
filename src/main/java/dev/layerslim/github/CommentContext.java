package dev.layerslim.github;

import java.util.Map;

/**
 * What the comment says about where it comes from, beside the report itself.
 *
 * @param key the hidden marker's key, which finds the comment again (see {@link CommentRenderer#marker})
 * @param layer the layer's name in the title: the comment key the user gave, else the requirements
 *     file or site-packages path
 * @param advice whether advice names action inputs or CLI flags
 * @param runUrl the workflow run's page, or null
 * @param headSha the commit the build ran for (a pull request's head), or null
 */
public record CommentContext(String key, String layer, Advice advice, String runUrl, String headSha) {

  public CommentContext {
    layer = layer == null || layer.isBlank() ? key : layer;
  }

  /** The comment as {@code layerslim report --format comment} prints it: CLI flags, no run. */
  public static CommentContext cli(String key, String layer) {
    return new CommentContext(key, layer, Advice.CLI, null, null);
  }

  /**
   * The comment of the action's run: the run's link from {@code GITHUB_SERVER_URL},
   * {@code GITHUB_REPOSITORY} and {@code GITHUB_RUN_ID}, the head commit from the event payload.
   */
  public static CommentContext action(Map<String, String> env, String key, String layer) {
    return new CommentContext(key, layer, Advice.ACTION, runUrl(env), PullRequestEvent.headSha(env));
  }

  /** The link to this workflow run, or null outside Actions. */
  public static String runUrl(Map<String, String> env) {
    String server = env.getOrDefault("GITHUB_SERVER_URL", "");
    String repo = env.get("GITHUB_REPOSITORY");
    String run = env.get("GITHUB_RUN_ID");
    if (repo == null || run == null || repo.isBlank() || !run.matches("\\d+")) {
      return null;
    }
    return (server.isBlank() ? "https://github.com" : server.replaceAll("/+$", "")) + "/" + repo + "/actions/runs/"
        + run;
  }

  /** The first seven characters of the head commit, or null. */
  String shortSha() {
    return headSha == null || !headSha.matches("[0-9a-fA-F]{7,64}") ? null : headSha.substring(0, 7);
  }
}
