package com.benchsci.deployer.core;

import java.nio.file.Path;

/** What a deploy is made of: the folder of templates and parameter files, the policy rules, the app jar. */
public record Sources(Path templates, Path rules, Path appJar) {

  public Path template(ProductStack stack) {
    return stack.template(templates);
  }

  public Path parameterFile(ProductStack stack, Environment environment) {
    return stack.parameterFile(templates, environment);
  }
}
