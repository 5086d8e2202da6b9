package com.benchsci.deployer.deploy;

import com.benchsci.deployer.core.ContentHash;
import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.template.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The artifact bucket, where everything is stored under a key made of its SHA-256: the app jar (the same build is
 * uploaded once, and a new build changes the stack's ArtifactKey parameter, which is what rolls it out) and a
 * template too big to send inline (deployed by TemplateURL, as {@code aws cloudformation deploy --s3-bucket} does).
 * The guard rules bundle goes there the same way, and its object's version id pins the Guard Hook to exactly those
 * bytes.
 */
public final class ArtifactStore {

  /** An upload may take longer than an API call (SdkClients' 25 s), on a slow link. */
  private static final Duration UPLOAD_LIMIT = Duration.ofMinutes(5);

  /** A version id of an object, and whether this run uploaded it. */
  record Version(String id, boolean uploaded) {}

  private ArtifactStore() {}

  /** The jar's content address in the artifact bucket, which the app stack takes as its ArtifactKey. */
  public static String keyFor(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new DeployException("app jar not found: " + jar + " (build it with ./mvnw package)");
    }
    try (InputStream in = Files.newInputStream(jar)) {
      return "vertx-app/" + ContentHash.sha256(in) + ".jar";
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
    String key = "templates/" + ContentHash.sha256(body) + ".yaml";
    boolean uploaded = putIfAbsent(s3, bucket, key, "text/yaml", RequestBody.fromBytes(body));
    out.printf("%s is %d bytes, over the %d-byte limit for an inline template: %s s3://%s/%s%n", template.file(),
        body.length, Template.INLINE_LIMIT, uploaded ? "uploaded to" : "already in", bucket, key);
    // The path-style regional URL, as the AWS CLI builds it; an emulator such as moto reads it from its own S3.
    return "https://s3." + s3.serviceClientConfiguration().region().id() + ".amazonaws.com/" + bucket + "/" + key;
  }

  private static boolean putIfAbsent(S3Client s3, String bucket, String key, String contentType, RequestBody body) {
    if (head(s3, bucket, key).isPresent()) {
      return false;
    }
    s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType)
        .overrideConfiguration(o -> o.apiCallTimeout(UPLOAD_LIMIT).apiCallAttemptTimeout(UPLOAD_LIMIT)), body);
    return true;
  }

  /**
   * The version of {@code bucket/key} that holds exactly {@code bytes}: the current one when it does, else a new
   * one uploaded now. The bucket must be versioned, or there would be no version to pin.
   */
  static Version publish(S3Client s3, String bucket, String key, byte[] bytes) {
    Optional<String> current = versionHolding(s3, bucket, key, bytes);
    if (current.isPresent()) {
      return new Version(current.get(), false);
    }
    String id = s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/zip"),
        RequestBody.fromBytes(bytes)).versionId();
    if (id == null || id.isEmpty() || id.equals("null")) {
      throw new DeployException("bucket " + bucket + " is not versioned: the Guard Hook's rules at " + key
          + " cannot be pinned to a version");
    }
    return new Version(id, true);
  }

  /**
   * The version id of the current object at {@code key} if it holds exactly {@code bytes}, compared by ETag, which
   * is the MD5 of the content for a single-part upload to an SSE-S3 bucket like the artifact bucket. A content
   * address overwritten with other bytes does not count.
   */
  static Optional<String> versionHolding(S3Client s3, String bucket, String key, byte[] bytes) {
    return head(s3, bucket, key)
        .filter(head -> head.eTag() != null && head.eTag().replace("\"", "").equals(ContentHash.md5(bytes)))
        .map(HeadObjectResponse::versionId);
  }

  private static Optional<HeadObjectResponse> head(S3Client s3, String bucket, String key) {
    try {
      return Optional.of(s3.headObject(r -> r.bucket(bucket).key(key)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
