package com.benchsci.hostharness;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for a GET without a body (AWS General Reference, "Create a signed AWS API request"), for the
 * cfn-init stand-in's S3 download: cfn-init signs its S3 requests with the credentials of the file's authentication
 * role, and S3 (also the emulator's) refuses an unsigned request for a private object. No dependency, so the stand-in
 * stays small inside the host.
 */
final class SigV4 {

  /** Stand-in credentials for the instance role, which does not exist here; the emulator accepts any. */
  static final String ACCESS_KEY = "testing";
  static final String SECRET_KEY = "testing";

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private SigV4() {}

  /** The headers that sign a GET of {@code uri} (its path already encoded) for {@code service} in {@code region}. */
  static Map<String, String> get(URI uri, String region, String service, ZonedDateTime now) {
    String stamp = STAMP.format(now.withZoneSameInstant(ZoneOffset.UTC));
    String day = stamp.substring(0, 8);
    String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    String signedHeaders = "host;x-amz-content-sha256;x-amz-date";
    String canonical = "GET\n" + uri.getRawPath() + "\n" + (uri.getRawQuery() == null ? "" : uri.getRawQuery()) + "\n"
        + "host:" + host + "\nx-amz-content-sha256:" + EMPTY_SHA256 + "\nx-amz-date:" + stamp + "\n\n"
        + signedHeaders + "\n" + EMPTY_SHA256;
    String scope = day + "/" + region + "/" + service + "/aws4_request";
    String toSign = "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n" + hex(sha256(canonical));
    byte[] key = hmac(("AWS4" + SECRET_KEY).getBytes(StandardCharsets.UTF_8), day);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String signature = hex(hmac(key, toSign));
    return Map.of(
        "x-amz-date", stamp,
        "x-amz-content-sha256", EMPTY_SHA256,
        "Authorization", "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/" + scope + ", SignedHeaders="
            + signedHeaders + ", Signature=" + signature);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
