package com.benchsci.infra.templates;

import com.benchsci.deployer.template.Template;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * IAM's decision on a request, from the policies bootstrap.yaml gives its roles (inline, and the template's managed
 * policies a role attaches by Ref), evaluated as the IAM User Guide's policy evaluation logic describes it for one
 * account's identity policies: an explicit Deny whose action, resource and conditions match wins; otherwise an Allow
 * that matches allows; otherwise the request is denied
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html). Conditions are evaluated
 * against the request context the caller gives, with the condition operators' documented treatment of a key the
 * request does not carry: a positive operator does not match, a negated one (StringNot*, ArnNot*) and an ...IfExists
 * one do (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 * Account 123456789012, us-east-1, app stack hello-host, bootstrap stack hello-host-bootstrap.
 */
final class BootstrapPolicies {

  static final Template BOOTSTRAP =
      Template.load(Path.of(System.getProperty("repo.root"), "cloudformation", "bootstrap.yaml"));
  static final String ACCOUNT = "123456789012";
  static final String STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/hello-host/1";
  static final String BOOTSTRAP_STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/hello-host-bootstrap/1";
  static final String BUCKET = "arn:aws:s3:::hello-host-artifacts-123456789012-us-east-1";
  static final String REPORTS_BUCKET = "arn:aws:s3:::hello-host-guard-reports-123456789012-us-east-1";
  static final String OIDC_PROVIDER =
      "arn:aws:iam::123456789012:oidc-provider/oidc.circleci.com/org/0b1c2d3e-0000-4000-8000-000000000001";
  private static final Map<String, String> SUBSTITUTIONS = Map.ofEntries(Map.entry("AWS::Partition", "aws"),
      Map.entry("AWS::Region", "us-east-1"), Map.entry("AWS::AccountId", ACCOUNT),
      Map.entry("AWS::StackName", "hello-host-bootstrap"), Map.entry("AWS::URLSuffix", "amazonaws.com"),
      Map.entry("AppStackName", "hello-host"), Map.entry("ArtifactBucket.Arn", BUCKET),
      Map.entry("GuardReportsBucket.Arn", REPORTS_BUCKET), Map.entry("CircleCiOidcProvider", OIDC_PROVIDER),
      Map.entry("GuardRulesKey", "guard-rules/0123.zip"));

  private BootstrapPolicies() {}

  /** "allow" or "deny": what IAM decides for {@code role} doing {@code action} on {@code resource} in {@code context}. */
  static String decide(String role, String action, String resource, Map<String, String> context) {
    boolean allowed = false;
    for (Map<?, ?> statement : statements(role)) {
      boolean matches = matchesAny(statement.get("Action"), action) && matchesAny(statement.get("Resource"), resource)
          && conditionsHold(statement.get("Condition"), context);
      if (matches && "Deny".equals(statement.get("Effect"))) {
        return "deny";
      }
      allowed |= matches && "Allow".equals(statement.get("Effect"));
    }
    return allowed ? "allow" : "deny";
  }

  /** "allow" or "deny": whether {@code role}'s trust policy lets {@code service} assume it in {@code context}. */
  static String trusts(String role, String service, Map<String, String> context) {
    Map<?, ?> trust = (Map<?, ?>) properties(role).get("AssumeRolePolicyDocument");
    for (Object s : list(trust.get("Statement"))) {
      Map<?, ?> statement = (Map<?, ?>) s;
      Object principal = ((Map<?, ?>) statement.get("Principal")).get("Service");
      if ("Allow".equals(statement.get("Effect")) && matchesAny(statement.get("Action"), "sts:AssumeRole")
          && list(principal).stream().map(BootstrapPolicies::text).anyMatch(service::equals)
          && conditionsHold(statement.get("Condition"), context)) {
        return "allow";
      }
    }
    return "deny";
  }

  /** The role's inline policies' statements and those of the template's managed policies it attaches by Ref. */
  static List<Map<?, ?>> statements(String role) {
    Map<?, ?> properties = properties(role);
    List<Object> documents = new ArrayList<>();
    for (Object policy : list(properties.get("Policies"))) {
      documents.add(((Map<?, ?>) policy).get("PolicyDocument"));
    }
    for (Object arn : list(properties.get("ManagedPolicyArns"))) {
      documents.add(properties((String) ((Map<?, ?>) arn).get("Ref")).get("PolicyDocument"));
    }
    List<Map<?, ?>> statements = new ArrayList<>();
    documents.forEach(d -> list(((Map<?, ?>) d).get("Statement")).forEach(s -> statements.add((Map<?, ?>) s)));
    if (statements.isEmpty()) {
      throw new AssertionError("bootstrap.yaml gives " + role + " no policy statement");
    }
    return statements;
  }

  static Map<?, ?> properties(String logicalId) {
    Map<?, ?> resource = (Map<?, ?>) ((Map<?, ?>) BOOTSTRAP.tree().get("Resources")).get(logicalId);
    if (resource == null) {
      throw new AssertionError("bootstrap.yaml has no resource " + logicalId);
    }
    return (Map<?, ?>) resource.get("Properties");
  }

  /** Every operator of a Condition block holds (operators and keys are ANDed, a key's values ORed). */
  private static boolean conditionsHold(Object condition, Map<String, String> context) {
    if (condition == null) {
      return true;
    }
    for (Map.Entry<?, ?> operator : ((Map<?, ?>) condition).entrySet()) {
      String name = ((String) operator.getKey()).replaceFirst("^ForAnyValue:", "");
      for (Map.Entry<?, ?> key : ((Map<?, ?>) operator.getValue()).entrySet()) {
        if (!holds(name, context.get((String) key.getKey()), list(key.getValue()))) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean holds(String operator, String actual, List<?> values) {
    boolean negated = operator.matches("(String|Arn)Not.*");
    boolean ifExists = operator.endsWith("IfExists");
    if (actual == null) {
      return negated || ifExists;
    }
    String base = operator.replaceFirst("IfExists$", "").replaceFirst("Not", "");
    boolean any = values.stream().map(BootstrapPolicies::text).anyMatch(v -> switch (base) {
      case "StringEquals", "ArnEquals", "Bool" -> v.equals(actual);
      case "StringLike", "ArnLike" -> glob(v, false).matcher(actual).matches();
      default -> throw new AssertionError("condition operator " + operator + " is not modelled");
    });
    return negated != any;
  }

  private static boolean matchesAny(Object patterns, String value) {
    return list(patterns).stream().anyMatch(p -> glob(text(p), !value.startsWith("arn:") && !value.equals("*"))
        .matcher(value).matches());
  }

  /** A policy value's text: a literal, a Ref or !Sub over the known names, or !GetAtt of a known attribute. */
  @SuppressWarnings("unchecked")
  static String text(Object value) {
    if (value instanceof String s) {
      return s;
    }
    Map<?, ?> fn = (Map<?, ?>) value;
    if (fn.get("Fn::Sub") instanceof String sub) {
      String result = sub;
      for (Map.Entry<String, String> e : SUBSTITUTIONS.entrySet()) {
        result = result.replace("${" + e.getKey() + "}", e.getValue());
      }
      if (result.contains("${")) {
        throw new AssertionError("unknown ${} in " + sub);
      }
      return result;
    }
    String name = fn.get("Ref") instanceof String ref ? ref : String.join(".", (List<String>) fn.get("Fn::GetAtt"));
    String known = SUBSTITUTIONS.get(name);
    if (known == null) {
      throw new AssertionError("no value known for " + fn);
    }
    return known;
  }

  /** IAM wildcards: * any run of characters, ? one; actions (not ARNs) case-insensitively. */
  private static Pattern glob(String pattern, boolean ignoreCase) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
  }

  static List<?> list(Object value) {
    return value == null ? List.of() : value instanceof List<?> l ? l : List.of(value);
  }
}
