package com.benchsci.deployer.template;

import java.nio.file.Path;

/**
 * One failed policy rule on one resource of a template (or of a document shaped like one, such as the audit's live
 * firewall). {@code resource} is empty when the rule failed on the template as a whole; {@code entry} is where in
 * the resource, down to a list entry (/Resources/Web/Properties/SecurityGroupIngress/7).
 */
public record Violation(Path file, String resource, String rule, String message, String entry) {
  @Override
  public String toString() {
    String where = resource.isEmpty() ? file.toString() : file + " resource " + resource;
    return where + " violates " + rule + ":\n  " + message.replace("\n", "\n  ");
  }
}
