package com.benchsci.deployer.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeploySettingsTest {

  private static final Sources SOURCES = new Sources(Path.of("cloudformation"), Path.of("guard-rules"),
      Path.of("vertx-app/target/vertx-app.jar"));
  private static final RunId RUN = new RunId("hello-host-c9e971a-20260304-120506-0a1b2c3d", "");

  @Test
  void aProdDeployHasEverySafeguardALocalOneNone() {
    assertThat(DeploySettings.builder(SOURCES, new Destination(Environment.prod, null, null), RUN).build()
        .safeguards()).isEqualTo(EnumSet.allOf(Safeguard.class));
    assertThat(DeploySettings.builder(SOURCES, Destination.local(null), RUN).build().safeguards()).isEmpty();
  }

  @Test
  void defaultsAreADeployOfAnythingKeepingTheImageWithTheReviewInTarget() {
    DeploySettings settings = DeploySettings.builder(SOURCES, Destination.local(URI.create("http://127.0.0.1:5000")),
        RUN).build();
    assertThat(settings.mode()).isEqualTo(Mode.DEPLOY);
    assertThat(settings.reviewed().isAny()).isTrue();
    assertThat(settings.image()).isEqualTo(ImageChoice.KEEP);
    assertThat(settings.waitLimit()).isEqualTo(Duration.ofMinutes(30));
    assertThat(settings.reviewFile()).isEqualTo(Path.of("cloudformation/target/review.md"));
    assertThat(settings.digestsFile()).isEqualTo(Path.of("cloudformation/target/review-digests.txt"));
    assertThat(settings.destination().emulatorRegion()).isEqualTo("us-east-1");
  }

  @Test
  void everyChoiceIsNamed() {
    DeploySettings settings = DeploySettings.builder(SOURCES, Destination.local(null), RUN)
        .mode(Mode.REVIEW).image(ImageChoice.REFRESH).safeguards(Set.of(Safeguard.TERMINATION_PROTECTION))
        .waitLimit(Duration.ofMinutes(2)).reviewFile(Path.of("out/review.md")).build();
    assertThat(settings.mode().executes()).isFalse();
    assertThat(settings.has(Safeguard.TERMINATION_PROTECTION)).isTrue();
    assertThat(settings.has(Safeguard.GREETING_CHECK)).isFalse();
    assertThat(settings.digestsFile()).isEqualTo(Path.of("out/review-digests.txt"));
  }

  @Test
  void theOnePlaceThatKnowsTheStacksNamesTheirFiles() {
    Path templates = Path.of("cloudformation");
    assertThat(ProductStack.stackNames()).containsExactly("hello-host-bootstrap", "hello-host");
    assertThat(ProductStack.templates(templates)).containsExactly(templates.resolve("bootstrap.yaml"),
        templates.resolve("stack.yaml"));
    assertThat(ProductStack.APP.parameterFile(templates, Environment.prod))
        .isEqualTo(templates.resolve("stack-prod.json"));
  }
}
