package com.benchsci.deployer.stack;

import com.benchsci.deployer.template.Template;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/** The outputs of a deployed stack, printed: what the user needs (URL, IP, instance id). */
public final class StackOutputs {

  private StackOutputs() {}

  public static Map<String, String> read(CloudFormationClient cfn, String stackName, Template template,
      EmulatorQuirks quirks, PrintWriter out) {
    Map<String, String> outputs = new LinkedHashMap<>();
    cfn.describeStacks(r -> r.stackName(stackName)).stacks().get(0).outputs()
        .forEach(o -> outputs.put(o.outputKey(), o.outputValue()));
    if (outputs.isEmpty() && !template.outputValues().isEmpty()) {
      Optional<Map<String, String>> derived = quirks.missingOutputs(cfn, stackName, template, out);
      if (derived.isPresent()) {
        return derived.get();
      }
    }
    out.printf("Outputs of stack %s:%n", stackName);
    outputs.forEach((k, v) -> out.printf("  %-20s %s%n", k, v));
    return outputs;
  }
}
