package com.benchsci.deployer.impact;

import java.util.ArrayList;
import java.util.List;

/**
 * What one change set does to a stack, for a reviewer: per resource whether it is replaced and what interruption its
 * update brings, each with its reason, and its monthly cost before and after; then the summary the review opens
 * with: is the site reachable, for how long not, is the Elastic IP kept, and the cost of the stack before and after.
 */
public record Impact(List<Row> rows, Summary summary) {

  /** What the summary says of a stack without an Elastic IP. */
  static final String NO_ELASTIC_IP = "No Elastic IP";
  /** Why a stack without a host cannot take the site down: said of one stack, not of a review of several. */
  static final String NO_HOST = "this stack holds no host";

  /** CloudFormation's words for replacement; {@code -} for a resource that is only added or removed. */
  public enum Replaced {
    TRUE("True"),
    FALSE("False"),
    CONDITIONAL("Conditional"),
    NOT_APPLICABLE("-");

    private final String label;

    Replaced(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * One resource the change touches. {@code action}: Add, Modify or Remove (CloudFormation's word when the change
   * set lists it); {@code listed}: false when only the templates show the change (an emulator that lists less, or
   * a resource that follows another's replacement); the reasons name the properties and whose rule applies;
   * {@code sources}: the pages of AWS's documentation the rules come from; {@code properties}: the top-level
   * properties this change sets (what the templates change, and what CloudFormation's details name).
   */
  public record Row(String logicalId, String type, String action, Replaced replacement, String replacementReason,
      Interruption interruption, String interruptionReason, MonthlyCost costBefore, MonthlyCost costAfter,
      boolean listed, List<String> sources, List<String> properties) {}

  /** How reachable the site is while the change is applied, best first. */
  public enum Reachability {
    /** A new stack: the site comes up when the host has signalled a working app. */
    CREATED("A new stack"),
    /** Nothing on the path of a request is interrupted. */
    UP("The site stays up"),
    /** For seconds: an address moves to a host that is already serving. */
    SECONDS("The site is unreachable for seconds"),
    /** For minutes: the host stops and starts. */
    MINUTES("The site is unreachable for about a minute or two"),
    /** Whether it is interrupted depends on values known only after apply. */
    UNKNOWN("The site may be interrupted"),
    /** The site answers at a new address: the old one no longer reaches it. */
    NEW_ADDRESS("The site moves to a new address"),
    /** No host serves the site after the change. */
    DOWN("The site goes down");

    private final String headline;

    Reachability(String headline) {
      this.headline = headline;
    }

    public String headline() {
      return headline;
    }

    Reachability worst(Reachability other) {
      return compareTo(other) >= 0 ? this : other;
    }
  }

  /**
   * {@code reachability} and its {@code because} (which resource, which property, roughly how long);
   * {@code elasticIp}: what happens to the public address; costs of the whole stack before and after (Elastic IPs
   * kept outside the stack by a Retain policy included), and what is not priced.
   */
  public record Summary(Reachability reachability, String because, String elasticIp, MonthlyCost before,
      MonthlyCost after, List<String> notPriced) {

    /**
     * Several stacks' summaries as one, for a review of them all: the worst reachability with its reasons (a new
     * stack counts only when every stack is new), every Elastic IP statement, the costs added, everything not priced.
     */
    public static Summary combined(List<Summary> summaries) {
      if (summaries.size() == 1) {
        return summaries.get(0);
      }
      Reachability worst = summaries.stream().map(Summary::reachability)
          .filter(r -> r != Reachability.CREATED).reduce(Reachability::worst).orElse(Reachability.CREATED);
      List<String> because = new ArrayList<>();
      List<String> elasticIps = new ArrayList<>();
      List<String> notPriced = new ArrayList<>();
      MonthlyCost before = MonthlyCost.NONE;
      MonthlyCost after = MonthlyCost.NONE;
      for (Summary s : summaries) {
        if (s.reachability() == worst && !s.because().isEmpty() && !s.because().equals(NO_HOST)
            && !because.contains(s.because())) {
          because.add(s.because());
        }
        if (!s.elasticIp().equals(NO_ELASTIC_IP) && !elasticIps.contains(s.elasticIp())) {
          elasticIps.add(s.elasticIp());
        }
        s.notPriced().stream().filter(n -> !notPriced.contains(n)).forEach(notPriced::add);
        before = before.plus(s.before());
        after = after.plus(s.after());
      }
      return new Summary(worst, String.join("; ", because),
          elasticIps.isEmpty() ? NO_ELASTIC_IP : String.join("; ", elasticIps), before, after, List.copyOf(notPriced));
    }

    /** The review's first line. */
    public String firstLine() {
      String cost = "Cost: " + before.dollars() + " -> " + after.dollars() + " a month ("
          + MonthlyCost.delta(after.usd().subtract(before.usd())) + ")";
      return reachability.headline() + (because.isEmpty() ? "" : ": " + because) + ". " + elasticIp + ". " + cost
          + "; not priced: " + String.join(", ", notPriced) + ".";
    }
  }
}
