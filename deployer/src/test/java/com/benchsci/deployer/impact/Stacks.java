package com.benchsci.deployer.impact;

import com.benchsci.deployer.template.Template;
import com.benchsci.deployer.testing.Tools;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The repository's two templates as the analysis takes them (read through the deployer's one reading of
 * CloudFormation's YAML), with parameter values as a local deploy passes them, and the analysis with the pinned
 * cfn-lint's resource schemas.
 */
final class Stacks {

  static final String REGION = "us-east-1";
  static final Path TEMPLATES = Path.of(System.getProperty("repo.root"), "cloudformation");
  /** Image ids as the deployer passes them (resolved from SSM on a create); any valid id does here. */
  static final String ARM64_IMAGE = "ami-0123456789abcdef0";
  static final String X86_IMAGE = "ami-0fedcba9876543210";

  private static Path cfnLintPackage;
  private static Analysis analysis;

  private Stacks() {}

  /** Found once: asking Python where cfn-lint lives takes seconds on a busy machine. */
  static synchronized Path cfnLintPackage() {
    if (cfnLintPackage == null) {
      cfnLintPackage = Tools.cache().cfnLintPackage();
    }
    return cfnLintPackage;
  }

  static ResourceSchemas schemas() {
    return ResourceSchemas.of(cfnLintPackage(), REGION);
  }

  static synchronized Analysis analysis() {
    if (analysis == null) {
      analysis = Analysis.standard(cfnLintPackage(), REGION);
    }
    return analysis;
  }

  static Map<String, Object> app() {
    return Template.load(TEMPLATES.resolve("stack.yaml")).tree();
  }

  static Map<String, Object> bootstrap() {
    return Template.load(TEMPLATES.resolve("bootstrap.yaml")).tree();
  }

  static Map<String, String> appParameters() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("Environment", "local");
    p.put("InstanceType", "t4g.nano");
    p.put("Arm64ImageId", ARM64_IMAGE);
    p.put("X8664ImageId", X86_IMAGE);
    p.put("ArtifactBucket", "hello-host-artifacts-123456789012-us-east-1");
    p.put("ArtifactKey", "app/0123abcd.jar");
    p.put("HostGeneration", "0");
    return p;
  }

  /** A copy of {@code template} with one property of one resource set to {@code value} (null removes it). */
  static Map<String, Object> withProperty(Map<String, Object> template, String resource, String property,
      Object value) {
    Map<String, Object> copy = Mutations.deepCopy(template);
    Map<String, Object> properties = Evaluation.asMap(declaration(copy, resource).get("Properties"));
    if (value == null) {
      properties.remove(property);
    } else {
      properties.put(property, value);
    }
    return copy;
  }

  /** The declaration of {@code resource} in {@code template}, to change in place. */
  static Map<String, Object> declaration(Map<String, Object> template, String resource) {
    return Evaluation.asMap(Evaluation.asMap(template.get("Resources")).get(resource));
  }

  /** With the Guard Hook's rules pinned, so the hook and its role exist. */
  static Map<String, String> bootstrapParameters() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("CircleCiOrgId", "00000000-0000-4000-8000-000000000001");
    p.put("CircleCiProjectId", "00000000-0000-4000-8000-000000000002");
    p.put("AppStackName", "hello-host");
    p.put("GuardRulesKey", "guard-rules/" + "0".repeat(64) + ".zip");
    p.put("GuardRulesVersion", "3sL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY");
    return p;
  }
}
