package com.benchsci.deployer.stack;

import com.benchsci.deployer.template.Template;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;

/**
 * The outputs of a deployed stack. An emulator that returns none (moto computes no Outputs after
 * ExecuteChangeSet) gets the ones that follow from the template and the stack's resources: {@code !Ref Resource}
 * and {@code !Sub} strings over resource ids; the rest are named as unknown, never guessed.
 */
public final class StackOutputs {

  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

  private StackOutputs() {}

  static Map<String, String> read(CloudFormationClient cfn, String stackName, Template template, PrintWriter out) {
    Map<String, String> outputs = new LinkedHashMap<>();
    List<Output> reported = cfn.describeStacks(r -> r.stackName(stackName)).stacks().get(0).outputs();
    reported.forEach(o -> outputs.put(o.outputKey(), o.outputValue()));
    Map<String, Object> declared = template.outputValues();
    if (!outputs.isEmpty() || declared.isEmpty()) {
      out.printf("Outputs of stack %s:%n", stackName);
      outputs.forEach((k, v) -> out.printf("  %-20s %s%n", k, v));
      return outputs;
    }
    Map<String, String> physicalIds = new LinkedHashMap<>();
    physicalIds.put("AWS::Region", cfn.serviceClientConfiguration().region().id());
    for (StackResourceSummary r : cfn.listStackResourcesPaginator(b -> b.stackName(stackName))
        .stackResourceSummaries()) {
      physicalIds.put(r.logicalResourceId(), r.physicalResourceId());
    }
    declared.forEach((name, value) -> {
      String resolved = resolve(value, physicalIds);
      if (resolved != null) {
        outputs.put(name, resolved);
      }
    });
    out.printf("Outputs of stack %s: the endpoint returned none (moto computes no Outputs after ExecuteChangeSet);"
        + " derived from the template and the stack's resources:%n", stackName);
    declared.keySet().forEach(k -> out.printf("  %-20s %s%n", k, outputs.getOrDefault(k, "(unknown here)")));
    return outputs;
  }

  /** The value of an output expression when it only refers to resources of the stack, else null. */
  public static String resolve(Object value, Map<String, String> physicalIds) {
    if (!(value instanceof Map<?, ?> fn) || fn.size() != 1) {
      return value instanceof String s ? s : null;
    }
    if (fn.get("Ref") instanceof String ref) {
      return physicalIds.get(ref);
    }
    if (fn.get("Fn::Sub") instanceof String text) {
      Matcher m = SUB_VARIABLE.matcher(text);
      StringBuilder result = new StringBuilder();
      while (m.find()) {
        String id = physicalIds.get(m.group(1));
        if (id == null) {
          return null;
        }
        m.appendReplacement(result, Matcher.quoteReplacement(id));
      }
      m.appendTail(result);
      return result.toString();
    }
    return null;
  }
}
