package com.benchsci.deployer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The digest gate: a change set executes only when its digest is the one reviewed for its stack. */
class ReviewedDigestsTest {

  private static final String A = "0123456789abcdef".repeat(4);
  private static final String B = "fedcba9876543210".repeat(4);

  @Test
  void anyApprovesEveryChangeSet() {
    assertThat(ReviewedDigests.parse("any").approve("hello-host", A)).isTrue();
    assertThat(ReviewedDigests.parse("any").isAny()).isTrue();
  }

  @Test
  void onlyTheReviewedDigestOfThatStackIsApproved() {
    ReviewedDigests reviewed = ReviewedDigests.parse("hello-host-bootstrap=" + A + ",hello-host=" + B);
    assertThat(reviewed.approve("hello-host", B)).isTrue();
    assertThat(reviewed.approve("hello-host", A)).as("another stack's digest").isFalse();
    assertThat(reviewed.approve("other-stack", A)).as("a stack that was not reviewed").isFalse();
    assertThat(reviewed.reviewed("hello-host")).contains(B);
    assertThat(reviewed.reviewed("other-stack")).isEmpty();
  }

  @Test
  void anEmptyReviewApprovesNothing() {
    ReviewedDigests nothing = ReviewedDigests.parse("");
    assertThat(nothing.isAny()).isFalse();
    assertThat(nothing.approve("hello-host", A)).isFalse();
  }

  @Test
  void theTextFormIsWhatParseReads() {
    Map<String, String> digests = new LinkedHashMap<>();
    digests.put("hello-host-bootstrap", A);
    digests.put("hello-host", B);
    String text = ReviewedDigests.format(digests);
    assertThat(text).isEqualTo("hello-host-bootstrap=" + A + ",hello-host=" + B);
    assertThat(ReviewedDigests.parse(text + "\n").asMap()).isEqualTo(digests);
  }

  @Test
  void anythingElseIsOneLineNamingTheBadPair() {
    assertThatThrownBy(() -> ReviewedDigests.parse("hello-host=abc")).isInstanceOf(DeployException.class)
        .hasMessage("--reviewed-digests: 'hello-host=abc' is not STACK=<64 hex digits> (the content of"
            + " review-digests.txt)");
  }
}
