package com.benchsci.deployer.impact;

import com.benchsci.deployer.impact.Impact.Replaced;
import com.benchsci.deployer.impact.Impact.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.cloudformation.model.AttributeChangeType;
import software.amazon.awssdk.services.cloudformation.model.BeforeValueFrom;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ResourceChange;
import software.amazon.awssdk.services.cloudformation.model.ResourceChangeDetail;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDriftStatus;

/**
 * A difference between a live resource and the template it was deployed from, made outside CloudFormation (a rule
 * added in the console, a group attached by hand, a property CloudFormation's drift detection found changed), read
 * before the change set was made. {@code property}: the top-level property it is a difference of, empty when the
 * whole resource is gone; {@code element}: it is one entry of a list property (one rule of SecurityGroupIngress),
 * not the property's whole value; {@code what}: the difference in words.
 *
 * <p>Whether a deploy keeps or reverts it ({@link #judge}) follows from what CloudFormation documents: an ordinary
 * change set compares the new template with the previous one, not with the live state, so it leaves alone what it
 * does not change ("A standard change set shows no changes since the template is unchanged", AWS's post on
 * drift-aware change sets, scenario 2); a property it does change is set to the new template's value, overwriting
 * the live one (same post, scenario 1); a replaced resource is built anew from the template; a drift-aware change
 * set ({@code DeploymentMode REVERT_DRIFT}) brings drifted resources in line with the template, and lists what it
 * does (Using drift-aware change sets, CloudFormation User Guide). Whether an in-place update of a list property
 * keeps entries neither template has is documented nowhere: that case says "may be reverted".
 */
public record HandMade(String logicalId, String type, String property, boolean element, String what) {

  public HandMade {
    Objects.requireNonNull(logicalId, "logicalId");
    Objects.requireNonNull(property, "property");
  }

  /** What the deploy does to a hand-made change, in the review's words. */
  public enum Verdict {
    KEPT("kept by this deploy"),
    REVERTED("reverted by this deploy"),
    MAY_BE_REVERTED("may be reverted by this deploy");

    private final String words;

    Verdict(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  /** A hand-made change with what the deploy does to it and why. */
  public record Judged(HandMade change, Verdict verdict, String why) {}

  /**
   * What the change set ({@code changes}, as DescribeChangeSet lists it, judged as {@code impact}) does to each
   * hand-made change; {@code driftAware}: the change set was made with {@code DeploymentMode REVERT_DRIFT}.
   */
  public static List<Judged> judge(List<HandMade> found, Impact impact, List<Change> changes, boolean driftAware) {
    List<Judged> judged = new ArrayList<>();
    for (HandMade h : found) {
      judged.add(h.judge(impact, changes, driftAware));
    }
    return List.copyOf(judged);
  }

  private Judged judge(Impact impact, List<Change> changes, boolean driftAware) {
    Row row = impact.rows().stream().filter(r -> r.logicalId().equals(logicalId)).findFirst().orElse(null);
    if (driftAware) {
      Judged listed = listedByDriftAwareChangeSet(changes);
      if (listed != null) {
        return listed;
      }
    }
    if (row != null) {
      if (row.action().equals("Remove")) {
        return new Judged(this, Verdict.REVERTED, logicalId + " leaves the stack");
      }
      if (row.replacement() == Replaced.TRUE) {
        return new Judged(this, Verdict.REVERTED, logicalId + " is replaced: the new one is built from the"
            + " template alone");
      }
      if (row.replacement() == Replaced.CONDITIONAL) {
        return new Judged(this, Verdict.MAY_BE_REVERTED, logicalId + " may be replaced, and then is built from the"
            + " template alone");
      }
      if (property.isEmpty()) {
        return new Judged(this, Verdict.MAY_BE_REVERTED, "the change set updates " + logicalId + ", which no longer"
            + " exists: CloudFormation's update of it may fail");
      }
      if (row.properties().contains(property)) {
        return element
            ? new Judged(this, Verdict.MAY_BE_REVERTED, "the change set sets " + subject() + " anew; whether"
                + " CloudFormation keeps entries that neither template has is not documented")
            : new Judged(this, Verdict.REVERTED, "the change set sets " + subject() + " to the new template's"
                + " value, overwriting the live one");
      }
    }
    return new Judged(this, Verdict.KEPT, driftAware
        ? "the drift-aware change set does not list it (CloudFormation may not detect drift on it)"
        : "the change set does not change " + subject() + ": an ordinary change set compares the templates, not"
            + " the live state (--revert-drift reverts it on AWS)");
  }

  /** "WebSecurityGroup's SecurityGroupIngress", or the resource when the difference is the whole of it. */
  private String subject() {
    return property.isEmpty() ? logicalId : logicalId + "'s " + property;
  }

  /**
   * What the drift-aware change set says of this difference, when it lists it: a deleted resource it makes again
   * (its change carries the drift status DELETED), or a detail of the property whose value before is the live one:
   * set back to the template, or, for {@code SyncWithActual}, the new template takes the live value. Null when it
   * does not list it.
   */
  private Judged listedByDriftAwareChangeSet(List<Change> changes) {
    for (Change c : changes) {
      ResourceChange rc = c.resourceChange();
      if (rc == null || !logicalId.equals(rc.logicalResourceId())) {
        continue;
      }
      if (property.isEmpty() && rc.resourceDriftStatus() == StackResourceDriftStatus.DELETED) {
        return new Judged(this, Verdict.REVERTED, "the drift-aware change set creates " + logicalId + " again");
      }
      for (ResourceChangeDetail d : rc.hasDetails() ? rc.details() : List.<ResourceChangeDetail>of()) {
        if (d.target() == null || !property.equals(d.target().name())
            || (d.target().beforeValueFrom() != BeforeValueFrom.ACTUAL_STATE && d.target().drift() == null)) {
          continue;
        }
        return d.target().attributeChangeType() == AttributeChangeType.SYNC_WITH_ACTUAL
            ? new Judged(this, Verdict.KEPT, "the new template has the live value of " + subject()
                + ": the drift-aware change set only records it (SyncWithActual)")
            : new Judged(this, Verdict.REVERTED, "the drift-aware change set sets " + subject() + " back to the"
                + " template (it lists the live value as the value before)");
      }
    }
    return null;
  }
}
