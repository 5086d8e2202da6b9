package com.benchsci.deployer.rehearsal;

import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.Naming;
import com.benchsci.deployer.core.ProductStack;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * One rehearsal, {@code hello-rh-<8 hex digits>}, and every name it gives what it makes, all derived from it so that a
 * second invocation ({@code --cleanup <id>}) finds them again: the app stack (the id itself, short enough that the
 * bucket names derived from it, {@code <id>-guard-reports-<account>-<region>}, stay within S3's 63 characters in every
 * region), the bootstrap stack, the Guard Hook's alias (unique per account and region) and the CircleCI organization
 * and project ids (a made-up organization, so its OIDC provider is one of its own: IAM allows one per URL and
 * account). None of them can be a name of the product's.
 */
public record RehearsalId(String name) {

  private static final Pattern NAME = Pattern.compile("hello-rh-([0-9a-f]{8})");

  public RehearsalId {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new DeployException("not a rehearsal id: " + name + " (hello-rh- and 8 hex digits, as the rehearsal"
          + " printed it)");
    }
  }

  public static RehearsalId create(RandomGenerator random) {
    return new RehearsalId("hello-rh-" + HexFormat.of().toHexDigits(random.nextInt()));
  }

  /** The app stack's name; also the prefix of every bucket the rehearsal's bootstrap stack makes. */
  public String appStack() {
    return name;
  }

  public String bootstrapStack() {
    return name + "-bootstrap";
  }

  /** The Guard Hook's alias: letters and digits only (AWS::CloudFormation::GuardHook's Alias pattern). */
  public String hookAlias() {
    return "Private::Guard::Rehearsal" + name.substring("hello-rh-".length());
  }

  /** A made-up CircleCI organization id: the OIDC provider's URL, oidc.circleci.com/org/<id>, is the rehearsal's. */
  public String circleCiOrgId() {
    return uuid("organization");
  }

  /** The OIDC provider's URL without the scheme, as IAM ends the provider's ARN. */
  public String oidcProviderHost() {
    return "oidc.circleci.com/org/" + circleCiOrgId();
  }

  /** Whether {@code bucket} is one of this rehearsal's: the bootstrap template names them after the app stack. */
  public boolean owns(String bucket) {
    return bucket.startsWith(appStack() + "-");
  }

  /** The stacks' names, and the bootstrap parameters that make its account-wide names the rehearsal's own. */
  public Naming naming() {
    return new Naming(Map.of(ProductStack.BOOTSTRAP, bootstrapStack(), ProductStack.APP, appStack()), Map.of(
        "AppStackName", appStack(),
        "CircleCiOrgId", circleCiOrgId(),
        "CircleCiProjectId", uuid("project"),
        "GuardHookAlias", hookAlias()));
  }

  /** A lowercase UUID (version 3, from the id), as bootstrap.yaml's CircleCI id parameters require. */
  private String uuid(String what) {
    return UUID.nameUUIDFromBytes((name + " " + what).getBytes(StandardCharsets.UTF_8)).toString();
  }

  @Override
  public String toString() {
    return name;
  }
}
