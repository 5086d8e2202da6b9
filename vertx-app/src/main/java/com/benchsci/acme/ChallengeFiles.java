package com.benchsci.acme;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The answers to the CA's http-01 challenges (RFC 8555 section 8.3), one file per token in ACME_CHALLENGE_DIR: every
 * rollout slot of the app serves that directory at {@code /.well-known/acme-challenge/<token>}, so whichever slot
 * the CA reaches on port 80 answers. A file lives until the CA has decided on its challenge.
 */
record ChallengeFiles(Path dir) {
  // What RFC 8555 allows in a token (base64url): a token that is not one names no file here.
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");

  void put(String token, String keyAuthorization) throws IOException {
    AtomicFile.write(file(token), keyAuthorization.getBytes(StandardCharsets.US_ASCII), AtomicFile.GROUP_READABLE);
  }

  void remove(String token) throws IOException {
    Files.deleteIfExists(file(token));
  }

  private Path file(String token) throws IOException {
    if (!TOKEN.matcher(token).matches()) {
      throw new IOException("the CA sent a challenge token that is not base64url: '" + token + "'");
    }
    return dir.resolve(token);
  }
}
