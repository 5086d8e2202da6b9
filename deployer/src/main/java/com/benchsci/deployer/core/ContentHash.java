package com.benchsci.deployer.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hex digests of content: the content addresses in the artifact bucket, review digests, S3 ETags. */
public final class ContentHash {

  private ContentHash() {}

  public static String sha256(byte[] bytes) {
    return hex("SHA-256", bytes);
  }

  /** The MD5 that S3 reports as the ETag of a single-part upload to an SSE-S3 bucket. */
  public static String md5(byte[] bytes) {
    return hex("MD5", bytes);
  }

  /** A file's SHA-256 without holding it in memory. */
  public static String sha256(InputStream content) throws IOException {
    MessageDigest sha = digest("SHA-256");
    try (InputStream in = new DigestInputStream(content, sha)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static String hex(String algorithm, byte[] bytes) {
    return HexFormat.of().formatHex(digest(algorithm).digest(bytes));
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has " + algorithm, e);
    }
  }
}
