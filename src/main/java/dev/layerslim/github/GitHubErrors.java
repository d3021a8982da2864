package dev.layerslim.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;
import org.kohsuke.github.HttpException;

/**
 * Says in words what went wrong on the wire. hub4j reports a refused connection as "HTTP -1" and a
 * body it could not parse as the response's status ("HTTP 200"), which reads like a GitHub answer.
 */
final class GitHubErrors {
  private GitHubErrors() {}

  /** What happened, as a phrase, or null when {@code e} is an ordinary HTTP error status. */
  static String describe(IOException e) {
    Throwable bad = find(e, GitHubHttp.BadAnswer.class);
    if (bad != null) {
      return bad.getMessage();
    }
    Throwable connectTimeout = find(e, HttpConnectTimeoutException.class);
    if (connectTimeout != null) {
      return "GitHub did not accept the connection in time (connect timeout)";
    }
    if (find(e, HttpTimeoutException.class) != null || find(e, SocketTimeoutException.class) != null) {
      return "GitHub did not answer in time (read timeout)";
    }
    Throwable host = find(e, UnknownHostException.class);
    if (host != null) {
      return "the GitHub API host " + host.getMessage() + " is unknown (check GITHUB_API_URL and the network)";
    }
    if (find(e, ConnectException.class) != null || find(e, NoRouteToHostException.class) != null) {
      return "could not connect to the GitHub API (connection refused or no route; check GITHUB_API_URL)";
    }
    if (find(e, SSLException.class) != null) {
      return "the TLS handshake with the GitHub API failed (" + firstLine(String.valueOf(
          find(e, SSLException.class).getMessage())) + ")";
    }
    if (find(e, JsonProcessingException.class) != null) {
      int code = e instanceof HttpException h ? h.getResponseCode() : -1;
      return "the GitHub API answered" + (code > 0 ? " HTTP " + code : "")
          + " with a body that is not the JSON it should be (a proxy or a broken server in between?)";
    }
    if (e instanceof HttpException h && h.getResponseCode() < 0) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return "the connection to the GitHub API failed (" + cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + firstLine(cause.getMessage())) + ")";
    }
    return null;
  }

  /** Whether {@code e} is a timeout of any kind. */
  static boolean isTimeout(Throwable e) {
    return find(e, HttpTimeoutException.class) != null || find(e, SocketTimeoutException.class) != null;
  }

  private static Throwable find(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
    }
    return null;
  }

  static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
