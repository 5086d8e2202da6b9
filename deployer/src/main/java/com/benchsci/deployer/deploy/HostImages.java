package com.benchsci.deployer.deploy;

import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.ImageChoice;
import com.benchsci.deployer.template.Template;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * The host's image changes only on purpose. A template names its image parameters and the public SSM parameter
 * each comes from under {@code Metadata: hello-host: ImageParameters}; the stack takes plain image ids. A CREATE
 * and an explicit refresh resolve the SSM parameters here; every other deploy passes the ids the stack runs today,
 * so a new Amazon Linux image published by AWS never replaces the instance of an app-only deploy.
 */
public final class HostImages {

  private HostImages() {}

  /** Image parameter to the SSM parameter it is resolved from, as the template declares them. */
  public static Map<String, String> sources(Template template) {
    Map<String, String> sources = new LinkedHashMap<>();
    if (template.tree().get("Metadata") instanceof Map<?, ?> metadata
        && metadata.get("hello-host") instanceof Map<?, ?> ours
        && ours.get("ImageParameters") instanceof Map<?, ?> images) {
      images.forEach((parameter, ssmName) -> sources.put(String.valueOf(parameter), String.valueOf(ssmName)));
    }
    return sources;
  }

  /** Every image parameter resolved from SSM now (the latest image). */
  public static Map<String, String> latest(Template template, SsmClient ssm) {
    Map<String, String> ids = new LinkedHashMap<>();
    sources(template).forEach((parameter, ssmName) -> ids.put(parameter, resolve(ssm, ssmName, template)));
    return ids;
  }

  /**
   * The image ids this deploy passes: a value from the parameter file wins (set by hand); else the stack's own
   * (unless {@code choice} is a refresh); else, for a new stack or a refresh, the SSM parameter's current value.
   * Each choice is reported with its reason.
   */
  static Map<String, String> choose(Template template, Map<String, String> fromFile, Stack current,
      ImageChoice choice, SsmClient ssm, Consumer<String> report) {
    boolean refresh = choice == ImageChoice.REFRESH;
    Map<String, String> running = current == null ? Map.of() : running(current);
    Map<String, String> ids = new LinkedHashMap<>();
    sources(template).forEach((parameter, ssmName) -> {
      String id;
      String why;
      if (fromFile.containsKey(parameter)) {
        id = fromFile.get(parameter);
        why = "set in the parameter file";
      } else if (!refresh && running.containsKey(parameter)) {
        id = running.get(parameter);
        why = "kept: the image the stack runs today (refresh with --refresh-image)";
      } else {
        id = resolve(ssm, ssmName, template);
        why = (refresh ? "refreshed" : current == null ? "new stack" : "the stack has no " + parameter + " yet")
            + ": latest from SSM " + ssmName
            + (running.containsKey(parameter) ? ", was " + running.get(parameter) : "");
      }
      ids.put(parameter, id);
      report.accept("Image " + parameter + " = " + id + " (" + why + ")");
    });
    return ids;
  }

  /**
   * The image ids of the stack's parameters. A stack deployed from the earlier template, where these were
   * {@code AWS::SSM::Parameter::Value} parameters, holds the SSM name as value and the image id as resolved value.
   */
  private static Map<String, String> running(Stack stack) {
    Map<String, String> ids = new LinkedHashMap<>();
    for (Parameter p : stack.parameters()) {
      String value = p.parameterValue() != null && p.parameterValue().startsWith("ami-") ? p.parameterValue()
          : p.resolvedValue();
      if (value != null && value.startsWith("ami-")) {
        ids.put(p.parameterKey(), value);
      }
    }
    return ids;
  }

  private static String resolve(SsmClient ssm, String ssmName, Template template) {
    try {
      return ssm.getParameter(r -> r.name(ssmName)).parameter().value();
    } catch (ParameterNotFoundException e) {
      throw new DeployException("SSM parameter " + ssmName + " (Metadata hello-host/ImageParameters of "
          + template.file() + ") does not exist in this region", e);
    }
  }
}
