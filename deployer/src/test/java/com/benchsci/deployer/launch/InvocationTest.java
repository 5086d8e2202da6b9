package com.benchsci.deployer.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.core.Destination;
import com.benchsci.deployer.core.Environment;
import com.benchsci.deployer.core.Mode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an entry point reads from its process, given as the environment a user or CI would set. */
class InvocationTest {

  private static final Path HOME = Path.of("/home/user");

  @TempDir
  Path notARepository;

  @Test
  void anEndpointGivenWinsOverAwsEndpointUrlWhichWinsOverTheLocalMoto() {
    Invocation withEnv = new Invocation(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000", "AWS_REGION",
        "eu-west-1"), HOME, notARepository);
    URI given = URI.create("http://127.0.0.1:6000");
    assertThat(withEnv.destination(Environment.local, given))
        .isEqualTo(new Destination(Environment.local, given, "eu-west-1"));
    assertThat(withEnv.destination(Environment.local, null).endpoint()).isEqualTo(URI.create("http://127.0.0.1:5000"));
    Invocation bare = new Invocation(Map.of(), HOME, notARepository);
    assertThat(bare.destination(Environment.local, null))
        .isEqualTo(new Destination(Environment.local, null, "us-east-1"));
  }

  @Test
  void prodIsAwsWhateverEndpointIsAround() {
    Invocation invocation = new Invocation(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"), HOME, notARepository);
    assertThat(invocation.destination(Environment.prod, URI.create("http://127.0.0.1:6000")).endpoint()).isNull();
  }

  @Test
  void theToolCacheIsHelloHostCacheElseXdgElseHome() {
    assertThat(new Invocation(Map.of("HELLO_HOST_CACHE", "/cache/x", "XDG_CACHE_HOME", "/xdg"), HOME,
        notARepository).toolCache()).isEqualTo(Path.of("/cache/x"));
    assertThat(new Invocation(Map.of("XDG_CACHE_HOME", "/xdg"), HOME, notARepository).toolCache())
        .isEqualTo(Path.of("/xdg/hello-host"));
    assertThat(new Invocation(Map.of(), HOME, notARepository).toolCache())
        .isEqualTo(Path.of("/home/user/.cache/hello-host"));
  }

  @Test
  void theRunCarriesTheCiCommitAndBuildElseGitsHeadElseNoCommit() {
    Invocation ci = new Invocation(Map.of("CIRCLE_SHA1", "c9e971a0123456789", "CIRCLE_BUILD_URL",
        "https://circleci.com/gh/example/7"), HOME, notARepository);
    assertThat(ci.newRun(Mode.DEPLOY).name()).startsWith("hello-host-c9e971a01234-");
    assertThat(ci.newRun(Mode.DEPLOY).buildUrl()).isEqualTo("https://circleci.com/gh/example/7");
    assertThat(new Invocation(Map.of(), HOME, notARepository).newRun(Mode.DEPLOY).name()).startsWith("hello-host-nocommit-");
    Path repository = Path.of(System.getProperty("repo.root"));
    if (Files.exists(repository.resolve(".git"))) {
      assertThat(new Invocation(Map.of(), HOME, repository).newRun(Mode.DEPLOY).name()).as("git's HEAD in a checkout")
          .matches("hello-host-[0-9a-f]{7,12}-\\d{8}-\\d{6}-[0-9a-f]{8}");
    }
  }
}
