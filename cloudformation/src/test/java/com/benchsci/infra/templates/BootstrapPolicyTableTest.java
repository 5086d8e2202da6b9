package com.benchsci.infra.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.template.Template;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CircleCI roles' permissions as a table of allowed and denied requests, checked against the IAM policies in
 * bootstrap.yaml (inline and the managed policy the roles attach). The evaluation is IAM's for what the table
 * needs: an explicit Deny wins, then an Allow whose action and resource patterns match, else denied. Conditions
 * are not evaluated: an Allow counts whatever its condition (so "denied" here holds under any condition), a
 * conditional Deny counts for nothing. Account 123456789012, us-east-1, app stack hello-host.
 */
class BootstrapPolicyTableTest {

  private static final Template BOOTSTRAP =
      Template.load(Path.of(System.getProperty("repo.root"), "cloudformation", "bootstrap.yaml"));
  private static final String STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/hello-host/1";
  private static final String BOOTSTRAP_STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/hello-host-bootstrap/1";
  private static final String BUCKET = "arn:aws:s3:::hello-host-artifacts-123456789012-us-east-1";
  private static final Map<String, String> SUBSTITUTIONS = Map.of("AWS::Partition", "aws", "AWS::Region",
      "us-east-1", "AWS::AccountId", "123456789012", "AWS::StackName", "hello-host-bootstrap", "AWS::URLSuffix",
      "amazonaws.com", "AppStackName", "hello-host", "ArtifactBucket.Arn", BUCKET);

  @ParameterizedTest(name = "{0} {1} {2}: {3}")
  @CsvSource({
      // The review role runs any branch's code: it may preview, never change or delete.
      "ReviewRole, cloudformation:CreateChangeSet, STACK, allow",
      "ReviewRole, cloudformation:DescribeChangeSet, STACK, allow",
      "ReviewRole, cloudformation:DeleteChangeSet, STACK, allow",
      "ReviewRole, cloudformation:DescribeStacks, BOOTSTRAP_STACK, allow",
      "ReviewRole, ssm:GetParameter, arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64, allow",
      "ReviewRole, s3:GetObject, BUCKET/vertx-app/abc.jar, allow",
      "ReviewRole, cloudformation:ExecuteChangeSet, STACK, deny",
      "ReviewRole, cloudformation:DeleteStack, STACK, deny",
      "ReviewRole, cloudformation:UpdateStack, STACK, deny",
      "ReviewRole, cloudformation:UpdateTerminationProtection, STACK, deny",
      "ReviewRole, cloudformation:ExecuteChangeSet, BOOTSTRAP_STACK, deny",
      "ReviewRole, ec2:TerminateInstances, *, deny",
      "ReviewRole, ec2:ReleaseAddress, *, deny",
      "ReviewRole, ec2:DeleteSecurityGroup, *, deny",
      "ReviewRole, iam:DeleteRole, arn:aws:iam::123456789012:role/hello-host-InstanceRole, deny",
      "ReviewRole, s3:PutObject, BUCKET/vertx-app/abc.jar, deny",
      "ReviewRole, s3:DeleteObject, BUCKET/vertx-app/abc.jar, deny",
      "ReviewRole, ssm:GetParameter, arn:aws:ssm:us-east-1:123456789012:parameter/secret, deny",
      // The deploy role (master only) changes the app stack through CloudFormation, never the bootstrap stack.
      "DeployRole, cloudformation:ExecuteChangeSet, STACK, allow",
      "DeployRole, cloudformation:UpdateTerminationProtection, STACK, allow",
      "DeployRole, s3:PutObject, BUCKET/vertx-app/abc.jar, allow",
      "DeployRole, ssm:GetParameter, arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64, allow",
      "DeployRole, cloudformation:ExecuteChangeSet, BOOTSTRAP_STACK, deny",
      "DeployRole, cloudformation:DeleteStack, BOOTSTRAP_STACK, deny",
      "DeployRole, ec2:ReleaseAddress, *, deny",
      "DeployRole, s3:DeleteObject, BUCKET/vertx-app/abc.jar, deny",
      "DeployRole, iam:CreateRole, arn:aws:iam::123456789012:role/someone-else, deny",
      "DeployRole, iam:PassRole, arn:aws:iam::123456789012:role/someone-else, deny",
  })
  void theRolesMayDoExactlyWhatTheTableSays(String role, String action, String resource, String expected) {
    String arn = resource.replace("BOOTSTRAP_STACK", BOOTSTRAP_STACK).replace("STACK", STACK)
        .replace("BUCKET", BUCKET);
    assertThat(decide(role, action, arn)).isEqualTo(expected);
  }

  /** "allow" or "deny", as IAM decides from the role's identity policies (conditions aside, see above). */
  private static String decide(String role, String action, String resource) {
    boolean allowed = false;
    for (Map<?, ?> statement : statements(role)) {
      boolean matches = matchesAny(statement.get("Action"), action) && matchesAny(statement.get("Resource"), resource);
      if (matches && "Deny".equals(statement.get("Effect")) && statement.get("Condition") == null) {
        return "deny";
      }
      allowed |= matches && "Allow".equals(statement.get("Effect"));
    }
    return allowed ? "allow" : "deny";
  }

  /** The role's inline policies and the template's managed policies it attaches by Ref. */
  private static List<Map<?, ?>> statements(String role) {
    Map<?, ?> properties = (Map<?, ?>) resource(role).get("Properties");
    List<Object> documents = new ArrayList<>();
    for (Object policy : list(properties.get("Policies"))) {
      documents.add(((Map<?, ?>) policy).get("PolicyDocument"));
    }
    for (Object arn : list(properties.get("ManagedPolicyArns"))) {
      Object ref = ((Map<?, ?>) arn).get("Ref");
      documents.add(((Map<?, ?>) resource((String) ref).get("Properties")).get("PolicyDocument"));
    }
    List<Map<?, ?>> statements = new ArrayList<>();
    documents.forEach(d -> list(((Map<?, ?>) d).get("Statement")).forEach(s -> statements.add((Map<?, ?>) s)));
    assertThat(statements).as("statements of %s", role).isNotEmpty();
    return statements;
  }

  private static Map<?, ?> resource(String logicalId) {
    return (Map<?, ?>) ((Map<?, ?>) BOOTSTRAP.tree().get("Resources")).get(logicalId);
  }

  private static boolean matchesAny(Object patterns, String value) {
    return list(patterns).stream().anyMatch(p -> glob(text(p)).matcher(value).matches());
  }

  /** A pattern's text: a literal, !Sub over the known names, or !GetAtt ArtifactBucket.Arn. */
  private static String text(Object pattern) {
    if (pattern instanceof String s) {
      return s;
    }
    Map<?, ?> fn = (Map<?, ?>) pattern;
    if (fn.get("Fn::Sub") instanceof String sub) {
      String result = sub;
      for (Map.Entry<String, String> e : SUBSTITUTIONS.entrySet()) {
        result = result.replace("${" + e.getKey() + "}", e.getValue());
      }
      assertThat(result).as("every ${} known").doesNotContain("${");
      return result;
    }
    assertThat(fn.get("Fn::GetAtt")).isEqualTo(List.of("ArtifactBucket", "Arn"));
    return BUCKET;
  }

  /** IAM wildcards: * any run of characters, ? one; actions case-insensitively. */
  private static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(regex.toString(), pattern.contains(":") && !pattern.startsWith("arn:")
        ? Pattern.CASE_INSENSITIVE : 0);
  }

  private static List<?> list(Object value) {
    return value == null ? List.of() : value instanceof List<?> l ? l : List.of(value);
  }

}
