package com.benchsci.deployer.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.deploy.Review;
import com.benchsci.deployer.stack.ChangeTable;
import com.benchsci.deployer.stack.StackResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The review's Markdown, whole: CI scripts read it (the hidden digests line, the "Change set review of" check of
 * .circleci/reviewed-digests.sh works on the comment around it), so its format changes only on purpose.
 */
class ReviewMarkdownTest {

  private static final String BOOTSTRAP_DIGEST = "a".repeat(64);
  private static final String APP_DIGEST = "b".repeat(64);
  private static final ChangeTable SSH_RULE = new ChangeTable(List.of(new ChangeTable.Row("Modify",
      "WebSecurityGroup", "AWS::EC2::SecurityGroup", "False", "Properties.SecurityGroupIngress")));

  @Test
  void aReviewOfAnUnchangedBootstrapAndAChangedAppStack() {
    Review review = new Review("AWS us-east-1", "hello-host-c9e971a-20260304-120506-0a1b2c3d");
    review.add(new Review.Shown("hello-host-bootstrap", StackResult.noChanges(), "", List.of(),
        "Guard Hook rules (FirewallGuardHook RuleLocation): none (no hook) -> s3://b/k version 1"));
    review.add(new Review.Shown("hello-host", new StackResult(StackResult.Kind.REVIEWED, SSH_RULE, "", APP_DIGEST),
        "WebServer was terminated outside CloudFormation: it will be created again",
        List.of("Image Arm64ImageId = ami-0abc (kept: the image the stack runs today)"), ""));

    assertThat(ReviewMarkdown.render(review)).isEqualTo("""
        <!-- hello-host-digests: hello-host=%s -->
        ## CloudFormation change set review

        Target: AWS us-east-1. Change sets `hello-host-c9e971a-20260304-120506-0a1b2c3d` were created and rendered;\
         each one not executed was deleted.

        ### Stack `hello-host-bootstrap`

        No changes.

        Guard Hook rules (FirewallGuardHook RuleLocation): none (no hook) -> s3://b/k version 1

        ### Stack `hello-host`

        **WebServer was terminated outside CloudFormation: it will be created again.**

        - Image Arm64ImageId = ami-0abc (kept: the image the stack runs today)

        Digest: `%s`

        1 change(s):

        | Action | Logical id | Type | Replacement | Details |
        | --- | --- | --- | --- | --- |
        | Modify | WebSecurityGroup | AWS::EC2::SecurityGroup | False | Properties.SecurityGroupIngress |
        """.formatted(APP_DIGEST, APP_DIGEST));
    assertThat(ReviewMarkdown.digests(review)).isEqualTo("hello-host=" + APP_DIGEST);
  }

  @Test
  void aStoppedDeployAndAStackThatCouldNotBeReviewed() {
    Review review = new Review("emulator at http://127.0.0.1:5000 (us-east-1)", "run");
    review.add(Review.Shown.of("hello-host-bootstrap",
        new StackResult(StackResult.Kind.UNREVIEWED, SSH_RULE, "", BOOTSTRAP_DIGEST)));
    review.add(new Review.NotShown("hello-host", "Not reviewed: it needs the artifact bucket of"
        + " hello-host-bootstrap, which does not exist yet."));

    assertThat(review.unreviewed()).isTrue();
    assertThat(ReviewMarkdown.render(review)).startsWith("<!-- hello-host-digests: hello-host-bootstrap="
        + BOOTSTRAP_DIGEST + " -->\n").contains("""
        ### Stack `hello-host-bootstrap`

        Digest: `%s`

        **Not executed**: not the reviewed change set. 1 change(s):

        | Action |""".formatted(BOOTSTRAP_DIGEST)).endsWith("""
        ### Stack `hello-host`

        Not reviewed: it needs the artifact bucket of hello-host-bootstrap, which does not exist yet.
        """);
  }
}
