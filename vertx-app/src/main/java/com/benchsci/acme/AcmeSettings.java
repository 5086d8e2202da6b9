package com.benchsci.acme;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ACME client's settings, from environment variables (/etc/hello/hello.env on the host, shared with the app).
 *
 * @param directory ACME_DIRECTORY: the CA's directory URL (https); unset or empty, self-signed certificates only
 * @param email ACME_EMAIL: the account's contact, optional
 * @param certFile TLS_CERT_FILE: the certificate chain the app serves, written here
 * @param keyFile TLS_KEY_FILE: its key, written here
 * @param challengeDir ACME_CHALLENGE_DIR: the answers to http-01 challenges, one file per token, which the app serves
 * @param stateDir ACME_STATE_DIR: the account key and what one run leaves the next, this user's only
 * @param address ACME_IP: the address to certify; unset, the instance's public IPv4 address from IMDS
 * @param imds AWS_EC2_METADATA_SERVICE_ENDPOINT (the AWS SDKs' name for it): IMDS, default http://169.254.169.254
 */
record AcmeSettings(Optional<URI> directory, Optional<String> email, Path certFile, Path keyFile, Path challengeDir,
    Path stateDir, Optional<InetAddress> address, URI imds) {

  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

  static AcmeSettings fromEnv(Map<String, String> env) {
    Optional<URI> directory = value(env, "ACME_DIRECTORY").map(AcmeSettings::directory);
    Optional<String> email = value(env, "ACME_EMAIL");
    if (email.isPresent() && !EMAIL.matcher(email.get()).matches()) {
      throw new SettingsException("ACME_EMAIL must be an e-mail address, got '" + email.get() + "'");
    }
    return new AcmeSettings(directory, email, path(env, "TLS_CERT_FILE"), path(env, "TLS_KEY_FILE"),
        path(env, "ACME_CHALLENGE_DIR"), path(env, "ACME_STATE_DIR"),
        value(env, "ACME_IP").map(AcmeSettings::ipLiteral),
        URI.create(value(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT").orElse("http://169.254.169.254")));
  }

  private static URI directory(String text) {
    try {
      URI uri = new URI(text);
      if ("https".equals(uri.getScheme()) && uri.getHost() != null) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw new SettingsException("ACME_DIRECTORY must be the https URL of an ACME directory, or empty, got '" + text
        + "'");
  }

  /** An address written out, never a name: no DNS lookup decides what the host certifies. */
  private static InetAddress ipLiteral(String text) {
    try {
      if (IP_LITERAL.matcher(text).matches()) {
        return InetAddress.getByName(text);
      }
    } catch (UnknownHostException e) {
      // reported below
    }
    throw new SettingsException("ACME_IP must be an IPv4 or IPv6 address, got '" + text + "'");
  }

  private static Path path(Map<String, String> env, String name) {
    return Path.of(value(env, name).orElseThrow(() -> new SettingsException(name + " is not set")));
  }

  /** An empty value counts as unset, as systemd's {@code Environment=NAME=} means. */
  private static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  /** A setting the client cannot run with; its message is the one line the operator sees. */
  static final class SettingsException extends RuntimeException {
    SettingsException(String message) {
      super(message, null, false, false);
    }
  }
}
