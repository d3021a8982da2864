package dev.layerslim.cli;

import dev.layerslim.github.ActionInputs;
import dev.layerslim.github.ActionsEventSink;
import dev.layerslim.github.BaselineFinder;
import dev.layerslim.github.Deadline;
import dev.layerslim.github.GitHubSession;
import dev.layerslim.github.CommentContext;
import dev.layerslim.github.CommentRenderer;
import dev.layerslim.github.PullRequestEvent;
import dev.layerslim.redact.Redactor;
import dev.layerslim.github.ReleaseUploader;
import dev.layerslim.github.RetryPolicy;
import dev.layerslim.github.RunnerFiles;
import dev.layerslim.github.StickyComment;
import dev.layerslim.github.WorkflowCommands;
import dev.layerslim.github.WorkspaceOwner;
import dev.layerslim.layer.Sizes;
import dev.layerslim.pipeline.BuildContext;
import dev.layerslim.pipeline.BuildOptions;
import dev.layerslim.pipeline.ZipResult;
import dev.layerslim.error.LayerslimException;
import dev.layerslim.python.ProcessRunner;
import dev.layerslim.python.SystemProcessRunner;
import dev.layerslim.reportfile.Report;
import dev.layerslim.reportfile.ReportJson;
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
    footer = {"", "Exit codes: 0 within limits, 1 a limit exceeded, 2 bad input, 3 a step failed, 4 an internal error.",
        "A comment that cannot be written (a fork's read-only token) is a warning, never a failure."})
public final class ActionCommand implements Callable<Integer> {
  static final String DEFAULT_API_URL = GitHubSession.DEFAULT_API_URL;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final Map<String, String> env;
  private final ProcessRunner processes;
  private final RetryPolicy retry;

  /** What the container runs: the real environment and processes. */
  public ActionCommand() {
    this(System.getenv(), new SystemProcessRunner(), RetryPolicy.DEFAULT);
  }

  /** In the output folder: which job built it ({@code RUN_ID-ATTEMPT-JOB}). */
  static final String JOB_MARK = ".layerslim-job";

  ActionCommand(Map<String, String> env, ProcessRunner processes, RetryPolicy retry) {
    this.env = Map.copyOf(env);
    this.processes = processes;
    this.retry = retry;
  }

  @Override
  public Integer call() throws IOException {
    // the action prints workflow commands on purpose; ActionsEventSink makes every other line plain
    PrintWriter out = CommandSafeWriter.unguarded(spec.commandLine().getOut());
    ActionInputs inputs = new ActionInputs(env);
    String rawToken = env.get(ActionInputs.envName("github-token"));
    List<String> secrets = new java.util.ArrayList<>(tokenSecrets(rawToken));
    // the token of a private index inside index-url, extra-index-url, pip-args, PIP_INDEX_URL, requirements
    secrets.addAll(inputs.secrets());
    for (String secret : secrets) {
      // First lines of all, so the runner hides the secrets from everything after them.
      out.println(WorkflowCommands.addMask(secret));
    }
    out.flush();
    Redactor redactor = new Redactor(secrets);
    ActionsEventSink log = new ActionsEventSink(out, redactor);
    // a token that cannot go into an HTTP header is never sent (nor printed by the error it would raise)
    String tokenProblem = tokenProblem(inputs.get("github-token"));
    String token = tokenProblem == null ? inputs.get("github-token") : null;
    BuildOptions options = null;
    Path autoBaseline = null;
    try {
      if (tokenProblem != null) {
        throw LayerslimException.usage(tokenProblem);
      }
      if ("auto".equalsIgnoreCase(inputs.get("baseline"))) {
        autoBaseline = Files.createTempFile("layerslim-baseline-", ".json");
        inputs = autoBaseline(inputs, token, autoBaseline, log);
      }
      options = BuildCommand.fromInputs(inputs);
      String taken = takenInThisJob(options.output());
      if (taken != null) {
        // not failed(): that would replace the first layer's comment, which shares this key
        log.error(taken, null);
        options = null; // the folder is the first step's: hand nothing back from here
        return LayerslimException.EXIT_USAGE;
      }
      return run(inputs, options, token, redactor, log);
    } catch (LayerslimException e) {
      log.closeGroup();
      log.error(e.getMessage(), null);
      failed(inputs, options, token, redactor, log, log.currentStep(), e.getMessage());
      return e.exitCode();
    } catch (RuntimeException e) {
      // An internal error: the PR must not keep the previous run's comment either.
      log.closeGroup();
      failed(inputs, options, token, redactor, log, log.currentStep(), "internal error: " + e);
      throw e;
    } finally {
      if (autoBaseline != null) {
        Files.deleteIfExists(autoBaseline);
      }
      if (options != null) {
        markJob(options.output());
        handBack(inputs.workspace(), options.output(), log);
      }
    }
  }

  /**
   * What to mask of the github-token input: the whole value, and each line and word of it when it
   * holds several (the runner masks a value whole; an error that printed one line of it must not
   * show that line). Parts shorter than four characters are left out: the runner would hide every
   * such string in the log.
   */
  static List<String> tokenSecrets(String raw) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    if (raw == null || raw.isBlank()) {
      return List.of();
    }
    out.add(raw.strip());
    for (String part : raw.strip().split("[^\\x21-\\x7e]+")) {
      if (part.length() >= 4) {
        out.add(part);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Why the github-token input cannot be sent as an HTTP header (a line break, white space, a
   * control or non-ASCII character: a token has none), or null when it can. The message names the
   * input and shows nothing of the value.
   */
  static String tokenProblem(String token) {
    if (token == null) {
      return null;
    }
    String what = null;
    for (int i = 0; i < token.length() && what == null; i++) {
      char c = token.charAt(i);
      if (c == '\n' || c == '\r') {
        what = "a line break";
      } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        what = "white space";
      } else if (c < 0x21 || c == 0x7f) {
        what = "a control character";
      } else if (c > 0x7e) {
        what = "a non-ASCII character";
      }
    }
    return what == null ? null : "input github-token holds " + what + " (its value is not shown): a token is one "
        + "line of letters, digits and _-. characters; pass a single token, e.g. github-token: ${{ github.token }}";
  }

  /**
   * The help's list of inputs, in action.yml's order (ActionYmlTest holds the two lists equal): the
   * action is configured by these, each read from {@code INPUT_<NAME>}.
   */
  static List<String> inputsHelp() {
    List<String> lines = new java.util.ArrayList<>(List.of("",
        "Inputs (set under with:, read from INPUT_<NAME>; action.yml describes each):"));
    StringBuilder line = new StringBuilder(" ");
    for (String name : ActionInputs.NAMES) {
      if (line.length() + name.length() + 1 > 76) {
        lines.add(line.toString());
        line = new StringBuilder(" ");
      }
      line.append(' ').append(name);
    }
    lines.add(line.toString());
    return lines;
  }

  /** This run's job, {@code RUN_ID-ATTEMPT-JOB}; null outside GitHub Actions. */
  private String jobId() {
    String run = env.get("GITHUB_RUN_ID");
    return run == null || run.isBlank() ? null
        : run + "-" + env.getOrDefault("GITHUB_RUN_ATTEMPT", "1") + "-" + env.getOrDefault("GITHUB_JOB", "");
  }

  /**
   * Why {@code output} cannot be built into: an earlier layerslim step of this same job built
   * there (two layers sharing an output-dir, where the second would overwrite the first's zip and
   * comment); null when it is free.
   */
  private String takenInThisJob(Path output) throws IOException {
    String job = jobId();
    Path mark = output.resolve(JOB_MARK);
    if (job == null || !Files.isRegularFile(mark) || !Files.readString(mark).strip().equals(job)) {
      return null;
    }
    return "input output-dir " + output + " was already written by an earlier layerslim step of this job; "
        + "give each layer its own output-dir and comment-key (see docs/action.md, 'Several layers in one workflow')";
  }

  /** Marks {@code output} as this job's, so a second step of the job does not build over it. */
  private void markJob(Path output) {
    String job = jobId();
    if (job != null && Files.isDirectory(output)) {
      try {
        Files.writeString(output.resolve(JOB_MARK), job + "\n");
      } catch (IOException e) {
        // only a guard against a mistake in the workflow: the build's own outcome stands
      }
    }
  }

  /**
   * {@code baseline: auto}: the base branch's report.json from the newest successful run's artifact,
   * written to {@code file}; the inputs then name that file. None found is a notice and no baseline.
   */
  private ActionInputs autoBaseline(ActionInputs inputs, String token, Path file, ActionsEventSink log) {
    Map<String, String> changed = new java.util.HashMap<>(env);
    changed.put(ActionInputs.envName("baseline"), "");
    if (token == null) {
      log.notice("no baseline: baseline auto needs the input github-token");
      return new ActionInputs(changed);
    }
    String api = apiUrl();
    if (api == null) {
      log.notice("no baseline: " + apiUrlProblem());
      return new ActionInputs(changed);
    }
    GitHubSession github = session(api, token);
    if (github == null) {
      log.notice("no baseline: " + apiUrlProblem());
      return new ActionInputs(changed);
    }
    BaselineFinder finder = github.baselineFinder();
    String key = inputs.layerKey().raw();
    BaselineFinder.Result found;
    try {
      found = Deadline.after(retry.timeouts().total()).run("baseline", () -> finder.find(env, key, file));
    } catch (java.util.concurrent.TimeoutException e) {
      found = new BaselineFinder.Result(null, "no baseline: GitHub did not answer within "
          + retry.timeouts().total().toSeconds() + " s");
    }
    if (found.report() == null) {
      log.notice(found.notice());
    } else {
      log.info(found.notice());
      changed.put(ActionInputs.envName("baseline"), found.report().toString());
    }
    return new ActionInputs(changed);
  }

  private int run(ActionInputs inputs, BuildOptions options, String token, Redactor redactor, ActionsEventSink log)
      throws IOException {
    BuildRunner.Outcome<Workflows.Built> built = BuildRunner.run(options, Workflows::build, log, processes);
    try {
      return report(inputs, options, token, redactor, log, built);
    } catch (IOException | RuntimeException e) {
      // The layer was built, but what tells the PR about it failed (GITHUB_OUTPUT not writable, a report
      // that cannot be read back): the previous run's comment must not go on standing for this one.
      log.closeGroup();
      String message = "the layer was built, but reporting it failed: " + (e.getMessage() == null ? e.toString()
          : e.getMessage());
      log.error(message, null);
      failed(inputs, options, token, redactor, log, "report", message);
      return LayerslimException.EXIT_STEP_FAILED;
    }
  }

  /**
   * After the build: the reports redacted, comment.md, the release, the job summary, the comment,
   * and the step outputs last of all, so a failure anywhere before them leaves {@link #failed} to
   * write the one {@code result}.
   */
  private int report(ActionInputs inputs, BuildOptions options, String token, Redactor redactor,
      ActionsEventSink log, BuildRunner.Outcome<Workflows.Built> built) throws IOException {
    boolean comment = inputs.comment();
    BuildContext ctx = built.ctx();
    ZipResult zip = built.result().zip();
    log.closeGroup();
    for (String failure : ctx.failures()) {
      log.error(failure, null);
    }

    Path reportJson = built.result().report().json();
    Path reportMd = built.result().report().markdown();
    // pip.log holds the index URLs pip printed; an input value may carry the token (pasted by mistake):
    // the files say *** like everything else (report.json through its model), and the comment is rendered
    // from the redacted report: its tables and chart reshape names, which could hide a secret from a
    // redaction of the comment alone
    Report report = ReportJson.redacted(built.result().report().report(), redactor::redact);
    OutputDir.redact(options.output(), redactor);
    String key = inputs.commentKey();
    CommentContext context = CommentContext.action(env, key, inputs.layerName());
    String body = redactor.redact(CommentRenderer.render(report, context));
    Path commentFile = options.output().resolve("comment.md");
    Files.writeString(commentFile, body, StandardCharsets.UTF_8);

    RunnerFiles files = RunnerFiles.fromEnv(env, redactor);
    Map<String, String> outputs = new LinkedHashMap<>();
    Path ws = inputs.workspace();
    boolean exceeded = report.exceeded();
    outputs.put("layer-zip", forHost(ws, zip.file()));
    outputs.put("layer-dir", forHost(ws, options.output().resolve("layer")));
    outputs.put("report-json", forHost(ws, reportJson));
    outputs.put("report-md", forHost(ws, reportMd));
    outputs.put("unzipped-bytes", String.valueOf(report.totals().unzippedBytes()));
    outputs.put("zipped-bytes", String.valueOf(report.totals().zippedBytes()));
    outputs.put("exceeded", String.valueOf(exceeded));
    outputs.put("result", exceeded ? "exceeded" : ctx.failures().isEmpty() ? "ok" : "incompatible");
    outputs.put("comment-body", forHost(ws, commentFile));
    int code = built.exitCode();
    Deadline deadline = Deadline.after(retry.timeouts().total());
    ReleaseResult release = release(inputs, token, code, reportJson, zip.file(), log, deadline);
    outputs.put("release-assets", String.join("\n", release.urls()));
    // the summary leads with the comment's block, so both say the same thing first
    files.appendSummary(redactor.redact(CommentRenderer.lead(report, context)) + "\n---\n\n"
        + Files.readString(reportMd, StandardCharsets.UTF_8));
    for (Report.Limit l : report.limits()) {
      if (l.exceeded() && !l.enforced()) {
        log.notice("layer.zip is " + Sizes.human(l.actualBytes()) + ", over the "
            + Sizes.human(l.limitBytes()) + " AWS takes in a direct upload: this only matters for a "
            + "direct upload (SAM and CDK upload through S3)");
      }
    }

    if (comment) {
      postComment(inputs, token, key, body, log, deadline);
    } else {
      log.info("no pull request comment: the input comment is false");
    }
    files.writeOutputs(outputs);
    log.info("layer: " + zip.file() + " (" + Sizes.human(zip.zippedBytes()) + " zipped, "
        + Sizes.human(zip.tree().totalBytes()) + " unzipped)");
    if (release.exitCode() != 0) {
      return release.exitCode();
    }
    String notRun = built.result().smokeNotRun();
    log.info(code != 0 ? "FAILED: " + String.join("; ", ctx.failures())
        : "OK: within limits" + (notRun == null ? "" : "; not smoke-tested: " + notRun)
            + (options.target().aboveRuntime() ? "; but " + options.target().customImageWarning() : ""));
    return code;
  }

  /**
   * A build that failed (exit 2, 3 or 4), or whose reporting failed, still replaces the PR's comment,
   * the job summary and the outputs, so nothing goes on showing the previous run's green result.
   * Never throws.
   */
  private void failed(ActionInputs inputs, BuildOptions options, String token, Redactor redactor,
      ActionsEventSink log, String step, String message) {
    String key;
    String layer;
    boolean comment;
    try {
      key = inputs.commentKey();
      layer = inputs.layerName();
      comment = inputs.comment();
    } catch (RuntimeException e) {
      key = ActionInputs.safeCommentKey(null);
      layer = key;
      comment = false;
    }
    String body = redactor.redact(CommentRenderer.renderFailure(CommentContext.action(env, key, layer), step,
        message));
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("exceeded", "false");
    outputs.put("result", "failed");
    try {
      if (options != null && Files.isDirectory(options.output())) {
        Path commentFile = options.output().resolve("comment.md");
        Files.writeString(commentFile, body, StandardCharsets.UTF_8);
        outputs.put("comment-body", forHost(inputs.workspace(), commentFile));
        OutputDir.redact(options.output(), redactor);
      }
    } catch (IOException | RuntimeException e) {
      log.warning("could not write comment.md of the failed build: " + e.getMessage());
    }
    RunnerFiles files = RunnerFiles.fromEnv(env, redactor);
    try {
      files.appendSummary(body);
    } catch (IOException | RuntimeException e) {
      log.warning("could not write the job summary of the failed build: " + e.getMessage());
    }
    try {
      files.writeOutputs(outputs);
    } catch (IOException | RuntimeException e) {
      log.warning("could not write the outputs of the failed build: " + e.getMessage());
    }
    if (comment) {
      try {
        postComment(inputs, token, key, body, log, Deadline.after(retry.timeouts().total()));
      } catch (RuntimeException e) {
        log.warning("no pull request comment: " + e.getMessage());
      }
    }
  }

  /** What the release upload did: the download URLs, and an exit code other than 0 when it failed. */
  private record ReleaseResult(List<String> urls, int exitCode) {}

  /**
   * With the input release-tag: uploads layer.zip and report.json to that tag's release, named
   * after the runtime. A layer over a limit is not released (the check fails anyway); a failed
   * upload fails the step, since publishing was what the workflow asked for.
   */
  private ReleaseResult release(ActionInputs inputs, String token, int buildCode, Path reportJson, Path zip,
      ActionsEventSink log, Deadline deadline) {
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
    String api = apiUrl();
    if (api == null) {
      log.error("release " + tag + ": " + apiUrlProblem(), null);
      return new ReleaseResult(List.of(), LayerslimException.EXIT_STEP_FAILED);
    }
    try {
      List<ReleaseUploader.Asset> assets = List.of(ReleaseUploader.describe(zip, ""),
          ReleaseUploader.describe(reportJson, ""));
      GitHubSession github = session(api, token);
      if (github == null) {
        throw LayerslimException.stepFailed(apiUrlProblem());
      }
      ReleaseUploader uploader = github.releaseUploader();
      List<ReleaseUploader.Uploaded> done;
      try {
        done = deadline.run("release", () -> uploader.upload(repo, tag, assets));
      } catch (java.util.concurrent.TimeoutException e) {
        throw LayerslimException.stepFailed("GitHub did not finish the upload within "
            + deadline.total().toSeconds() + " s");
      }
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
        log.info("handed " + dev.layerslim.layer.Plural.count(r.changed(), "file") + " back to uid " + r.uid() + ", gid " + r.gid() + " (the workspace's owner)");
      }
    } catch (IOException | RuntimeException e) {
      log.warning("could not hand the output back to the workspace's owner: " + e.getMessage());
    }
  }

  /**
   * GITHUB_API_URL (GitHub.com's API when unset), or null when it is not an absolute http(s) URL with
   * a host: the runner sets it, and a bad one costs the comment, never the build's result.
   */
  private String apiUrl() {
    String api = env.getOrDefault("GITHUB_API_URL", "").strip();
    if (api.isEmpty()) {
      return DEFAULT_API_URL;
    }
    try {
      java.net.URI uri = new java.net.URI(api);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawQuery() == null
          && uri.getRawFragment() == null) {
        uri.toURL();
        return api;
      }
    } catch (java.net.URISyntaxException | java.net.MalformedURLException | IllegalArgumentException e) {
      // named below
    }
    return null;
  }

  /** What is wrong with GITHUB_API_URL, for a line that says what it cost. */
  private String apiUrlProblem() {
    return "GITHUB_API_URL '" + env.getOrDefault("GITHUB_API_URL", "").strip() + "' is not an http(s) URL with a "
        + "host (the runner sets it, e.g. https://api.github.com or https://ghe.example.com/api/v3)";
  }

  /** This run's one GitHub session (baseline, release and comment share it), opened on first use; null when
   * hub4j refuses the API URL. */
  private GitHubSession session(String api, String token) {
    if (session == null) {
      try {
        session = GitHubSession.open(api, token, retry);
      } catch (IOException e) {
        return null;
      }
    }
    return session;
  }

  private GitHubSession session;

  private void postComment(ActionInputs inputs, String token, String key, String body, ActionsEventSink log,
      Deadline deadline) {
    PullRequestEvent.Lookup pr = PullRequestEvent.read(env);
    if (pr.event() == null) {
      log.info("no pull request comment: " + pr.whyNot());
      return;
    }
    if (token == null) {
      log.warning("no pull request comment: the input github-token is empty");
      return;
    }
    String api = apiUrl();
    if (api == null) {
      log.warning("no pull request comment: " + apiUrlProblem());
      return;
    }
    GitHubSession github = session(api, token);
    StickyComment.Result r;
    try {
      if (github == null) {
        r = new StickyComment.Result(StickyComment.Outcome.FAILED, null, "could not set up the GitHub client: "
            + apiUrlProblem());
      } else {
        StickyComment sticky = github.stickyComment();
        r = deadline.run("comment", () -> sticky.upsert(pr.event().repository(), pr.event().number(),
            CommentRenderer.marker(key), body));
      }
    } catch (java.util.concurrent.TimeoutException e) {
      r = new StickyComment.Result(StickyComment.Outcome.FAILED, null, "GitHub did not answer within "
          + deadline.total().toSeconds() + " s in all; the comment was not written");
    }
    switch (r.outcome()) {
      case CREATED -> log.info("commented on #" + pr.event().number() + ": " + r.url());
      case UPDATED -> log.info("updated the comment on #" + pr.event().number() + ": " + r.url());
      case FAILED -> log.warning("no pull request comment: " + r.message());
    }
  }
}
