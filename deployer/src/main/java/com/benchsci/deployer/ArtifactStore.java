package com.benchsci.deployer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The artifact bucket, where everything is stored under a key made of its SHA-256: the app jar (the same build is
 * uploaded once, and a new build changes the stack's ArtifactKey parameter, which is what rolls it out) and a
 * template too big to send inline (deployed by TemplateURL, as {@code aws cloudformation deploy --s3-bucket} does).
 */
final class ArtifactStore {

  /** An upload may take longer than an API call (AwsTarget's 25 s), on a slow link. */
  private static final Duration UPLOAD_LIMIT = Duration.ofMinutes(5);

  private ArtifactStore() {}

  static String keyFor(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new DeployException("app jar not found: " + jar + " (build it with ./mvnw package)");
    }
    try (InputStream in = Files.newInputStream(jar)) {
      return "vertx-app/" + sha256(in) + ".jar";
    } catch (IOException e) {
      throw new DeployException("cannot read app jar " + jar + ": " + e.getMessage(), e);
    }
  }

  /** Uploads {@code jar} to {@code bucket/key} unless that object is already there; says which. */
  static boolean upload(S3Client s3, String bucket, String key, Path jar) {
    return putIfAbsent(s3, bucket, key, "application/java-archive", RequestBody.fromFile(jar));
  }

  /** Uploads {@code template} under templates/ and returns its TemplateURL. */
  static String uploadTemplate(S3Client s3, String bucket, Template template, PrintWriter out) {
    byte[] body = template.body().getBytes(StandardCharsets.UTF_8);
    String key;
    try {
      key = "templates/" + sha256(new ByteArrayInputStream(body)) + ".yaml";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    boolean uploaded = putIfAbsent(s3, bucket, key, "text/yaml", RequestBody.fromBytes(body));
    out.printf("%s is %d bytes, over the %d-byte limit for an inline template: %s s3://%s/%s%n", template.file(),
        body.length, Template.INLINE_LIMIT, uploaded ? "uploaded to" : "already in", bucket, key);
    // The path-style regional URL, as the AWS CLI builds it; an emulator such as moto reads it from its own S3.
    return "https://s3." + s3.serviceClientConfiguration().region().id() + ".amazonaws.com/" + bucket + "/" + key;
  }

  private static boolean putIfAbsent(S3Client s3, String bucket, String key, String contentType, RequestBody body) {
    try {
      s3.headObject(r -> r.bucket(bucket).key(key));
      return false;
    } catch (NoSuchKeyException e) {
      // Not there yet: upload below.
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
    }
    s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType)
        .overrideConfiguration(o -> o.apiCallTimeout(UPLOAD_LIMIT).apiCallAttemptTimeout(UPLOAD_LIMIT)), body);
    return true;
  }

  private static String sha256(InputStream content) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(content, sha)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
