package com.benchsci.deployer.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.deploy.Review;
import com.benchsci.deployer.impact.HandMade;
import com.benchsci.deployer.impact.Impact;
import com.benchsci.deployer.impact.Impact.Reachability;
import com.benchsci.deployer.impact.Impact.Replaced;
import com.benchsci.deployer.impact.Interruption;
import com.benchsci.deployer.impact.MonthlyCost;
import com.benchsci.deployer.stack.Assessment;
import com.benchsci.deployer.stack.ChangeTable;
import com.benchsci.deployer.stack.StackResult;
import com.benchsci.deployer.testing.SyntheticReviews;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The review's Markdown: CI scripts read it (the hidden digests line, the "Change set review of" check of
 * .circleci/reviewed-digests.sh works on the comment around it), so its format changes only on purpose; and the
 * pull request's comment made of it fits GitHub's limit whatever the change.
 */
class ReviewMarkdownTest {

  private static final String BOOTSTRAP_DIGEST = "a".repeat(64);
  private static final String APP_DIGEST = "b".repeat(64);
  private static final String INSTANCE_TYPE_REASON = "InstanceType t4g.nano -> t4g.small: some interruption"
      + " (documented), the host stops and starts, about a minute or two (the app starts at boot)";
  private static final ChangeTable INSTANCE_TYPE = new ChangeTable(List.of(new ChangeTable.Row("Modify",
      "WebServer", "AWS::EC2::Instance", "False", "Properties.InstanceType: t4g.nano -> t4g.small")));
  private static final MonthlyCost NANO = new MonthlyCost(new BigDecimal("3.066"), "t4g.nano 730 h x $0.0042",
      List.of());
  private static final MonthlyCost SMALL = new MonthlyCost(new BigDecimal("12.264"), "t4g.small 730 h x $0.0168",
      List.of());

  @Test
  void aReviewOfAnUnchangedBootstrapAndAnInstanceTypeChangeKeepingARuleAddedByHand() {
    Review review = new Review("AWS us-east-1", "hello-host-c9e971a-20260304-120506-0a1b2c3d");
    review.add(new Review.Shown("hello-host-bootstrap", StackResult.noChanges(assessment(List.of(), List.of(),
        List.of("CloudFormation's drift detection did not finish: timed out; only the firewall was compared."))),
        "", List.of(), "Guard Hook rules (FirewallGuardHook RuleLocation): none (no hook) -> s3://b/k version 1"));
    review.add(new Review.Shown("hello-host", new StackResult(StackResult.Kind.REVIEWED, INSTANCE_TYPE, "",
        APP_DIGEST, assessment(List.of(instanceType()), List.of(ruleAddedByHand()), List.of())),
        "", List.of("Image Arm64ImageId = ami-0abc (kept: the image the stack runs today)"), ""));

    String markdown = ReviewMarkdown.render(review);
    assertThat(markdown).isEqualTo("""
        <!-- hello-host-digests: hello-host=%s -->
        **The site is unreachable for about a minute or two: WebServer: %s. Elastic IP kept.**
        Monthly cost: $3.07 -> $12.26 (+$9.20); not priced: data transfer out to the internet.
        Hand-made changes: 1 kept by this deploy.

        ## CloudFormation change set review

        Target: AWS us-east-1. Change sets `hello-host-c9e971a-20260304-120506-0a1b2c3d` were created and rendered;\
         each one not executed was deleted.

        ### Stack `hello-host-bootstrap`

        No changes.

        Not compared: CloudFormation's drift detection did not finish: timed out; only the firewall was compared.

        Guard Hook rules (FirewallGuardHook RuleLocation): none (no hook) -> s3://b/k version 1

        ### Stack `hello-host`

        - Image Arm64ImageId = ami-0abc (kept: the image the stack runs today)

        Digest: `%s`

        The site is unreachable for about a minute or two: WebServer: %s. Elastic IP kept.
        Monthly cost: $3.07 -> $12.26 (+$9.20); not priced: data transfer out to the internet.

        Hand-made changes (1):

        - **kept by this deploy**: `WebSecurityGroup`: ingress tcp 8080 from 0.0.0.0/0 added by hand [sgr-0a1]; the\
         change set does not change WebSecurityGroup's SecurityGroupIngress: an ordinary change set compares the\
         templates, not the live state (--revert-drift reverts it on AWS)

        1 change(s):

        | Action | Logical id | Type | Replacement | Interruption | Monthly cost | Why |
        | --- | --- | --- | --- | --- | --- | --- |
        | Modify | WebServer | AWS::EC2::Instance | False | Some interruptions | $3.07 -> $12.26 (+$9.20) | %s |

        <details><summary>CloudFormation's change set, how each cost was computed, the rules' sources</summary>

        CloudFormation's change set (1):

        | Action | Logical id | Type | Replacement | Details |
        | --- | --- | --- | --- | --- |
        | Modify | WebServer | AWS::EC2::Instance | False | Properties.InstanceType: t4g.nano -> t4g.small |

        Monthly cost, before -> after:

        - WebServer: $3.07 (t4g.nano 730 h x $0.0042) -> $12.26 (t4g.small 730 h x $0.0168)

        Update behaviours from:

        - <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-instance.html>

        </details>
        """.formatted(APP_DIGEST, INSTANCE_TYPE_REASON, APP_DIGEST, INSTANCE_TYPE_REASON, INSTANCE_TYPE_REASON));
    assertThat(ReviewMarkdown.digests(review)).isEqualTo("hello-host=" + APP_DIGEST);
    assertThat(ReviewMarkdown.comment(review)).as("a review that fits is its own comment").isEqualTo(markdown);
  }

  @Test
  void aStoppedDeployAndAStackThatCouldNotBeReviewed() {
    Review review = new Review("emulator at http://127.0.0.1:5000 (us-east-1)", "run");
    review.add(Review.Shown.of("hello-host-bootstrap", new StackResult(StackResult.Kind.UNREVIEWED, INSTANCE_TYPE, "",
        BOOTSTRAP_DIGEST, assessment(List.of(instanceType()), List.of(), List.of()))));
    review.add(new Review.NotShown("hello-host", "Not reviewed: it needs the artifact bucket of"
        + " hello-host-bootstrap, which does not exist yet."));

    assertThat(review.unreviewed()).isTrue();
    assertThat(ReviewMarkdown.render(review)).startsWith("<!-- hello-host-digests: hello-host-bootstrap="
        + BOOTSTRAP_DIGEST + " -->\n**The site is unreachable").contains("""
        ### Stack `hello-host-bootstrap`

        Digest: `%s`

        **Not executed**: not the reviewed change set.
        """.formatted(BOOTSTRAP_DIGEST)).endsWith("""
        ### Stack `hello-host`

        Not reviewed: it needs the artifact bucket of hello-host-bootstrap, which does not exist yet.
        """);
  }

  /**
   * A change to thousands of resources, with 150 rules added by hand: the whole review is far over GitHub's
   * 65,536-character limit for a comment; the comment keeps the digests (first, where reviewed-digests.sh reads
   * them), the outlook and every stack's heading, shows rows while they fit and says how many it left out.
   */
  @Test
  void theCommentOfAHugeChangeFitsGitHubsLimitAndKeepsTheDigestsAndTheSummary() {
    Review review = SyntheticReviews.huge(3000, 150, BOOTSTRAP_DIGEST, APP_DIGEST);

    String whole = ReviewMarkdown.render(review);
    String comment = ReviewMarkdown.comment(review);
    assertThat(whole.length()).as("the whole review").isGreaterThan(10 * 65_536);
    assertThat(comment.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ReviewMarkdown.COMMENT_BUDGET);
    assertThat(comment.lines().findFirst().orElseThrow()).isEqualTo("<!-- hello-host-digests: hello-host-bootstrap="
        + BOOTSTRAP_DIGEST + ",hello-host=" + APP_DIGEST + " -->");
    assertThat(comment).contains("**The site is unreachable for about a minute or two",
        "Hand-made changes: 150 kept by this deploy.", "### Stack `hello-host-bootstrap`", "### Stack `hello-host`",
        "Digest: `" + APP_DIGEST + "`", "3000 change(s):", "Hand-made changes (150):",
        "the whole review is the build artifact `review.md`");
    int shownRows = count(comment, "^\\| Add \\| Subnet\\d+ ");
    int shownRules = count(comment, "^- \\*\\*kept by this deploy\\*\\*");
    assertThat(shownRules).as("hand-made changes come before the rows").isEqualTo(150);
    assertThat(shownRows).isPositive().isLessThan(3000);
    assertThat(comment).contains("_... and " + (3000 - shownRows) + " more hello-host change(s): see the whole"
        + " review._");
    assertThat(count(whole, "^\\| Add \\| Subnet\\d+ ")).as("the whole review has every row").isEqualTo(3000);
  }

  private static int count(String text, String linePattern) {
    Matcher m = Pattern.compile(linePattern, Pattern.MULTILINE).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static Impact.Row instanceType() {
    return new Impact.Row("WebServer", "AWS::EC2::Instance", "Modify", Replaced.FALSE, INSTANCE_TYPE_REASON,
        Interruption.SOME, INSTANCE_TYPE_REASON, NANO, SMALL, true,
        List.of("https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-instance.html"),
        List.of("InstanceType"));
  }

  private static HandMade.Judged ruleAddedByHand() {
    return new HandMade.Judged(new HandMade("WebSecurityGroup", "AWS::EC2::SecurityGroup", "SecurityGroupIngress",
        true, "ingress tcp 8080 from 0.0.0.0/0 added by hand [sgr-0a1]"), HandMade.Verdict.KEPT, "the change set does"
        + " not change WebSecurityGroup's SecurityGroupIngress: an ordinary change set compares the templates, not"
        + " the live state (--revert-drift reverts it on AWS)");
  }

  /** The outlook of the instance type change when there is one (the cost is the instance's), else none. */
  private static Assessment assessment(List<Impact.Row> rows, List<HandMade.Judged> handMade, List<String> notes) {
    boolean changed = !rows.isEmpty();
    Impact.Summary summary = new Impact.Summary(changed ? Reachability.MINUTES : Reachability.UP,
        changed ? "WebServer: " + INSTANCE_TYPE_REASON : "", changed ? "Elastic IP kept" : "No Elastic IP",
        changed ? NANO : MonthlyCost.NONE, changed ? SMALL : MonthlyCost.NONE,
        List.of("data transfer out to the internet"));
    return new Assessment(new Impact(rows, summary), handMade, notes);
  }
}
