package com.benchsci.deployer.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.check.GuardCheck;
import com.benchsci.deployer.template.Template;
import com.benchsci.deployer.template.Violation;
import com.benchsci.deployer.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change set that the Guard Hook must refuse on AWS really breaks the policy: the real stack.yaml with one
 * ingress rule more, which the same rules the hook runs (guard-rules/, real cfn-guard) refuse for that rule and
 * nothing else.
 */
@Tag("emulator")
class HookRefusalTest {

  private static final Path REPO = Path.of(System.getProperty("repo.root"));

  @TempDir
  Path dir;

  @Test
  void theViolatingTemplateIsStackYamlWithPort8080OpenAndOnlyThatBreaksThePolicy() throws IOException {
    Template app = Template.load(REPO.resolve("cloudformation/stack.yaml"));
    Path violating = Files.writeString(dir.resolve("stack.yaml"), HookRefusal.violating(app));
    Template changed = Template.load(violating);

    assertThat(ingress(changed)).hasSize(ingress(app).size() + 1).first()
        .isEqualTo(Map.of("IpProtocol", "tcp", "FromPort", 8080, "ToPort", 8080, "CidrIp", "0.0.0.0/0",
            "Description", "Opened by the rehearsal for the Guard Hook to refuse"));
    assertThat(ingress(changed).subList(1, ingress(changed).size())).isEqualTo(ingress(app));
    List<Violation> violations = new GuardCheck(Tools.cache().cfnGuard(), REPO.resolve("guard-rules"))
        .validate(violating);
    assertThat(violations).extracting(Violation::resource, Violation::rule)
        .containsExactly(org.assertj.core.api.Assertions.tuple("WebSecurityGroup", "SG_INGRESS_POLICY"));
  }

  @SuppressWarnings("unchecked")
  private static List<Object> ingress(Template template) {
    Map<String, Object> resources = (Map<String, Object>) template.tree().get("Resources");
    Map<String, Object> group = (Map<String, Object>) resources.get("WebSecurityGroup");
    return (List<Object>) ((Map<String, Object>) group.get("Properties")).get("SecurityGroupIngress");
  }
}
