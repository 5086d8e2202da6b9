package com.benchsci.hostharness;

import com.benchsci.deployer.template.Template;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a template says about the host, its intrinsic functions evaluated: the one resource with
 * {@code AWS::CloudFormation::Init} metadata, that metadata, its {@code AWS::CloudFormation::Authentication}, and its
 * UserData script.
 */
public record HostTemplate(String resource, Map<String, Object> init, Map<String, Object> authentication,
    String userData) {

  /** A template file, with {@link Intrinsics#stub stand-in values}. */
  public static HostTemplate read(Path template) {
    Map<String, Object> parsed = Template.load(template).tree();
    return from(parsed, template.toString(), Intrinsics.stub(parsed));
  }

  /** From a parsed template evaluated with {@code intrinsics}; {@code name} names it in errors. */
  @SuppressWarnings("unchecked")
  public static HostTemplate from(Map<String, Object> parsed, String name, Intrinsics intrinsics) {
    Map<String, Object> resources = map(parsed.get("Resources"), name + " Resources");
    List<String> found = new ArrayList<>();
    resources.forEach((id, resource) -> {
      if (resource instanceof Map<?, ?> r && r.get("Metadata") instanceof Map<?, ?> m
          && m.containsKey("AWS::CloudFormation::Init")) {
        found.add(id);
      }
    });
    if (found.size() != 1) {
      throw new IllegalArgumentException(name + " should have exactly one resource with AWS::CloudFormation::Init"
          + " metadata, found " + found);
    }
    String id = found.get(0);
    Map<String, Object> resource = map(resources.get(id), name + " " + id);
    Map<String, Object> metadata = map(resource.get("Metadata"), id + ".Metadata");
    Object init = intrinsics.evaluate(metadata.get("AWS::CloudFormation::Init"), id + ".Metadata.AWS::CloudFormation::Init");
    String authWhere = id + ".Metadata.AWS::CloudFormation::Authentication";
    Map<String, Object> authentication = metadata.containsKey("AWS::CloudFormation::Authentication")
        ? map(intrinsics.evaluate(metadata.get("AWS::CloudFormation::Authentication"), authWhere), authWhere)
        : Map.of();
    Object userData = map(map(resource.get("Properties"), id + ".Properties").get("UserData"), id + ".Properties.UserData")
        .get("Fn::Base64");
    return new HostTemplate(id, map(init, id + ".Metadata.AWS::CloudFormation::Init"), authentication,
        intrinsics.string(userData, id + ".Properties.UserData.Fn::Base64"));
  }

  /**
   * The UserData's local health check, as a script to run inside the host: the lines between the cfn-init call and
   * the cfn-signal call, run after a cfn-init that succeeded (the applier just did its work), ending with the exit
   * code that cfn-signal's {@code -e} would report.
   */
  public String healthCheck() {
    List<String> lines = userData.lines().toList();
    int init = onlyLineCalling(lines, "/opt/aws/bin/cfn-init");
    int signal = onlyLineCalling(lines, "/opt/aws/bin/cfn-signal");
    Matcher exit = Pattern.compile("\\s-e\\s+(\\S+)").matcher(lines.get(signal));
    if (init > signal || !exit.find()) {
      throw new IllegalArgumentException(resource + " UserData should call cfn-init, then check, then"
          + " cfn-signal -e <status>; found:\n" + userData);
    }
    return "true # cfn-init succeeded\n" + String.join("\n", lines.subList(init + 1, signal)) + "\nexit " + exit.group(1)
        + "\n";
  }

  private int onlyLineCalling(List<String> lines, String program) {
    List<Integer> found = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().startsWith(program + " ")) {
        found.add(i);
      }
    }
    if (found.size() != 1) {
      throw new IllegalArgumentException(resource + " UserData should call " + program + " exactly once, found "
          + found.size());
    }
    return found.get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String where) {
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException(where + ": expected a mapping, found " + value);
    }
    return (Map<String, Object>) value;
  }
}
