package com.benchsci.deployer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The app jar in the artifact bucket under a key made of its SHA-256: the same build is uploaded once, and a new
 * build changes the stack's ArtifactKey parameter, which is what rolls it out.
 */
final class ArtifactStore {

  private ArtifactStore() {}

  static String keyFor(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new DeployException("app jar not found: " + jar + " (build it with ./mvnw package)");
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(Files.newInputStream(jar), sha)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      return "vertx-app/" + HexFormat.of().formatHex(sha.digest()) + ".jar";
    } catch (IOException e) {
      throw new DeployException("cannot read app jar " + jar + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Uploads {@code jar} to {@code bucket/key} unless that object is already there; says which. */
  static boolean upload(S3Client s3, String bucket, String key, Path jar) {
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
    s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/java-archive"), RequestBody.fromFile(jar));
    return true;
  }
}
