package dev.layerslim.pipeline;

import dev.layerslim.redact.PipSecrets;
import dev.layerslim.redact.Redactor;
import dev.layerslim.redact.UrlCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The credentials a build may meet, for its {@link Redactor}: those in the index URLs, extra index
 * URLs and find-links it passes pip, in pip's {@code PIP_*} environment and in the requirements
 * file's index lines (and the files it includes). pip prints index URLs into its log and its
 * errors, a user-only token in full; nothing layerslim writes (pip.log, the console, report files)
 * may hold one.
 */
public final class BuildSecrets {
  private BuildSecrets() {}

  /** A redactor for {@code o}'s secrets, with pip's environment {@code env}. */
  public static Redactor redactor(BuildOptions o, Map<String, String> env) {
    List<String> secrets = new ArrayList<>();
    List<String> urls = new ArrayList<>(o.install().extraIndexUrls());
    urls.addAll(o.install().findLinks());
    if (o.install().indexUrl() != null) {
      urls.add(o.install().indexUrl());
    }
    for (String u : urls) {
      secrets.addAll(UrlCredentials.secrets(u));
    }
    secrets.addAll(PipSecrets.inEnvironment(env));
    secrets.addAll(PipSecrets.inRequirements(o.install().requirements()));
    return new Redactor(secrets);
  }
}
