package com.benchsci.hostharness.standin;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where the stand-ins reach the AWS APIs: the harness's counterpart of aws-cfn-bootstrap's region-to-endpoint table
 * (https://cloudformation.{region}.amazonaws.com, which cannot be reached here). The harness writes it into the host
 * ({@link StandIns}); keys {@code cloudformation.<region>} and {@code s3}.
 */
final class Endpoints {

  static final String FILE = "/opt/aws/standin/endpoints.properties";

  private final Properties values;

  private Endpoints(Properties values) {
    this.values = values;
  }

  static Endpoints read() {
    Path file = HostPaths.of(FILE);
    Properties values = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      values.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the stand-ins' endpoints " + file, e);
    }
    return new Endpoints(values);
  }

  /** The CloudFormation API of {@code region}: the harness's DescribeStackResource stand-in. */
  URI cloudFormation(String region) {
    return uri("cloudformation." + region, "CloudFormation in " + region);
  }

  /** The S3 API: the emulator's. */
  URI s3() {
    return uri("s3", "S3");
  }

  private URI uri(String key, String what) {
    String value = values.getProperty(key);
    if (value == null) {
      throw new IllegalStateException("no endpoint for " + what + " (" + key + ") in " + HostPaths.of(FILE));
    }
    return URI.create(value);
  }
}
