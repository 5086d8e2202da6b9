package com.benchsci.deployer.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.Naming;
import com.benchsci.deployer.core.ProductStack;
import com.benchsci.deployer.template.ParameterFile;
import com.benchsci.deployer.template.Template;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The rehearsal's names pass the templates' own constraints, never meet the product's, and every account-wide name
 * (buckets, hook alias, OIDC provider) is the rehearsal's own, within the limits AWS sets.
 */
class RehearsalIdTest {

  private static final Template BOOTSTRAP = Template.load(Path.of(System.getProperty("repo.root"))
      .resolve("cloudformation/bootstrap.yaml"));
  /** CloudFormation stack names: a letter, then letters, digits and hyphens, at most 128 (CreateStack StackName). */
  private static final Pattern STACK_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,127}");
  /** The longest region name there is (ap-southeast-5 and its kind), for the bucket names' 63 characters. */
  private static final String LONGEST_REGION = "ap-southeast-5";

  @RepeatedTest(20)
  void everyNameFitsWhatItNames() {
    RehearsalId id = RehearsalId.create(new Random());
    assertThat(id.appStack()).matches(STACK_NAME).isNotIn(ProductStack.stackNames());
    assertThat(id.bootstrapStack()).matches(STACK_NAME).isNotIn(ProductStack.stackNames());
    for (String bucket : new String[] {"-artifacts-", "-guard-reports-"}) {
      String name = id.appStack() + bucket + "123456789012-" + LONGEST_REGION;
      assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9][a-z0-9.-]+[a-z0-9]");
      assertThat(id.owns(name)).isTrue();
    }
    Map<String, String> parameters = id.naming().parameters(ProductStack.BOOTSTRAP);
    parameters.forEach((name, value) -> {
      Object pattern = declared(name).get("AllowedPattern");
      assertThat(value).as(name).matches(Pattern.compile(String.valueOf(pattern)));
    });
    assertThat(parameters).containsEntry("AppStackName", id.appStack()).containsEntry("GuardHookAlias",
        id.hookAlias());
    assertThat(id.hookAlias()).isNotEqualTo(declared("GuardHookAlias").get("Default"));
    assertThat(id.oidcProviderHost()).isEqualTo("oidc.circleci.com/org/" + parameters.get("CircleCiOrgId"));
  }

  @Test
  void prodKeepsItsNamesTheRehearsalsParametersHaveProdsValuesAsDefaults() {
    Path cloudformation = Path.of(System.getProperty("repo.root")).resolve("cloudformation");
    Map<String, String> prod = ParameterFile.read(cloudformation.resolve("bootstrap-prod.json"), BOOTSTRAP);
    assertThat(prod).doesNotContainKey("GuardHookAlias").containsEntry("AppStackName", "hello-host");
    assertThat(declared("GuardHookAlias").get("Default")).as("the alias prod's hook always had")
        .isEqualTo("Private::Guard::HelloHostFirewall");
    assertThat(Naming.PRODUCT.stackName(ProductStack.BOOTSTRAP)).isEqualTo("hello-host-bootstrap");
    assertThat(Naming.PRODUCT.stackName(ProductStack.APP)).isEqualTo("hello-host");
    assertThat(Naming.PRODUCT.parameters(ProductStack.BOOTSTRAP)).as("prod's parameter files decide").isEmpty();
  }

  @Test
  void theSameIdGivesTheSameNamesSoASecondInvocationFindsThem() {
    RehearsalId first = new RehearsalId("hello-rh-0a1b2c3d");
    RehearsalId again = new RehearsalId("hello-rh-0a1b2c3d");
    assertThat(again.naming()).isEqualTo(first.naming());
    assertThat(new RehearsalId("hello-rh-0a1b2c3e").circleCiOrgId()).isNotEqualTo(first.circleCiOrgId());
    assertThat(first.owns("hello-rh-0a1b2c3d-artifacts-1-us-east-1")).isTrue();
    assertThat(first.owns("hello-rh-0a1b2c3de-artifacts-1-us-east-1")).isFalse();
    assertThat(first.owns("hello-host-artifacts-1-us-east-1")).isFalse();
  }

  @Test
  void anythingElseIsRefusedInOneLine() {
    for (String bad : new String[] {"hello-host", "hello-rh-0A1B2C3D", "hello-rh-0a1b2c3", " hello-rh-0a1b2c3d"}) {
      assertThatThrownBy(() -> new RehearsalId(bad)).isInstanceOf(DeployException.class)
          .hasMessage("not a rehearsal id: " + bad + " (hello-rh- and 8 hex digits, as the rehearsal printed it)");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> declared(String parameter) {
    Map<String, Object> parameters = (Map<String, Object>) BOOTSTRAP.tree().get("Parameters");
    return (Map<String, Object>) parameters.get(parameter);
  }
}
