package dev.layerslim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerslim.github.ActionInputs;
import dev.layerslim.github.ActionsEventSink;
import dev.layerslim.github.CommentRenderer;
import dev.layerslim.github.PullRequestEvent;
import dev.layerslim.github.Redactor;
import dev.layerslim.github.ReleaseUploader;
import dev.layerslim.github.RetryPolicy;
import dev.layerslim.github.RunnerFiles;
import dev.layerslim.github.StickyComment;
import dev.layerslim.github.WorkflowCommands;
import dev.layerslim.github.WorkspaceOwner;
import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.LayerslimException;
import dev.layerslim.python.ProcessRunner;
import dev.layerslim.python.SystemProcessRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code layerslim action}: the GitHub Action's container entrypoint. It reads the inputs
 * ({@code INPUT_*}), runs the same pipeline as {@code build}, then writes the step outputs, the job
 * summary and comment.md, and on a pull request creates or updates the layer's sticky comment.
 * The log uses workflow commands: a group per step, annotations for warnings and errors.
 *
 * <p>The environment, the process runner and the retry policy are injected so tests can play the
 * runner. The token is masked before anything else is printed and is never written anywhere.
 */
@Command(name = "action", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"The GitHub Action's entrypoint: builds like 'build' from INPUT_* and GITHUB_* variables.",
        "Writes the step outputs and job summary, and comments on the pull request.", ""},
    footer = {"", "Exit codes: 0 within limits, 1 a limit exceeded, 2 bad input, 3 a step failed.",
        "A comment that cannot be written (a fork's read-only token) is a warning, never a failure."})
public final class ActionCommand implements Callable<Integer> {
  static final String DEFAULT_API_URL = "https://api.github.com";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final Map<String, String> env;
  private final ProcessRunner processes;
  private final RetryPolicy retry;

  /** What the container runs: the real environment and processes. */
  public ActionCommand() {
    this(System.getenv(), new SystemProcessRunner(), RetryPolicy.DEFAULT);
  }

  ActionCommand(Map<String, String> env, ProcessRunner processes, RetryPolicy retry) {
    this.env = Map.copyOf(env);
    this.processes = processes;
    this.retry = retry;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    ActionInputs inputs = new ActionInputs(env);
    String token = inputs.get("github-token");
    List<String> secrets = new java.util.ArrayList<>();
    if (token != null) {
      secrets.add(token);
    }
    // the token of a private index inside index-url, extra-index-url or pip-args
    secrets.addAll(inputs.secrets());
    for (String secret : secrets) {
      // First lines of all, so the runner hides the secrets from everything after them.
      out.println(WorkflowCommands.addMask(secret));
    }
    out.flush();
    Redactor redactor = new Redactor(secrets);
    ActionsEventSink log = new ActionsEventSink(out, redactor);
    BuildOptions options = null;
    try {
      options = inputs.toBuildOptions();
      return run(inputs, options, token, redactor, log);
    } catch (LayerslimException e) {
      log.closeGroup();
      log.error(e.getMessage(), null);
      return e.exitCode();
    } finally {
      if (options != null) {
        handBack(inputs.workspace(), options.output, log);
      }
    }
  }

  private int run(ActionInputs inputs, BuildOptions options, String token, Redactor redactor, ActionsEventSink log)
      throws IOException {
    boolean comment = inputs.comment();
    BuildContext ctx = BuildRunner.run(options, Workflows.build(), log, processes);
    log.closeGroup();
    for (String failure : ctx.failures()) {
      log.error(failure, null);
    }

    Path reportJson = options.output.resolve("report.json");
    Path reportMd = options.output.resolve("report.md");
    JsonNode report = new ObjectMapper().readTree(reportJson.toFile());
    String key = inputs.commentKey();
    String body = redactor.redact(CommentRenderer.render(report, key));
    Path commentFile = options.output.resolve("comment.md");
    Files.writeString(commentFile, body, StandardCharsets.UTF_8);

    RunnerFiles files = RunnerFiles.fromEnv(env, redactor);
    Map<String, String> outputs = new LinkedHashMap<>();
    Path ws = inputs.workspace();
    outputs.put("layer-zip", forHost(ws, ctx.zipFile));
    outputs.put("layer-dir", forHost(ws, options.output.resolve("layer")));
    outputs.put("report-json", forHost(ws, reportJson));
    outputs.put("report-md", forHost(ws, reportMd));
    outputs.put("unzipped-bytes", String.valueOf(report.path("totals").path("unzippedBytes").asLong()));
    outputs.put("zipped-bytes", String.valueOf(report.path("totals").path("zippedBytes").asLong()));
    outputs.put("exceeded", String.valueOf(!ctx.failures().isEmpty()));
    outputs.put("comment-body", forHost(ws, commentFile));
    int code = BuildRunner.exitCode(ctx);
    ReleaseResult release = release(inputs, token, code, reportJson, ctx.zipFile, log);
    outputs.put("release-assets", String.join("\n", release.urls()));
    files.writeOutputs(outputs);
    files.appendSummary(Files.readString(reportMd, StandardCharsets.UTF_8));

    if (comment) {
      postComment(inputs, token, key, body, log);
    } else {
      log.info("no pull request comment: the input comment is false");
    }
    log.info("layer: " + ctx.zipFile + " (" + Sizes.human(ctx.zippedBytes) + " zipped, "
        + Sizes.human(ctx.finalTree.totalBytes()) + " unzipped)");
    if (release.exitCode() != 0) {
      return release.exitCode();
    }
    log.info(code == 0 ? "OK: within limits" : "FAILED: " + String.join("; ", ctx.failures()));
    return code;
  }

  /** What the release upload did: the download URLs, and an exit code other than 0 when it failed. */
  private record ReleaseResult(List<String> urls, int exitCode) {}

  /**
   * With the input release-tag: uploads layer.zip and report.json to that tag's release, named
   * after the runtime. A layer over a limit is not released (the check fails anyway); a failed
   * upload fails the step, since publishing was what the workflow asked for.
   */
  private ReleaseResult release(ActionInputs inputs, String token, int buildCode, Path reportJson, Path zip,
      ActionsEventSink log) {
    String tag = inputs.releaseTag();
    if (tag == null) {
      return new ReleaseResult(List.of(), 0);
    }
    if (buildCode != 0) {
      log.warning("not uploading to release " + tag + ": the layer failed the check");
      return new ReleaseResult(List.of(), 0);
    }
    String repo = env.get("GITHUB_REPOSITORY");
    if (token == null || repo == null || repo.isBlank()) {
      log.error("release-tag " + tag + " needs github-token and GITHUB_REPOSITORY", null);
      return new ReleaseResult(List.of(), LayerslimException.EXIT_USAGE);
    }
    String api = env.getOrDefault("GITHUB_API_URL", "");
    try {
      List<ReleaseUploader.Uploaded> done = ReleaseUploader.connect(api.isBlank() ? DEFAULT_API_URL : api, token)
          .upload(repo, tag, List.of(ReleaseUploader.describe(zip, ""), ReleaseUploader.describe(reportJson, "")));
      List<String> urls = new java.util.ArrayList<>();
      for (ReleaseUploader.Uploaded u : done) {
        log.info((u.replaced() ? "replaced " : "uploaded ") + u.name() + " (" + u.bytes() + " bytes) on release " + tag);
        if (u.downloadUrl() != null) {
          urls.add(u.downloadUrl());
        }
      }
      return new ReleaseResult(urls, 0);
    } catch (LayerslimException e) {
      log.error("release " + tag + ": " + e.getMessage(), null);
      return new ReleaseResult(List.of(), e.exitCode());
    }
  }

  /**
   * A path as later steps can open it: relative to the workspace when it lies inside (the container
   * sees the workspace at /github/workspace, the runner's host at GITHUB_WORKSPACE), else as is.
   */
  static String forHost(Path workspace, Path p) {
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(workspace) && !abs.equals(workspace) ? workspace.relativize(abs).toString() : abs.toString();
  }

  /** The container runs as root: hand what it wrote back to the workspace's owner. */
  private static void handBack(Path workspace, Path output, ActionsEventSink log) {
    try {
      WorkspaceOwner.Result r = WorkspaceOwner.handBack(workspace, output);
      if (r.changed() > 0) {
        log.info("handed " + r.changed() + " files back to uid " + r.uid() + ", gid " + r.gid() + " (the workspace's owner)");
      }
    } catch (IOException | RuntimeException e) {
      log.warning("could not hand the output back to the workspace's owner: " + e.getMessage());
    }
  }

  private void postComment(ActionInputs inputs, String token, String key, String body, ActionsEventSink log) {
    PullRequestEvent.Lookup pr = PullRequestEvent.read(env);
    if (pr.event() == null) {
      log.info("no pull request comment: " + pr.whyNot());
      return;
    }
    if (token == null) {
      log.warning("no pull request comment: the input github-token is empty");
      return;
    }
    String api = env.getOrDefault("GITHUB_API_URL", "");
    StickyComment.Result r;
    try {
      r = new StickyComment(StickyComment.connect(api.isBlank() ? DEFAULT_API_URL : api, token), retry)
          .upsert(pr.event().repository(), pr.event().number(), CommentRenderer.marker(key), body);
    } catch (IOException e) {
      r = new StickyComment.Result(StickyComment.Outcome.FAILED, null, "could not set up the GitHub client: " + e);
    }
    switch (r.outcome()) {
      case CREATED -> log.info("commented on #" + pr.event().number() + ": " + r.url());
      case UPDATED -> log.info("updated the comment on #" + pr.event().number() + ": " + r.url());
      case FAILED -> log.warning("no pull request comment: " + r.message());
    }
  }
}
