package dev.layerslim.github;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The shell step of {@code .github/workflows/examples/layer-comment.yml}, run as the runner runs it
 * ({@code bash -e}) with the real jq, against WireMock serving GitHub's pulls and issue comments. The
 * GitHub CLI is not installed here: a small {@code gh api} stand-in turns its calls into curl requests,
 * as gh documents them ({@code -X GET} with {@code -f} is a query string, {@code -F body=@file} a JSON
 * body, {@code --jq} prints raw strings).
 */
final class ExampleCommenterTest {
  static final Path COMMENTER = Path.of(".github/workflows/examples/layer-comment.yml");
  static final String TOKEN = "ghs_CommenterT0ken0123456789abcdefgh";
  static final String FORK_OWNER = "contributor";
  static final String FORK_BRANCH = "parquet-export";

  static final String GH = String.join("\n",
      "#!/usr/bin/env bash",
      "# gh api, as far as layer-comment.yml uses it, against $GH_STUB_API",
      "set -euo pipefail",
      "[ \"$1\" = api ] || { echo \"stand-in: only gh api\" >&2; exit 2; }",
      "shift",
      "method=''; jqexpr=''; body=''; path=''; fields=()",
      "while [ $# -gt 0 ]; do",
      "  case \"$1\" in",
      "    -X|--method) method=$2; shift 2 ;;",
      "    --paginate) shift ;;",
      "    --jq|-q) jqexpr=$2; shift 2 ;;",
      "    -f|--raw-field) fields+=(\"$2\"); shift 2 ;;",
      "    -F|--field) case \"$2\" in body=@*) body=$(cat \"${2#body=@}\"; printf x); body=${body%x} ;;"
          + " *) echo \"stand-in: -F $2\" >&2; exit 2 ;; esac; shift 2 ;;",
      "    -*) echo \"stand-in: unknown option $1\" >&2; exit 2 ;;",
      "    *) path=$1; shift ;;",
      "  esac",
      "done",
      "[ -n \"$method\" ] || { [ -n \"$body\" ] || [ ${#fields[@]} -gt 0 ] && method=POST || method=GET; }",
      "args=(-sS -f -X \"$method\" -H \"Authorization: Bearer $GH_TOKEN\")",
      "if [ \"$method\" = GET ]; then",
      "  args+=(-G); for f in \"${fields[@]}\"; do args+=(--data-urlencode \"$f\"); done",
      "elif [ -n \"$body\" ]; then",
      "  args+=(-H 'Content-Type: application/json' --data-binary \"$(jq -n --arg b \"$body\" '{body: $b}')\")",
      "fi",
      "out=$(curl \"${args[@]}\" \"$GH_STUB_API/$path\")",
      "if [ -n \"$jqexpr\" ]; then printf '%s' \"$out\" | jq -r \"$jqexpr\"; else printf '%s\\n' \"$out\"; fi",
      "");

  @TempDir Path tmp;
  GitHubApiStub gh;
  Path work;

  record Result(int code, String out) {}

  @BeforeEach
  void start() throws IOException {
    gh = new GitHubApiStub();
    gh.user(null).standard();
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Files.writeString(bin.resolve("gh"), GH);
    Files.setPosixFilePermissions(bin.resolve("gh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    work = Files.createDirectories(tmp.resolve("work"));
  }

  @AfterEach
  void stop() {
    gh.close();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> steps() throws IOException {
    Map<String, Object> root = new Yaml().load(Files.readString(COMMENTER));
    Map<String, Object> job = (Map<String, Object>) ((Map<String, Object>) root.get("jobs")).values().iterator().next();
    return (List<Map<String, Object>>) job.get("steps");
  }

  /** Where the download step puts the artifact. */
  @SuppressWarnings("unchecked")
  static String downloadPath() throws IOException {
    return steps().stream().filter(s -> String.valueOf(s.get("uses")).startsWith("actions/download-artifact@"))
        .map(s -> String.valueOf(((Map<String, Object>) s.get("with")).get("path"))).findFirst().orElseThrow();
  }

  /** The workflow_run event values this test stands for; any other expression fails it. */
  static String evaluate(String text) {
    Map<String, String> known = Map.of("github.token", TOKEN,
        "github.event.workflow_run.head_repository.owner.login", FORK_OWNER,
        "github.event.workflow_run.head_branch", FORK_BRANCH);
    Matcher m = Pattern.compile("\\$\\{\\{\\s*([^}]+?)\\s*}}").matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = known.get(m.group(1));
      if (value == null) {
        throw new AssertionError("the test cannot evaluate ${{ " + m.group(1) + " }} in " + COMMENTER);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return m.appendTail(out).toString();
  }

  /** Runs the step with a run: script, with the artifact's comment.md holding {@code comment}. */
  @SuppressWarnings("unchecked")
  Result post(String comment) throws Exception {
    Path artifact = Files.createDirectories(work.resolve(downloadPath()));
    Files.writeString(artifact.resolve("comment.md"), comment);
    Map<String, Object> step = steps().stream().filter(s -> s.containsKey("run")).findFirst().orElseThrow();
    Path script = Files.writeString(tmp.resolve("step.sh"), String.valueOf(step.get("run")));
    ProcessBuilder pb = new ProcessBuilder("bash", "-e", script.toString()).directory(work.toFile())
        .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    ((Map<String, Object>) step.getOrDefault("env", Map.of())).forEach((k, v) -> env.put(k, evaluate(String.valueOf(v))));
    env.put("PATH", tmp.resolve("bin") + ":" + env.get("PATH"));
    env.put("GH_STUB_API", gh.baseUrl());
    env.put("GITHUB_REPOSITORY", GitHubApiStub.OWNER + "/" + GitHubApiStub.REPO);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Result(p.exitValue(), out);
  }

  void openPullRequest(boolean open) {
    gh.server.stubFor(get(urlPathEqualTo(gh.repoPath() + "/pulls")).withQueryParam("state", equalTo("open"))
        .withQueryParam("head", equalTo(FORK_OWNER + ":" + FORK_BRANCH))
        .willReturn(okJson(open ? "[{\"number\":" + GitHubApiStub.PR + ",\"state\":\"open\"}]" : "[]")));
  }

  static String comment(String key, String text) {
    return CommentRenderer.marker(key) + "\n### ✅ " + key + " · " + text + "\n";
  }

  @Test
  void firstTime_postsTheArtifactsCommentOnTheForksPullRequest() throws Exception {
    openPullRequest(true);
    String body = comment("app", "12.0 MiB of 250 MiB");

    Result r = post(body);

    assertEquals(0, r.code(), r.out());
    assertEquals(1, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))), r.out());
    assertEquals(body, GitHubApiStub.body(gh.requests(postRequestedFor(urlPathEqualTo(gh.commentsPath()))).get(0))
        .path("body").asText());
    assertEquals("Bearer " + TOKEN, gh.requests(postRequestedFor(urlPathEqualTo(gh.commentsPath()))).get(0)
        .getHeader("Authorization"));
  }

  @Test
  void again_updatesTheBotsCommentWithTheSameMarker_notAPersonsNorAnotherLayers() throws Exception {
    openPullRequest(true);
    gh.addComment("contributor", "User", comment("app", "a person quoting the marker"));
    gh.addComment("github-actions[bot]", "Bot", comment("gis", "another layer's comment"));
    long mine = gh.addComment("github-actions[bot]", "Bot", comment("app", "the last run's")).path("id").asLong();
    gh.restub();
    String body = comment("app", "13.0 MiB of 250 MiB");

    Result r = post(body);

    assertEquals(0, r.code(), r.out());
    assertEquals(0, gh.count(postRequestedFor(urlPathEqualTo(gh.commentsPath()))), r.out());
    assertEquals(1, gh.count(patchRequestedFor(anyUrl())), r.out());
    assertEquals(1, gh.count(patchRequestedFor(urlPathEqualTo(gh.commentPath(mine)))), r.out());
    assertEquals(body, GitHubApiStub.body(gh.requests(patchRequestedFor(urlPathEqualTo(gh.commentPath(mine))))
        .get(0)).path("body").asText());
  }

  @Test
  void aCommentWithoutLayerslimsMarker_isRefused_andNothingIsPosted() throws Exception {
    openPullRequest(true);

    Result r = post("Please merge me\n<!-- layerslim:app -->\n");

    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("::error::"), r.out());
    assertEquals(0, gh.count(postRequestedFor(anyUrl())) + gh.count(patchRequestedFor(anyUrl())));
  }

  @Test
  void noOpenPullRequestForTheForksBranch_isANotice_andNothingIsPosted() throws Exception {
    openPullRequest(false);

    Result r = post(comment("app", "12.0 MiB of 250 MiB"));

    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("::notice::no open pull request for " + FORK_OWNER + ":" + FORK_BRANCH), r.out());
    assertEquals(1, gh.count(anyRequestedFor(anyUrl())), "only the pull request lookup: " + r.out());
  }
}
