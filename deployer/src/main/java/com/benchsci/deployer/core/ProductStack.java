package com.benchsci.deployer.core;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The product's two stacks: the one place that knows their stack names, template files and parameter files.
 * Declared in deploy order: the bootstrap stack holds the artifact bucket the app stack's jar goes to.
 */
public enum ProductStack {
  /** The artifact bucket, the CircleCI roles and the Guard Hook. */
  BOOTSTRAP("hello-host-bootstrap", "bootstrap"),
  /** The host: network, firewall, instance, Elastic IP. */
  APP("hello-host", "stack");

  private final String stackName;
  private final String fileBase;

  ProductStack(String stackName, String fileBase) {
    this.stackName = stackName;
    this.fileBase = fileBase;
  }

  public String stackName() {
    return stackName;
  }

  /** {@code <templates>/bootstrap.yaml} or {@code <templates>/stack.yaml}. */
  public Path template(Path templates) {
    return templates.resolve(fileBase + ".yaml");
  }

  /** {@code <templates>/<base>-<env>.json}, in the AWS CLI's parameter file format. */
  public Path parameterFile(Path templates, Environment environment) {
    return templates.resolve(fileBase + "-" + environment.name() + ".json");
  }

  public static List<String> stackNames() {
    return Arrays.stream(values()).map(ProductStack::stackName).toList();
  }

  public static List<Path> templates(Path templates) {
    return Arrays.stream(values()).map(s -> s.template(templates)).toList();
  }
}
