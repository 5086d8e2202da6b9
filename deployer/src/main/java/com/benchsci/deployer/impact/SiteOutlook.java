package com.benchsci.deployer.impact;

import com.benchsci.deployer.impact.Impact.Reachability;
import com.benchsci.deployer.impact.Impact.Replaced;
import com.benchsci.deployer.impact.Impact.Row;
import com.benchsci.deployer.impact.Impact.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The review's first line, from the rows: whether a request still reaches the site while the change is applied (the
 * host, its Elastic IP, and the network in between), roughly for how long not, what happens to the public address,
 * and the monthly cost of the whole stack before and after.
 */
final class SiteOutlook {

  private static final String INSTANCE = "AWS::EC2::Instance";
  private static final String ELASTIC_IP = "AWS::EC2::EIP";
  /** What a request crosses between the internet and the host. */
  private static final Set<String> NETWORK_PATH = Set.of("AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::RouteTable",
      "AWS::EC2::Route", "AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::InternetGateway",
      "AWS::EC2::VPCGatewayAttachment", "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress",
      "AWS::EC2::NetworkAcl", "AWS::EC2::NetworkAclEntry", "AWS::EC2::SubnetNetworkAclAssociation");
  /**
   * The part of the path a replaced host cannot have its own copy of: an internet gateway is attached to one VPC
   * at a time, so moving it cuts the old host off while the new one is still being built.
   */
  private static final Set<String> SHARED_PATH = Set.of("AWS::EC2::InternetGateway",
      "AWS::EC2::VPCGatewayAttachment");

  private SiteOutlook() {}

  static Summary summarize(List<Row> rows, Evaluation before, Evaluation after, Analysis analysis) {
    Reachability reachability = before == null ? Reachability.CREATED : Reachability.UP;
    List<String> because = new ArrayList<>();
    boolean hostReplaced = rows.stream().anyMatch(r -> r.type().equals(INSTANCE)
        && r.replacement() == Replaced.TRUE);
    for (Row r : rows) {
      Effect e = before == null ? null : effect(r, before, after, hostReplaced);
      if (e != null && e.reachability().compareTo(Reachability.UP) > 0) {
        if (e.reachability().compareTo(reachability) > 0) {
          because.add(0, e.text());
        } else {
          because.add(e.text());
        }
        reachability = reachability.worst(e.reachability());
      }
    }
    if (before == null) {
      because.add("the site comes up once the host has signalled a working app");
    } else if (!hasHost(before) && !hasHost(after)) {
      because.add(Impact.NO_HOST);
    }
    MonthlyCost costBefore = total(before, analysis);
    MonthlyCost costAfter = total(after, analysis).plus(retained(rows, before));
    List<String> notPriced = new ArrayList<>(costBefore.plus(costAfter).unpriced());
    notPriced.addAll(analysis.prices().notPriced());
    return new Summary(reachability, String.join("; ", because), elasticIp(rows, before, after), costBefore,
        costAfter, List.copyOf(notPriced));
  }

  private record Effect(Reachability reachability, String text) {}

  private static Effect effect(Row r, Evaluation before, Evaluation after, boolean hostReplaced) {
    String id = r.logicalId();
    if (r.type().equals(INSTANCE)) {
      return host(r, after);
    }
    if (r.type().equals(ELASTIC_IP)) {
      return address(r, before, after);
    }
    if (NETWORK_PATH.contains(r.type()) && (!hostReplaced || SHARED_PATH.contains(r.type()))) {
      if (r.action().equals("Remove")) {
        return new Effect(Reachability.UNKNOWN, id + " is removed from the path of a request");
      }
      if (r.replacement() == Replaced.TRUE || r.replacement() == Replaced.CONDITIONAL) {
        return new Effect(Reachability.UNKNOWN, id + (r.replacement() == Replaced.TRUE ? " is" : " may be")
            + " replaced on the path of a request (" + first(r.replacementReason()) + ")");
      }
      if (r.interruption() == Interruption.SOME) {
        return new Effect(Reachability.SECONDS, id + ": " + first(r.interruptionReason()));
      }
    }
    return null;
  }

  private static Effect host(Row r, Evaluation after) {
    String id = r.logicalId();
    if (r.action().equals("Remove")) {
      return new Effect(Reachability.DOWN, id + " is removed: no host serves the site");
    }
    if (r.replacement() == Replaced.TRUE) {
      if (Analysis.elasticIpOf(after, id) == null) {
        return new Effect(Reachability.NEW_ADDRESS, id + " is replaced and no Elastic IP moves to the new host ("
            + first(r.replacementReason()) + ")");
      }
      boolean signals = after.resource(id).get("CreationPolicy") != null;
      return signals
          ? new Effect(Reachability.SECONDS, id + " is replaced: the new host is built beside the old one, which"
              + " serves until the new one has signalled a working app (CreationPolicy); then the Elastic IP moves"
              + " to it (" + first(r.replacementReason()) + ")")
          : new Effect(Reachability.MINUTES, id + " is replaced: the Elastic IP moves to the new host as soon as it"
              + " exists, before its app has started (" + first(r.replacementReason()) + ")");
    }
    if (r.replacement() == Replaced.CONDITIONAL) {
      return new Effect(Reachability.UNKNOWN, id + " may be replaced (" + first(r.replacementReason()) + ")");
    }
    if (r.interruption() == Interruption.SOME) {
      return new Effect(Reachability.MINUTES, id + ": " + first(r.interruptionReason()));
    }
    return null;
  }

  private static Effect address(Row r, Evaluation before, Evaluation after) {
    String id = r.logicalId();
    if (r.action().equals("Remove")) {
      return new Effect(Reachability.NEW_ADDRESS, id + " leaves the stack: the host loses that address");
    }
    if (r.action().equals("Add") && hasHost(before)) {
      return new Effect(Reachability.NEW_ADDRESS, id + " is added: the site moves to the new address");
    }
    if (r.replacement() == Replaced.TRUE) {
      return new Effect(Reachability.NEW_ADDRESS, id + " is replaced: a new address ("
          + first(r.replacementReason()) + ")");
    }
    if (r.replacement() == Replaced.CONDITIONAL) {
      return new Effect(Reachability.UNKNOWN, id + " may be replaced, with a new address ("
          + first(r.replacementReason()) + ")");
    }
    String hostBefore = Analysis.referencedId(before.properties(id).get("InstanceId"));
    String hostAfter = Analysis.referencedId(after.properties(id).get("InstanceId"));
    if (hostBefore != null && !hostBefore.equals(hostAfter)) {
      return new Effect(Reachability.SECONDS, id + " moves from " + hostBefore + " to "
          + (hostAfter == null ? "another instance" : hostAfter));
    }
    return null;
  }

  /** What becomes of the public address. */
  private static String elasticIp(List<Row> rows, Evaluation before, Evaluation after) {
    List<String> said = new ArrayList<>();
    for (Row r : rows) {
      if (!r.type().equals(ELASTIC_IP)) {
        continue;
      }
      String id = r.logicalId();
      if (r.action().equals("Remove")) {
        said.add("Elastic IP " + id + " " + (retains(before, id, "DeletionPolicy")
            ? "is kept in the account (DeletionPolicy Retain) but no longer serves the site"
            : "is released: the address is lost"));
      } else if (r.action().equals("Add")) {
        said.add("Elastic IP " + id + " is added (a new address)");
      } else if (r.replacement() == Replaced.TRUE || r.replacement() == Replaced.CONDITIONAL) {
        said.add("Elastic IP " + id + (r.replacement() == Replaced.TRUE ? " is" : " may be") + " replaced: "
            + (retains(before, id, "UpdateReplacePolicy")
                ? "the old address is kept in the account (UpdateReplacePolicy Retain), detached"
                : "the old address is released"));
      } else {
        said.add("Elastic IP " + id + " kept (its association is updated)");
      }
    }
    if (!said.isEmpty()) {
      return String.join("; ", said);
    }
    boolean any = after.resources().keySet().stream()
        .anyMatch(id -> ELASTIC_IP.equals(Analysis.typeOf(after, id)) && Boolean.TRUE.equals(after.exists(id)));
    return any ? "Elastic IP kept" : Impact.NO_ELASTIC_IP;
  }

  private static boolean retains(Evaluation before, String id, String policy) {
    return before != null && before.resource(id) != null && "Retain".equals(before.resource(id).get(policy));
  }

  private static boolean hasHost(Evaluation side) {
    return side != null && side.resources().keySet().stream()
        .anyMatch(id -> INSTANCE.equals(Analysis.typeOf(side, id)) && Boolean.TRUE.equals(side.exists(id)));
  }

  private static MonthlyCost total(Evaluation side, Analysis analysis) {
    MonthlyCost sum = MonthlyCost.NONE;
    if (side != null) {
      for (String id : side.resources().keySet()) {
        sum = sum.plus(analysis.cost(side, id, side.exists(id)));
      }
    }
    return sum;
  }

  /**
   * Resources a Retain policy keeps in the account after they leave the stack (removed, or the old one of a
   * replacement): still billed, so in the cost after.
   */
  private static MonthlyCost retained(List<Row> rows, Evaluation before) {
    MonthlyCost sum = MonthlyCost.NONE;
    for (Row r : rows) {
      boolean kept = r.action().equals("Remove") ? retains(before, r.logicalId(), "DeletionPolicy")
          : r.replacement() == Replaced.TRUE && retains(before, r.logicalId(), "UpdateReplacePolicy");
      if (kept && r.costBefore().usd().signum() > 0) {
        sum = sum.plus(MonthlyCost.priced(r.costBefore().usd(), r.logicalId() + " kept outside the stack"));
      }
    }
    return sum;
  }

  /** The first reason of a joined list. */
  private static String first(String reasons) {
    int end = reasons.indexOf("; ");
    return end < 0 ? reasons : reasons.substring(0, end);
  }
}
