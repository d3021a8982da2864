package dev.layerslim.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the comment goes: the repository and pull request number of the event the workflow runs
 * for, read from {@code GITHUB_EVENT_NAME}, {@code GITHUB_EVENT_PATH} (the webhook payload) and
 * {@code GITHUB_REPOSITORY}.
 *
 * @param repository {@code owner/name}
 * @param number the pull request number
 */
public record PullRequestEvent(String repository, int number) {

  /** What {@link #read} found: the pull request, or why there is none to comment on. */
  public record Lookup(PullRequestEvent event, String whyNot) {}

  /** Reads the runner's event; never throws: a missing or odd payload is a reason not to comment. */
  public static Lookup read(Map<String, String> env) {
    String name = env.getOrDefault("GITHUB_EVENT_NAME", "");
    if (!name.equals("pull_request") && !name.equals("pull_request_target")) {
      return new Lookup(null, name.isEmpty() ? "not running in a GitHub Actions workflow (no GITHUB_EVENT_NAME)"
          : "the event is '" + name + "': only a pull_request or pull_request_target run comments");
    }
    String path = env.get("GITHUB_EVENT_PATH");
    if (path == null || path.isBlank() || !Files.isRegularFile(Path.of(path))) {
      return new Lookup(null, "GITHUB_EVENT_PATH does not name the event payload file");
    }
    JsonNode payload;
    try {
      payload = new ObjectMapper().readTree(Path.of(path).toFile());
    } catch (IOException e) {
      return new Lookup(null, "the event payload " + path + " is not JSON: " + e.getMessage());
    }
    int number = payload.path("pull_request").path("number").asInt(payload.path("number").asInt(0));
    String repo = payload.path("repository").path("full_name").asText(env.getOrDefault("GITHUB_REPOSITORY", ""));
    if (number <= 0 || !repo.contains("/")) {
      return new Lookup(null, "the event payload names no pull request number and repository");
    }
    return new Lookup(new PullRequestEvent(repo, number), null);
  }

  /**
   * The commit the run builds, for the comment's footer: a pull request's head
   * ({@code pull_request.head.sha} in the payload; {@code GITHUB_SHA} is the merge commit there),
   * else {@code GITHUB_SHA}; null when neither is known. Never throws.
   */
  public static String headSha(Map<String, String> env) {
    String path = env.get("GITHUB_EVENT_PATH");
    if (path != null && !path.isBlank() && Files.isRegularFile(Path.of(path))) {
      try {
        String sha = new ObjectMapper().readTree(Path.of(path).toFile()).path("pull_request").path("head")
            .path("sha").asText("");
        if (!sha.isBlank()) {
          return sha;
        }
      } catch (IOException | RuntimeException e) {
        // an odd payload only costs the footer its commit
      }
    }
    String sha = env.get("GITHUB_SHA");
    return sha == null || sha.isBlank() ? null : sha;
  }
}
