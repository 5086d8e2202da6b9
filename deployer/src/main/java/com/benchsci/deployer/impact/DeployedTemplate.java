package com.benchsci.deployer.impact;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stack's template with the parameters it was deployed with, its values evaluated as far as they can be known
 * before asking AWS (see {@link Evaluation}), for comparing with what is live. What only CloudFormation knows stays
 * as a placeholder in the text: {@code ${WebSecurityGroup}} for a resource's id, {@code ${Vpc.CidrBlock}} for an
 * attribute, which the caller may fill in from the live resources.
 */
public final class DeployedTemplate {

  private final Evaluation evaluation;

  private DeployedTemplate(Evaluation evaluation) {
    this.evaluation = evaluation;
  }

  /** {@code template}: the parsed tree (intrinsics in their long form); {@code region}: the stack's. */
  public static DeployedTemplate of(Map<String, Object> template, Map<String, String> parameters, String region) {
    return new DeployedTemplate(Evaluation.before(template, parameters, region));
  }

  /** The logical ids of the resources of {@code type} that exist (their Condition, if any, holds or is unknown). */
  public List<String> resourcesOfType(String type) {
    List<String> ids = new ArrayList<>();
    evaluation.resources().forEach((id, declaration) -> {
      if (type.equals(Analysis.typeOf(evaluation, id)) && !Boolean.FALSE.equals(evaluation.exists(id))) {
        ids.add(id);
      }
    });
    return ids;
  }

  /** A resource's properties, evaluated; each unknown as its placeholder text. Empty for no such resource. */
  public Map<String, Object> properties(String logicalId) {
    return asText(evaluation.properties(logicalId));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asText(Map<String, Object> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(k, text(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object text(Object value) {
    if (value instanceof Opaque o) {
      return o.text();
    }
    if (value instanceof Map<?, ?> m) {
      return asText((Map<String, Object>) m);
    }
    if (value instanceof List<?> l) {
      return l.stream().map(DeployedTemplate::text).toList();
    }
    return value;
  }
}
