package com.benchsci.deployer.rehearsal;

import com.benchsci.deployer.core.AwsClients;
import com.benchsci.deployer.core.Backoff;
import com.benchsci.deployer.stack.EmulatorQuirks;
import com.benchsci.deployer.stack.Stacks;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudformation.model.RegistryType;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.cloudformation.model.StackSummary;
import software.amazon.awssdk.services.cloudformation.model.ThirdPartyType;
import software.amazon.awssdk.services.cloudformation.model.TypeNotFoundException;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Deletes everything one rehearsal made, from whatever state a run or an interruption left, then looks again and
 * says what is left. Everything is found from the rehearsal's id alone, so a second invocation finishes what a killed
 * one began: its stacks by name (every stack of that name, deleted ones too, whose resources CloudFormation still
 * lists), the Elastic IP they retain (released before the stack goes, so it is never left without a stack that names
 * it), the buckets they retain (every version and delete marker, then the bucket), the OIDC provider and the Guard
 * Hook their deletion removes (looked for, and removed, should it not have). Each action is one attempt that may
 * fail on its own; the rest goes on, and what failed is named.
 */
final class RehearsalCleanup {

  private static final String DELETED = "DELETE_COMPLETE";

  private final AwsClients aws;
  private final EmulatorQuirks quirks;
  private final PrintWriter out;
  private final Duration waitLimit;
  private final List<String> done = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  RehearsalCleanup(AwsClients aws, EmulatorQuirks quirks, PrintWriter out, Duration waitLimit) {
    this.aws = aws;
    this.quirks = quirks;
    this.out = out;
    this.waitLimit = waitLimit;
  }

  /** The clean-up step's row: passed when nothing of {@code id} is left. */
  StepResult run(RehearsalId id) {
    out.printf("Cleaning up rehearsal %s on %s%n", id, aws.target().describe());
    out.flush();
    Set<String> addresses = new LinkedHashSet<>();
    Set<String> buckets = new LinkedHashSet<>();
    for (String name : List.of(id.appStack(), id.bootstrapStack())) {
      for (StackSummary stack : stacksNamed(name)) {
        boolean live = !DELETED.equals(stack.stackStatusAsString());
        if (live) {
          retained(stack.stackId(), addresses, buckets);
        }
        tagged(stack.stackId(), addresses);
        addresses.forEach(this::release);
        if (live) {
          delete(name, stack.stackId());
          // A stack deleted while it was being created keeps what it made by then with DeletionPolicy Retain.
          tagged(stack.stackId(), addresses);
          addresses.forEach(this::release);
        }
      }
    }
    attempt("list the buckets", () -> aws.s3().listBuckets().buckets().stream()
        .map(b -> b.name()).filter(id::owns).forEach(buckets::add));
    buckets.forEach(this::deleteBucket);
    deleteOidcProvider(id);
    deactivateHook(id);

    List<String> left = leftovers(id, addresses);
    String summary = done.isEmpty() ? "nothing to delete" : String.join("; ", done);
    if (left.isEmpty() && problems.isEmpty()) {
      out.printf("Rehearsal %s left nothing behind: %s.%n", id, summary);
      out.flush();
      return StepResult.passed(Step.CLEANUP, summary + "; nothing left (stacks, buckets and their versions,"
          + " Elastic IP, OIDC provider" + (quirks.lacks(EmulatorQuirks.Capability.HOOKS).isEmpty() ? ", hook" : "")
          + ")");
    }
    List<String> said = new ArrayList<>(problems);
    left.forEach(l -> said.add("left: " + l));
    return StepResult.failed(Step.CLEANUP, String.join("; ", said) + " (" + summary + "); finish with: deployer"
        + " rehearse --cleanup " + id + (aws.target().isEmulator() ? "" : " --env sandbox"));
  }

  /** Every stack ever named {@code name} that CloudFormation still lists, deleted ones included. */
  private List<StackSummary> stacksNamed(String name) {
    List<StackSummary> found = new ArrayList<>();
    attempt("list the stacks named " + name, () -> aws.cloudFormation().listStacksPaginator().stackSummaries()
        .stream().filter(s -> name.equals(s.stackName())).forEach(found::add));
    return found;
  }

  /**
   * Adds what the live stack {@code stackId} keeps after its deletion, from its resources: Elastic IPs by public IP,
   * buckets by name. (Only a live one: moto makes a deleted stack's resources anew when they are listed.)
   */
  private void retained(String stackId, Set<String> addresses, Set<String> buckets) {
    attempt("list the resources of stack " + stackId, () -> {
      for (StackResourceSummary r : aws.cloudFormation().listStackResourcesPaginator(b -> b.stackName(stackId))
          .stackResourceSummaries()) {
        if (r.physicalResourceId() == null || r.physicalResourceId().isEmpty()) {
          continue;
        }
        if ("AWS::EC2::EIP".equals(r.resourceType())) {
          addresses.add(r.physicalResourceId());
        } else if ("AWS::S3::Bucket".equals(r.resourceType())) {
          buckets.add(r.physicalResourceId());
        }
      }
    });
  }

  /**
   * Adds the Elastic IPs that carry the tag CloudFormation puts on what a stack creates, {@code
   * aws:cloudformation:stack-id}: the stack's retained address even once the stack is deleted (by a clean-up that was
   * killed after it, or while it was being created).
   */
  private void tagged(String stackId, Set<String> addresses) {
    attempt("look for the Elastic IPs of stack " + stackId, () -> aws.ec2().describeAddresses(r -> r.filters(
            f -> f.name("tag:aws:cloudformation:stack-id").values(stackId))).addresses()
        .forEach(a -> addresses.add(a.publicIp())));
  }

  /** Deletes the stack {@code stackId}, first letting an operation in progress end (an update is cancelled). */
  private void delete(String name, String stackId) {
    Stacks stacks = new Stacks(aws.cloudFormation(), out);
    Instant deadline = Instant.now().plus(waitLimit);
    Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15));
    int deletes = 0;
    while (true) {
      Stack stack;
      try {
        stack = stacks.find(stackId);
      } catch (AwsServiceException e) {
        problems.add("stack " + name + ": " + message(e));
        return;
      }
      String status = stack == null ? DELETED : stack.stackStatusAsString();
      if (DELETED.equals(status)) {
        done.add("deleted stack " + name);
        out.printf("Deleted stack %s.%n", name);
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        problems.add("stack " + name + " is still " + status + " after " + waitLimit.toMinutes() + " min");
        return;
      }
      boolean settled = !status.endsWith("_IN_PROGRESS") || status.equals("CREATE_IN_PROGRESS")
          || status.equals("REVIEW_IN_PROGRESS");
      if (status.equals("UPDATE_IN_PROGRESS")) {
        attempt("cancel the update of stack " + name, () -> aws.cloudFormation()
            .cancelUpdateStack(r -> r.stackName(stackId)));
      } else if (settled && status.equals("DELETE_FAILED") && deletes >= 2) {
        problems.add("stack " + name + " is DELETE_FAILED: " + stack.stackStatusReason());
        return;
      } else if (settled) {
        deletes++;
        out.printf("Deleting stack %s (%s).%n", name, status);
        out.flush();
        if (Boolean.TRUE.equals(stack.enableTerminationProtection())) {
          attempt("switch off termination protection of stack " + name, () -> aws.cloudFormation()
              .updateTerminationProtection(r -> r.stackName(stackId).enableTerminationProtection(false)));
        }
        attempt("prepare the deletion of stack " + name, () -> quirks.beforeStackDeletion(aws.cloudFormation(),
            aws.ec2(), stackId, out));
        attempt("delete stack " + name, () -> aws.cloudFormation().deleteStack(r -> r.stackName(stackId)));
      }
      backoff.pause();
    }
  }

  /** Releases the Elastic IP {@code publicIp}, taking it off an instance first. */
  private void release(String publicIp) {
    Address address;
    try {
      address = aws.ec2().describeAddresses(r -> r.publicIps(publicIp)).addresses().stream().findFirst()
          .orElse(null);
    } catch (AwsServiceException e) {
      address = null; // InvalidAddress.NotFound: released already
    }
    if (address == null) {
      return;
    }
    Address found = address;
    if (found.associationId() != null) {
      attempt("disassociate the Elastic IP " + publicIp, () -> aws.ec2()
          .disassociateAddress(r -> r.associationId(found.associationId())));
    }
    if (attempt("release the Elastic IP " + publicIp, () -> aws.ec2()
        .releaseAddress(r -> r.allocationId(found.allocationId())))) {
      done.add("released the Elastic IP " + publicIp);
      out.printf("Released the Elastic IP %s (the stack retains it).%n", publicIp);
    }
  }

  /** Deletes every version and delete marker of {@code bucket}, then the bucket. */
  private void deleteBucket(String bucket) {
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        int versions = empty(bucket);
        aws.s3().deleteBucket(r -> r.bucket(bucket));
        done.add("deleted bucket " + bucket + " (" + versions + " object versions and delete markers)");
        out.printf("Deleted bucket %s and its %d object versions and delete markers.%n", bucket, versions);
        return;
      } catch (NoSuchBucketException e) {
        return;
      } catch (S3Exception e) {
        // BucketNotEmpty: something was written while it was emptied (an interrupted deploy's upload): again.
        if (attempt == 3 || !"BucketNotEmpty".equals(e.awsErrorDetails().errorCode())) {
          problems.add("bucket " + bucket + ": " + message(e));
          return;
        }
      }
    }
  }

  private int empty(String bucket) {
    List<ObjectIdentifier> all = new ArrayList<>();
    var pages = aws.s3().listObjectVersionsPaginator(r -> r.bucket(bucket));
    pages.versions().forEach(v -> all.add(ObjectIdentifier.builder().key(v.key()).versionId(v.versionId()).build()));
    pages.deleteMarkers().forEach(m -> all.add(ObjectIdentifier.builder().key(m.key()).versionId(m.versionId())
        .build()));
    for (int from = 0; from < all.size(); from += 1000) {
      List<ObjectIdentifier> batch = all.subList(from, Math.min(all.size(), from + 1000));
      aws.s3().deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
    }
    return all.size();
  }

  /** The bootstrap stack's deletion removes its OIDC provider; one left behind (a failed deletion) goes here. */
  private void deleteOidcProvider(RehearsalId id) {
    for (String arn : oidcProviders(id)) {
      if (attempt("delete the OIDC provider " + arn, () -> aws.iam()
          .deleteOpenIDConnectProvider(r -> r.openIDConnectProviderArn(arn)))) {
        done.add("deleted the OIDC provider " + arn);
      }
    }
  }

  private List<String> oidcProviders(RehearsalId id) {
    List<String> arns = new ArrayList<>();
    attempt("list the OIDC providers", () -> aws.iam().listOpenIDConnectProviders().openIDConnectProviderList()
        .stream().map(p -> p.arn()).filter(arn -> arn.endsWith(":oidc-provider/" + id.oidcProviderHost()))
        .forEach(arns::add));
    return arns;
  }

  /** The bootstrap stack's deletion deactivates its Guard Hook; one left behind goes here. */
  private void deactivateHook(RehearsalId id) {
    if (quirks.lacks(EmulatorQuirks.Capability.HOOKS).isPresent() || !hookExists(id)) {
      return;
    }
    if (attempt("deactivate the Guard Hook " + id.hookAlias(), () -> aws.cloudFormation()
        .deactivateType(r -> r.type(ThirdPartyType.HOOK).typeName(id.hookAlias())))) {
      done.add("deactivated the Guard Hook " + id.hookAlias());
    }
  }

  private boolean hookExists(RehearsalId id) {
    try {
      aws.cloudFormation().describeType(r -> r.type(RegistryType.HOOK).typeName(id.hookAlias()));
      return true;
    } catch (TypeNotFoundException e) {
      return false;
    }
  }

  /** What is still there, looked up afresh. */
  private List<String> leftovers(RehearsalId id, Set<String> addresses) {
    List<String> left = new ArrayList<>();
    for (String name : List.of(id.appStack(), id.bootstrapStack())) {
      stacksNamed(name).stream().filter(s -> !DELETED.equals(s.stackStatusAsString()))
          .forEach(s -> left.add("stack " + name + " (" + s.stackStatusAsString() + ")"));
    }
    attempt("list the buckets", () -> aws.s3().listBuckets().buckets().stream().map(b -> b.name())
        .filter(id::owns).forEach(b -> left.add("bucket " + b)));
    for (String ip : addresses) {
      attempt("look up the Elastic IP " + ip, () -> {
        try {
          if (!aws.ec2().describeAddresses(r -> r.publicIps(ip)).addresses().isEmpty()) {
            left.add("Elastic IP " + ip);
          }
        } catch (AwsServiceException notFound) {
          // InvalidAddress.NotFound: released
        }
      });
    }
    oidcProviders(id).forEach(arn -> left.add("OIDC provider " + arn));
    if (quirks.lacks(EmulatorQuirks.Capability.HOOKS).isEmpty()) {
      attempt("look up the Guard Hook", () -> {
        if (hookExists(id)) {
          left.add("Guard Hook " + id.hookAlias());
        }
      });
    }
    return left;
  }

  /** Runs one clean-up action; a refusal is noted with what was being done and the rest goes on. */
  private boolean attempt(String what, Runnable action) {
    try {
      action.run();
      return true;
    } catch (AwsServiceException e) {
      problems.add("could not " + what + ": " + message(e));
      return false;
    }
  }

  private static String message(AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
    return (code == null ? "" : code + ": ") + message;
  }
}
