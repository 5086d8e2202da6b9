package com.benchsci.infra.ci;

import static com.benchsci.infra.ci.CircleCiConfigSchemaTest.REPO;
import static com.benchsci.infra.ci.CircleCiReviewCommentTest.runScript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.benchsci.deployer.emulator.MotoServer;
import com.benchsci.deployer.testing.MotoPool;
import com.benchsci.infra.ci.CircleCiReviewCommentTest.Result;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/**
 * .circleci/smoke-check.sh, the last step on master: it reads the stack's Url output with the AWS CLI (here from
 * a real moto server) and requires the greeting from that URL (here a loopback server), waiting out a host that
 * is still starting. The AWS CLI must be on PATH: the CI test job installs it; elsewhere the test skips loudly.
 */
@Tag("emulator")
class CircleCiSmokeCheckTest {

  private static final Path SCRIPT = REPO.resolve(".circleci/smoke-check.sh");
  private static final String GREETING = "<h1>Hello World from BenchSci!</h1>";

  private static MotoServer moto;
  private static CloudFormationClient cloudFormation;
  private HttpServer web;

  @BeforeAll
  static void startMoto() {
    assumeTrue(awsCliAvailable(), "SKIPPED LOUDLY: no `aws` CLI on PATH, so smoke-check.sh cannot be run here"
        + " (the CircleCI test job installs it and requires this test to run)");
    moto = MotoPool.shared().take();
    cloudFormation = CloudFormationClient.builder()
        .endpointOverride(moto.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .build();
  }

  @AfterAll
  static void stopMoto() {
    if (moto != null) {
      cloudFormation.close();
      MotoPool.shared().give(moto);
    }
  }

  @AfterEach
  void stopWeb() {
    if (web != null) {
      web.stop(0);
    }
  }

  @Test
  void passesWhenTheUrlAnswersTheGreetingAfterAStartingHostRefusedTwice() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    String url = serve(() -> calls.incrementAndGet() <= 2 ? 503 : 200, GREETING);
    stack("smoke-ok", url);

    Result result = smokeCheck("smoke-ok");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("OK: " + url + " answers the greeting");
    assertThat(calls).hasValue(3);
  }

  @Test
  void failsWhenThePageLacksTheGreeting() throws Exception {
    stack("smoke-wrong-page", serve(() -> 200, "<h1>Welcome to nginx!</h1>"));

    Result result = smokeCheck("smoke-wrong-page");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("answered without the greeting", "Welcome to nginx!");
  }

  @Test
  void failsWhenTheUrlNeverAnswers() throws Exception {
    stack("smoke-down", serve(() -> 503, "starting"));

    Result result = smokeCheck("smoke-down");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("did not answer successfully");
  }

  @Test
  void failsWhenTheStackHasNoUrlOutput() throws Exception {
    cloudFormation.createStack(b -> b.stackName("smoke-no-url").templateBody(template("")));

    Result result = smokeCheck("smoke-no-url");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("stack smoke-no-url has no Url output");
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static boolean awsCliAvailable() {
    try {
      Process probe = new ProcessBuilder("aws", "--version").redirectErrorStream(true).start();
      probe.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String template(String outputs) {
    return "Resources:\n  Marker:\n    Type: AWS::SNS::Topic\n" + outputs;
  }

  private static void stack(String name, String url) {
    cloudFormation.createStack(b -> b.stackName(name)
        .templateBody(template("Outputs:\n  Url:\n    Value: '" + url + "'\n")));
  }

  private String serve(java.util.function.IntSupplier status, String page) throws IOException {
    web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    web.createContext("/", exchange -> {
      byte[] body = page.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(status.getAsInt(), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    web.start();
    return "http://127.0.0.1:" + web.getAddress().getPort() + "/";
  }

  private static Result smokeCheck(String stack) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(
        "AWS_ENDPOINT_URL", moto.endpoint().toString(),
        "AWS_ACCESS_KEY_ID", "testing",
        "AWS_SECRET_ACCESS_KEY", "testing",
        "AWS_DEFAULT_REGION", "us-east-1",
        "AWS_REGION", "us-east-1",
        "AWS_CONFIG_FILE", "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE", "/dev/null",
        "SMOKE_RETRIES", "2",
        "SMOKE_RETRY_DELAY", "1"));
    env.put("AWS_SESSION_TOKEN", null);
    env.put("AWS_PROFILE", null);
    return runScript(SCRIPT, env, stack);
  }
}
