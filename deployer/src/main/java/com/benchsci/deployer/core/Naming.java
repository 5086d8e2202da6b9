package com.benchsci.deployer.core;

import java.util.Map;
import java.util.Objects;

/**
 * The names one deployment of the product goes by: the name of each of its two stacks, and the parameters that make
 * the account-wide names of the bootstrap stack its own (the app stack it serves, the CircleCI OIDC provider, the
 * Guard Hook's alias), which override the parameter file. {@link #PRODUCT} is the product itself, whose parameter
 * files decide those; a rehearsal gets names of its own, so it never meets the product's stacks.
 */
public record Naming(Map<ProductStack, String> stackNames, Map<String, String> bootstrapParameters) {

  /** hello-host-bootstrap and hello-host, parameters from the files. */
  public static final Naming PRODUCT = new Naming(Map.of(ProductStack.BOOTSTRAP,
      ProductStack.BOOTSTRAP.stackName(), ProductStack.APP, ProductStack.APP.stackName()), Map.of());

  public Naming {
    stackNames = Map.copyOf(stackNames);
    bootstrapParameters = Map.copyOf(bootstrapParameters);
    for (ProductStack stack : ProductStack.values()) {
      Objects.requireNonNull(stackNames.get(stack), stack + " needs a stack name");
    }
  }

  public String stackName(ProductStack stack) {
    return stackNames.get(stack);
  }

  /** What the deployer sets on {@code stack} over its parameter file. */
  public Map<String, String> parameters(ProductStack stack) {
    return stack == ProductStack.BOOTSTRAP ? bootstrapParameters : Map.of();
  }
}
