package dev.layerslim.github;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * The HTTP side of every GitHub call layerslim makes: a hub4j {@link GitHubConnector} on the JDK's
 * {@link HttpClient} with a connect timeout and a response timeout, so an API that accepts the
 * connection and never answers costs at most {@link Timeouts#read()} per request, never the job's
 * six hours. hub4j's default connector sets neither.
 *
 * <p>A connection error on a POST is not handed to hub4j as a {@link SocketException}: hub4j retries
 * those blindly, and a POST that reached GitHub before the connection broke would then be made twice.
 * The caller decides (see {@link StickyComment}).
 */
public final class GitHubHttp implements GitHubConnector {
  /**
   * How long to wait for GitHub.
   *
   * @param connect to open a connection
   * @param read for a response's status and headers once the request is sent
   * @param total for the whole GitHub phase of a run (baseline, comment, release together)
   */
  public record Timeouts(Duration connect, Duration read, Duration total) {
    /** 10 s to connect, 30 s for an answer, 120 s for all of it. */
    public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(120));
  }

  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

  private final HttpClient client;
  private final Timeouts timeouts;

  public GitHubHttp(Timeouts timeouts) {
    this.timeouts = timeouts;
    // Redirects are followed by hub4j itself (it drops the Authorization header for another host).
    // HTTP/1.1: the JDK's default asks a plain-http server to upgrade to h2c on the first request, which
    // a server or proxy that mishandles the upgrade answers by closing the connection: a repeated request.
    this.client = HttpClient.newBuilder().connectTimeout(timeouts.connect()).version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  public Timeouts timeouts() {
    return timeouts;
  }

  public HttpClient client() {
    return client;
  }

  /**
   * A hub4j client for {@code apiUrl} with {@code token}, on this connector; rate-limit waits are
   * left to {@code rateLimit} and {@code abuseLimit} when not null.
   */
  public GitHub connect(String apiUrl, String token, org.kohsuke.github.GitHubRateLimitHandler rateLimit,
      org.kohsuke.github.GitHubAbuseLimitHandler abuseLimit) throws IOException {
    // Not withOAuthToken: with it, hub4j calls GET /user while building the client, to learn the login,
    // and StickyComment asks GET /user again. A plain provider sends the same header and asks nothing.
    String header = "token " + token;
    GitHubBuilder b = new GitHubBuilder().withEndpoint(apiUrl).withAuthorizationProvider(() -> header)
        .withConnector(this);
    if (rateLimit != null) {
      b = b.withRateLimitHandler(rateLimit);
    }
    if (abuseLimit != null) {
      b = b.withAbuseLimitHandler(abuseLimit);
    }
    return b.build();
  }

  @Override
  public GitHubConnectorResponse send(GitHubConnectorRequest request) throws IOException {
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder().uri(request.url().toURI()).timeout(timeouts.read());
    } catch (URISyntaxException e) {
      throw new IOException("not a valid URL: " + request.url(), e);
    }
    for (Map.Entry<String, List<String>> h : request.allHeaders().entrySet()) {
      if (h.getValue() != null && !h.getValue().isEmpty()) {
        b.header(h.getKey(), String.join(", ", h.getValue()));
      }
    }
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
    if (request.hasBody()) {
      try (InputStream in = request.body()) {
        body = HttpRequest.BodyPublishers.ofByteArray(in.readAllBytes());
      }
    }
    String method = request.method();
    b.method(method, body);
    HttpResponse<byte[]> response;
    try {
      response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for GitHub");
    } catch (SocketException e) {
      if (!IDEMPOTENT.contains(method)) {
        throw new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
      }
      throw e;
    }
    return new Response(request, response);
  }

  /** A response whose body was read whole (GitHub's JSON answers are small). */
  private static final class Response extends GitHubConnectorResponse.ByteArrayResponse {
    private final byte[] body;

    Response(GitHubConnectorRequest request, HttpResponse<byte[]> response) {
      super(request, response.statusCode(), response.headers().map());
      this.body = response.body() == null ? new byte[0] : response.body();
    }

    @Override
    protected InputStream rawBodyStream() {
      return new ByteArrayInputStream(body);
    }
  }
}
