package com.benchsci.deployer.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.impact.HandMade;
import com.benchsci.deployer.impact.Impact;
import com.benchsci.deployer.impact.Interruption;
import com.benchsci.deployer.impact.MonthlyCost;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The digest a deploy compares with the reviewed one covers everything the review showed: the change set, and the
 * assessment of it (each resource's replacement, interruption and cost, each hand-made change with its verdict, what
 * was not compared, the first line). The same inputs give the same digest, whatever order they come in.
 */
class ChangeSetDigestTest {

  private static final String TEMPLATE = "Resources:\n  Host: {Type: AWS::EC2::Instance}\n";
  private static final ChangeTable CHANGES = new ChangeTable(List.of(new ChangeTable.Row("Modify", "WebServer",
      "AWS::EC2::Instance", "False", "Properties.InstanceType")));
  private static final HandMade RULE = new HandMade("WebSecurityGroup", "AWS::EC2::SecurityGroup",
      "SecurityGroupIngress", true, "ingress tcp 8080 from 0.0.0.0/0 added by hand [sgr-0a1]");

  @Test
  void theSameReviewGivesTheSameDigest() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("InstanceType", "t4g.small");
    parameters.put("Environment", "prod");
    Map<String, String> reordered = new LinkedHashMap<>();
    reordered.put("Environment", "prod");
    reordered.put("InstanceType", "t4g.small");
    String digest = digest(parameters, assessment("12.264", RULE, HandMade.Verdict.KEPT, "note"));
    assertThat(digest).matches("[0-9a-f]{64}")
        .isEqualTo(digest(parameters, assessment("12.264", RULE, HandMade.Verdict.KEPT, "note")))
        .isEqualTo(digest(reordered, assessment("12.264", RULE, HandMade.Verdict.KEPT, "note")));
  }

  @Test
  void theOrderThingsAreListedInIsNotPartOfTheChange() {
    Assessment one = assessment("12.264", RULE, HandMade.Verdict.KEPT, "note");
    HandMade.Judged other = new HandMade.Judged(new HandMade("WebServer", "AWS::EC2::Instance", "NetworkInterfaces",
        true, "security group sg-0d (debug) attached by hand to eni-0e"), HandMade.Verdict.KEPT, "why");
    List<HandMade.Judged> both = List.of(one.handMade().get(0), other);
    List<HandMade.Judged> swapped = List.of(other, one.handMade().get(0));
    assertThat(digest(new Assessment(one.impact(), both, one.notes())))
        .isEqualTo(digest(new Assessment(one.impact(), swapped, one.notes())));
  }

  @Test
  void aChangedHandMadeChangeOrItsVerdictChangesTheDigest() {
    String reviewed = digest(assessment("12.264", RULE, HandMade.Verdict.KEPT, "note"));
    HandMade anotherRule = new HandMade("WebSecurityGroup", "AWS::EC2::SecurityGroup", "SecurityGroupIngress", true,
        "ingress tcp 9090 from 0.0.0.0/0 added by hand [sgr-0b2]");
    assertThat(digest(assessment("12.264", anotherRule, HandMade.Verdict.KEPT, "note"))).isNotEqualTo(reviewed);
    assertThat(digest(assessment("12.264", RULE, HandMade.Verdict.REVERTED, "note"))).isNotEqualTo(reviewed);
    assertThat(digest(assessment("12.264", null, null, "note"))).as("the rule revoked since").isNotEqualTo(reviewed);
    assertThat(digest(assessment("12.264", RULE, HandMade.Verdict.KEPT, "other"))).isNotEqualTo(reviewed);
  }

  @Test
  void aChangedCostChangesTheDigest() {
    String reviewed = digest(assessment("12.264", RULE, HandMade.Verdict.KEPT, "note"));
    assertThat(digest(assessment("24.528", RULE, HandMade.Verdict.KEPT, "note"))).isNotEqualTo(reviewed);
  }

  private static String digest(Assessment assessment) {
    return digest(Map.of("InstanceType", "t4g.small"), assessment);
  }

  private static String digest(Map<String, String> parameters, Assessment assessment) {
    return ChangeSetDigest.of("hello-host", TEMPLATE, parameters, CHANGES, assessment);
  }

  /** An instance type change costing {@code after} a month, with one hand-made change (or none) and one note. */
  private static Assessment assessment(String after, HandMade handMade, HandMade.Verdict verdict, String note) {
    MonthlyCost before = new MonthlyCost(new BigDecimal("3.066"), "t4g.nano 730 h x $0.0042", List.of());
    MonthlyCost cost = new MonthlyCost(new BigDecimal(after), "730 h", List.of());
    Impact.Row row = new Impact.Row("WebServer", "AWS::EC2::Instance", "Modify", Impact.Replaced.FALSE,
        "InstanceType: some interruption", Interruption.SOME, "InstanceType: some interruption", before, cost, true,
        List.of(), List.of("InstanceType"));
    Impact.Summary summary = new Impact.Summary(Impact.Reachability.MINUTES, "WebServer stops and starts",
        "Elastic IP kept", before, cost, List.of("data transfer"));
    return new Assessment(new Impact(List.of(row), summary), handMade == null ? List.of()
        : List.of(new HandMade.Judged(handMade, verdict, "why")), List.of(note));
  }
}
