package dev.layerslim.github;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubRateLimitHandler;
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
   * @param total for each GitHub phase of a run, retries and waits included: the baseline before the
   *     build; the release and the comment after it, together ({@link Deadline})
   */
  public record Timeouts(Duration connect, Duration read, Duration total) {
    /** 10 s to connect, 30 s for an answer, 120 s for all of it. */
    public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(120));
  }

  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");
  /** The statuses hub4j follows as redirects (as the JDK's Redirect.NORMAL does). */
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  /** A request body up to this size is sent from memory; a larger one (a release asset) from a temp file. */
  static final int IN_MEMORY_BODY_BYTES = 1 << 20;
  /** A JSON answer larger than this is not GitHub's (its largest pages are a few MiB). */
  static final int MAX_BUFFERED_BYTES = 32 << 20;

  private final HttpClient client;
  private final Timeouts timeouts;
  /** Where GitHub redirected to (scheme, host, port and path): those requests go without the token. */
  private final Set<String> redirectTargets = ConcurrentHashMap.newKeySet();

  GitHubHttp(Timeouts timeouts) {
    this.timeouts = timeouts;
    // Redirects are followed by hub4j itself, through this connector again (see send).
    // HTTP/1.1: the JDK's default asks a plain-http server to upgrade to h2c on the first request, which
    // a server or proxy that mishandles the upgrade answers by closing the connection: a repeated request.
    this.client = HttpClient.newBuilder().connectTimeout(timeouts.connect()).version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /**
   * A hub4j client for {@code apiUrl} with {@code token}, on this connector; rate-limit waits are
   * left to {@code rateLimit} and {@code abuseLimit}.
   */
  GitHub connect(String apiUrl, String token, GitHubRateLimitHandler rateLimit, GitHubAbuseLimitHandler abuseLimit)
      throws IOException {
    // Not withOAuthToken: with it, hub4j calls GET /user while building the client, to learn the login,
    // and StickyComment asks GET /user again. A plain provider sends the same header and asks nothing.
    String header = "token " + token;
    return new GitHubBuilder().withEndpoint(apiUrl).withAuthorizationProvider(() -> header).withConnector(this)
        .withRateLimitHandler(rateLimit).withAbuseLimitHandler(abuseLimit).build();
  }

  /**
   * Sends one request. hub4j follows a redirect by sending the Location as a new request, and drops
   * the token only when the host or port differs; a URL GitHub redirected to (an artifact's signed
   * storage URL above all) gets no token here whatever its host, as GitHub asks.
   */
  @Override
  public GitHubConnectorResponse send(GitHubConnectorRequest request) throws IOException {
    HttpRequest.Builder b;
    boolean redirected;
    try {
      URI uri = request.url().toURI();
      redirected = redirectTargets.remove(target(uri));
      b = HttpRequest.newBuilder().uri(uri).timeout(timeouts.read());
    } catch (URISyntaxException e) {
      throw new IOException("not a valid URL: " + request.url(), e);
    }
    for (Map.Entry<String, List<String>> h : request.allHeaders().entrySet()) {
      if (redirected && "Authorization".equalsIgnoreCase(h.getKey())) {
        continue;
      }
      if (h.getValue() != null && !h.getValue().isEmpty()) {
        b.header(h.getKey(), String.join(", ", h.getValue()));
      }
    }
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
    Path spilled = null;
    if (request.hasBody()) {
      try (InputStream in = request.body()) {
        byte[] head = in.readNBytes(IN_MEMORY_BODY_BYTES);
        if (head.length < IN_MEMORY_BODY_BYTES) {
          body = HttpRequest.BodyPublishers.ofByteArray(head);
        } else {
          // a release asset (a layer.zip of up to 250 MiB): from a file, with its Content-Length, not the heap
          spilled = Files.createTempFile("layerslim-upload-", ".bin");
          try (OutputStream out = Files.newOutputStream(spilled)) {
            out.write(head);
            in.transferTo(out);
          }
          body = HttpRequest.BodyPublishers.ofFile(spilled);
        }
      } catch (IOException e) {
        deleteQuietly(spilled);
        throw e;
      }
    }
    String method = request.method();
    b.method(method, body);
    HttpResponse<InputStream> response;
    try {
      response = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for GitHub");
    } catch (SocketException e) {
      if (!IDEMPOTENT.contains(method)) {
        throw new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
      }
      throw e;
    } finally {
      deleteQuietly(spilled);
    }
    int status = response.statusCode();
    if (REDIRECTS.contains(status)) {
      // hub4j follows these; one without a usable Location would throw an unchecked exception inside it
      String location = response.headers().firstValue("Location").orElse(null);
      try {
        if (location == null) {
          throw new IllegalArgumentException("no Location");
        }
        redirectTargets.add(target(request.url().toURI().resolve(location)));
      } catch (URISyntaxException | IllegalArgumentException e) {
        response.body().close();
        throw new BadAnswer("GitHub answered HTTP " + status + " to " + method + " " + request.url().getPath()
            + " with " + (location == null ? "no Location" : "a Location that is not a URL"), e);
      }
    }
    if (status / 100 == 2 && isDownload(response.headers().firstValue("Content-Type").orElse(""))) {
      // an artifact's zip: streamed to the caller, never held in memory whole
      return new Streamed(request, response);
    }
    try (InputStream in = response.body()) {
      byte[] bytes = in.readNBytes(MAX_BUFFERED_BYTES + 1);
      if (bytes.length > MAX_BUFFERED_BYTES) {
        throw new IOException("GitHub's answer to " + method + " " + request.url().getPath() + " is larger than "
            + MAX_BUFFERED_BYTES + " bytes");
      }
      return new Buffered(request, response, bytes);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        file.toFile().deleteOnExit();
      }
    }
  }

  /** An answer hub4j cannot take (a redirect without a usable Location); its message says what it was. */
  static final class BadAnswer extends IOException {
    private static final long serialVersionUID = 1L;

    BadAnswer(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A body that is a file, not an API answer: anything but JSON or text (a storage host may name no type). */
  private static boolean isDownload(String contentType) {
    String t = contentType.toLowerCase(java.util.Locale.ROOT);
    return !t.contains("json") && !t.startsWith("text/");
  }

  private static String target(URI uri) {
    URI u = uri.normalize();
    int port = u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    return String.valueOf(u.getScheme()).toLowerCase(java.util.Locale.ROOT) + "://"
        + String.valueOf(u.getHost()).toLowerCase(java.util.Locale.ROOT) + ":" + port + u.getRawPath();
  }

  /** A response whose body was read whole (GitHub's JSON answers are small). */
  private static final class Buffered extends GitHubConnectorResponse.ByteArrayResponse {
    private final byte[] body;

    Buffered(GitHubConnectorRequest request, HttpResponse<?> response, byte[] body) {
      super(request, response.statusCode(), response.headers().map());
      this.body = body;
    }

    @Override
    protected InputStream rawBodyStream() {
      return new ByteArrayInputStream(body);
    }
  }

  /** A download's body, read once by the caller as it arrives. */
  private static final class Streamed extends GitHubConnectorResponse {
    private final InputStream raw;
    private boolean taken;

    Streamed(GitHubConnectorRequest request, HttpResponse<InputStream> response) {
      super(request, response.statusCode(), response.headers().map());
      this.raw = response.body();
    }

    @Override
    public synchronized InputStream bodyStream() throws IOException {
      if (taken) {
        throw new IOException("the download's body was already read");
      }
      taken = true;
      return wrapStream(raw);
    }

    @Override
    public void close() throws IOException {
      raw.close();
    }
  }
}
