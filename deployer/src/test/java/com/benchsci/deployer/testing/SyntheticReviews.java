package com.benchsci.deployer.testing;

import com.benchsci.deployer.deploy.Review;
import com.benchsci.deployer.impact.HandMade;
import com.benchsci.deployer.impact.Impact;
import com.benchsci.deployer.impact.Interruption;
import com.benchsci.deployer.impact.MonthlyCost;
import com.benchsci.deployer.stack.Assessment;
import com.benchsci.deployer.stack.ChangeTable;
import com.benchsci.deployer.stack.StackResult;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Reviews far bigger than any real change of these templates, for the limits of what shows them: a pull-request
 * comment must fit GitHub's limit whatever the change. Made of the review's own types, as a run makes them.
 */
public final class SyntheticReviews {

  private SyntheticReviews() {}

  /**
   * A review of both stacks: the bootstrap stack with one instance type change (digest {@code bootstrapDigest}),
   * the app stack adding {@code resources} subnets with {@code handMade} rules added by hand, kept (digest
   * {@code appDigest}).
   */
  public static Review huge(int resources, int handMade, String bootstrapDigest, String appDigest) {
    MonthlyCost nano = new MonthlyCost(new BigDecimal("3.066"), "t4g.nano 730 h x $0.0042", List.of());
    MonthlyCost small = new MonthlyCost(new BigDecimal("12.264"), "t4g.small 730 h x $0.0168", List.of());
    String reason = "InstanceType t4g.nano -> t4g.small: some interruption (documented), the host stops and starts";
    Impact.Row instanceType = new Impact.Row("WebServer", "AWS::EC2::Instance", "Modify", Impact.Replaced.FALSE,
        reason, Interruption.SOME, reason, nano, small, true, List.of(), List.of("InstanceType"));
    Impact.Summary minutes = new Impact.Summary(Impact.Reachability.MINUTES, "WebServer: " + reason,
        "Elastic IP kept", nano, small, List.of("data transfer out to the internet"));
    List<Impact.Row> rows = new ArrayList<>();
    for (int i = 0; i < resources; i++) {
      rows.add(new Impact.Row("Subnet" + i, "AWS::EC2::Subnet", "Add", Impact.Replaced.NOT_APPLICABLE, "added",
          Interruption.NONE, "new: a subnet with a long and detailed reason ".repeat(3), MonthlyCost.NONE,
          MonthlyCost.NONE, true, List.of(), List.of()));
    }
    List<HandMade.Judged> rules = new ArrayList<>();
    for (int i = 0; i < handMade; i++) {
      rules.add(new HandMade.Judged(new HandMade("WebSecurityGroup", "AWS::EC2::SecurityGroup",
          "SecurityGroupIngress", true, "ingress tcp " + (1000 + i) + " from 0.0.0.0/0 added by hand [sgr-" + i + "]"),
          HandMade.Verdict.KEPT, "the change set does not change WebSecurityGroup's SecurityGroupIngress"));
    }
    ChangeTable listed = new ChangeTable(List.of(new ChangeTable.Row("Modify", "WebServer", "AWS::EC2::Instance",
        "False", "Properties.InstanceType: t4g.nano -> t4g.small")));
    Review review = new Review("AWS us-east-1", "hello-host-review-abc1234-20261203-120000-0a1b2c3d");
    review.add(Review.Shown.of("hello-host-bootstrap", new StackResult(StackResult.Kind.REVIEWED, listed, "",
        bootstrapDigest, new Assessment(new Impact(List.of(instanceType), minutes), List.of(), List.of()))));
    review.add(Review.Shown.of("hello-host", new StackResult(StackResult.Kind.REVIEWED, ChangeTable.EMPTY, "",
        appDigest, new Assessment(new Impact(rows, minutes), rules, List.of()))));
    return review;
  }
}
