package com.benchsci.deployer.deploy;

import com.benchsci.deployer.stack.EmulatorQuirks;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Publishing the policy rules for the Guard Hook: the bundle goes into the artifact bucket under its content
 * address, and the bootstrap stack's parameters {@value #KEY} and {@value #VERSION} pin the hook to exactly that
 * object version. A review publishes nothing: it looks for the bundle, and when it is not in the bucket yet the
 * reviewed change set keeps the hook's current rules.
 */
final class GuardRules {

  /** The bootstrap parameters the deployer sets: where the Guard Hook's rules are, pinned by version. */
  static final String KEY = "GuardRulesKey";
  static final String VERSION = "GuardRulesVersion";

  private final RulesBundle bundle;
  private final S3Client s3;
  private final EmulatorQuirks quirks;
  private final PrintWriter out;

  GuardRules(RulesBundle bundle, S3Client s3, EmulatorQuirks quirks, PrintWriter out) {
    this.bundle = bundle;
    this.s3 = s3;
    this.quirks = quirks;
    this.out = out;
  }

  /**
   * Publishes the bundle to {@code bucket} ({@code publish}) or finds it there, and sets the hook's parameters in
   * {@code parameters}; {@code current} are the stack's parameters today. Returns the line that says how the hook's
   * rules change, for the console and the review, or empty when they do not.
   */
  String pin(String bucket, Map<String, String> current, Map<String, String> parameters, boolean publish) {
    Optional<String> version;
    if (publish) {
      quirks.prepareArtifactBucket(s3, bucket, out);
      ArtifactStore.Version published = ArtifactStore.publish(s3, bucket, bundle.key(), bundle.bytes());
      out.printf("%s s3://%s/%s (version %s)%n", published.uploaded() ? "Uploaded the guard rules to"
          : "The guard rules are already in", bucket, bundle.key(), published.id());
      version = Optional.of(published.id());
    } else {
      version = ArtifactStore.versionHolding(s3, bucket, bundle.key(), bundle.bytes());
    }
    String before = location(bucket, current.get(KEY), current.get(VERSION));
    String after = location(bucket, bundle.key(), version.orElse(null));
    parameters.put(KEY, version.isPresent() ? bundle.key() : current.getOrDefault(KEY, ""));
    parameters.put(VERSION, version.orElse(current.getOrDefault(VERSION, "")));
    if (before.equals(after)) {
      return "";
    }
    String note = "Guard Hook rules (FirewallGuardHook RuleLocation)" + (version.isPresent() ? ": " : " on deploy: ")
        + before + " -> " + after + (version.isPresent() ? "" : " (the deploy uploads the bundle and pins its"
            + " version; not in the bucket yet, so this review's change set keeps the current rules)");
    out.println(note);
    return note;
  }

  private static String location(String bucket, String key, String version) {
    if (key == null || key.isEmpty()) {
      return "none (no hook)";
    }
    String pinned = version == null || version.isEmpty() ? "(set on upload)" : version;
    return "s3://" + bucket + "/" + key + " version " + pinned;
  }
}
