package dev.layerslim.cli;

import dev.layerslim.github.GitHubSession;
import dev.layerslim.github.ReleaseUploader;
import dev.layerslim.github.RetryPolicy;
import dev.layerslim.error.LayerslimException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code layerslim release}: attaches a built layer and its report to a GitHub release. */
@Command(name = "release", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {"Uploads the layer zip and report to the GitHub release of a tag.",
        "Assets are named after their runtime (layer.zip → layer-python3.11-x86_64.zip, from the report.json",
        "beside it). An asset of the same name is replaced; every upload is checked by the size GitHub reports.",
        ""},
    footerHeading = "%nExamples:%n",
    footer = {"  layerslim release --tag v1.2.0 --asset layerslim-out/layer.zip --asset layerslim-out/report.json",
        "", "Environment: GITHUB_TOKEN (or --token-env), GITHUB_REPOSITORY (or --repo), GITHUB_API_URL.",
        "Exit codes: 0 uploaded, 2 bad usage (no such file, tag or repository), 3 an upload failed, 4 an internal error."})
public final class ReleaseCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--tag", required = true, paramLabel = "TAG", description = "the release's tag, e.g. v1.2.0")
  String tag;

  @Option(names = "--asset", required = true, paramLabel = "FILE",
      description = "a file to attach (repeatable), e.g. layerslim-out/layer.zip")
  List<Path> assets = new ArrayList<>();

  @Option(names = "--repo", paramLabel = "OWNER/NAME", description = "the repository (default: $GITHUB_REPOSITORY)")
  String repo;

  @Option(names = "--name-suffix", paramLabel = "TEXT",
      description = "added to each asset name before its extension, e.g. -geo → layer-python3.11-x86_64-geo.zip")
  String nameSuffix;

  @Option(names = "--token-env", paramLabel = "VAR", defaultValue = "GITHUB_TOKEN",
      description = "environment variable that holds the token (default: ${DEFAULT-VALUE})")
  String tokenEnv;

  @Option(names = "--api-url", paramLabel = "URL",
      description = "GitHub API URL (default: $GITHUB_API_URL, else " + GitHubSession.DEFAULT_API_URL + ")")
  String apiUrl;


  private final Map<String, String> env;

  public ReleaseCommand() {
    this(System.getenv());
  }

  /** For tests: the environment the command reads instead of the process's. */
  ReleaseCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    String token = env.get(tokenEnv);
    if (token == null || token.isBlank()) {
      throw LayerslimException.usage("no token: set " + tokenEnv + " (or name another variable with --token-env)");
    }
    String repository = repo != null ? repo : env.get("GITHUB_REPOSITORY");
    if (repository == null || !repository.matches("[^/\\s]+/[^/\\s]+")) {
      throw LayerslimException.usage(repository == null
          ? "no repository: give --repo OWNER/NAME (or set GITHUB_REPOSITORY)"
          : "--repo " + repository + ": expected OWNER/NAME");
    }
    String api = apiUrl != null ? apiUrl : env.getOrDefault("GITHUB_API_URL", GitHubSession.DEFAULT_API_URL);
    List<ReleaseUploader.Asset> described = new ArrayList<>();
    for (Path a : assets) {
      described.add(ReleaseUploader.describe(a, nameSuffix));
    }
    GitHubSession session;
    try {
      session = GitHubSession.open(api, token, RetryPolicy.DEFAULT);
    } catch (IOException e) {
      throw LayerslimException.usage("cannot use the GitHub API at " + api + ": " + e.getMessage());
    }
    List<ReleaseUploader.Uploaded> done = session.releaseUploader().upload(repository, tag, described);
    PrintWriter out = spec.commandLine().getOut();
    for (ReleaseUploader.Uploaded u : done) {
      out.println((u.replaced() ? "replaced " : "uploaded ") + u.name() + " (" + u.bytes() + " bytes)"
          + (u.downloadUrl() == null ? "" : ": " + u.downloadUrl()));
    }
    out.flush();
    return LayerslimException.EXIT_OK;
  }
}
