package com.benchsci.hostharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntrinsicsTest {

  private static final Map<String, Object> TEMPLATE = Map.of(
      "Parameters", Map.of(
          "InstanceType", Map.of("Type", "String", "Default", "t4g.nano"),
          "Environment", Map.of("Type", "String"),
          "HostGeneration", Map.of("Type", "Number", "Default", 0)),
      "Mappings", Map.of("InstanceArchitecture", Map.of(
          "t4g.nano", Map.of("Arch", "arm64"),
          "t3.nano", Map.of("Arch", "x86_64"))),
      "Conditions", Map.of(
          "IsArm64", Map.of("Fn::Equals", List.of(
              Map.of("Fn::FindInMap", List.of("InstanceArchitecture", Map.of("Ref", "InstanceType"), "Arch")),
              "arm64")),
          "IsFirstGeneration", Map.of("Fn::Equals", List.of(Map.of("Ref", "HostGeneration"), "0")),
          "IsX86", Map.of("Fn::Not", List.of(Map.of("Condition", "IsArm64"))),
          "IsArmAndFirst", Map.of("Fn::And", List.of(Map.of("Condition", "IsArm64"),
              Map.of("Condition", "IsFirstGeneration"))),
          "IsX86OrFirst", Map.of("Fn::Or", List.of(Map.of("Condition", "IsX86"),
              Map.of("Condition", "IsFirstGeneration")))),
      "Resources", Map.of("Role", Map.of("Type", "AWS::IAM::Role")));

  private static final Intrinsics STACK = Intrinsics.of(TEMPLATE, new Intrinsics.StackValues(
      Map.of("AWS::StackName", "hello-host", "AWS::Region", "eu-west-1", "AWS::URLSuffix", "amazonaws.com"),
      Map.of("InstanceType", "t3.nano", "Environment", "prod", "HostGeneration", "2"),
      Map.of("Role", "hello-host-InstanceRole-ABC123")));

  @Test
  void subReplacesParametersPseudoParametersResourcesAndItsOwnVariables() {
    Object sub = Map.of("Fn::Sub", List.of(
        "${Environment} ${AWS::StackName} in ${AWS::Region}.${AWS::URLSuffix} as ${Role}, ${Extra}, ${!Literal}",
        Map.of("Extra", Map.of("Ref", "InstanceType"))));

    assertThat(STACK.string(sub, "x")).isEqualTo(
        "prod hello-host in eu-west-1.amazonaws.com as hello-host-InstanceRole-ABC123, t3.nano, ${Literal}");
  }

  @Test
  void ifTakesTheBranchOfItsConditionWithTheStacksValues() {
    Object image = Map.of("Fn::If", List.of("IsArm64", "arm-image", "x86-image"));

    assertThat(STACK.evaluate(image, "x")).isEqualTo("x86-image");
    assertThat(Intrinsics.stub(TEMPLATE).evaluate(image, "x")).as("the Default t4g.nano is arm64")
        .isEqualTo("arm-image");
    assertThat(STACK.evaluate(Map.of("Fn::If", List.of("IsX86", "yes", "no")), "x")).isEqualTo("yes");
    assertThat(STACK.evaluate(Map.of("Fn::If", List.of("IsArmAndFirst", "yes", "no")), "x")).isEqualTo("no");
    assertThat(STACK.evaluate(Map.of("Fn::If", List.of("IsX86OrFirst", "yes", "no")), "x")).isEqualTo("yes");
  }

  @Test
  void noValueRemovesThePropertyOrElementItIsTheValueOf() {
    Object node = Map.of(
        "Description", Map.of("Fn::If", List.of("IsFirstGeneration", "first", Map.of("Ref", "AWS::NoValue"))),
        "List", List.of("a", Map.of("Ref", "AWS::NoValue"), "b"));

    assertThat(STACK.evaluate(node, "x")).isEqualTo(Map.of("List", List.of("a", "b")));
  }

  @Test
  void findInMapJoinAndBase64() {
    Object arch = Map.of("Fn::FindInMap", List.of("InstanceArchitecture", Map.of("Ref", "InstanceType"), "Arch"));
    Object joined = Map.of("Fn::Join", List.of("-", List.of("a", arch, Map.of("Ref", "Environment"))));

    assertThat(STACK.evaluate(arch, "x")).isEqualTo("x86_64");
    assertThat(STACK.evaluate(joined, "x")).isEqualTo("a-x86_64-prod");
    assertThat(new String(Base64.getDecoder().decode(STACK.string(Map.of("Fn::Base64", joined), "x")),
        StandardCharsets.UTF_8)).isEqualTo("a-x86_64-prod");
  }

  @Test
  void aFunctionItDoesNotEvaluateIsRefusedNamingWhereItIs() {
    assertThatThrownBy(() -> STACK.evaluate(Map.of("Files", Map.of("Fn::GetAtt", List.of("Role", "Arn"))), "Meta"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Meta.Files.Fn::GetAtt: Fn::GetAtt is not"
            + " evaluated by the host harness");
    assertThatThrownBy(() -> STACK.evaluate(Map.of("Fn::Sub", "${Role.Arn}"), "Meta"))
        .hasMessageContaining("${Role.Arn} is a Fn::GetAtt");
    assertThatThrownBy(() -> STACK.evaluate(Map.of("Fn::FindInMap", List.of("InstanceArchitecture", "m5.large",
        "Arch")), "Meta")).hasMessageContaining("Mappings has no InstanceArchitecture.m5.large.Arch");
    assertThatThrownBy(() -> STACK.evaluate(Map.of("Fn::If", List.of("Nope", 1, 2)), "Meta"))
        .hasMessageContaining("condition Nope is not in the template's Conditions");
  }

  @Test
  void aRefWithoutAValueIsRefused() {
    assertThatThrownBy(() -> STACK.evaluate(Map.of("Ref", "AWS::AccountId"), "Meta"))
        .hasMessage("Meta: Ref to AWS::AccountId, which the stack has no value for");
    assertThatThrownBy(() -> Intrinsics.stub(TEMPLATE).evaluate(Map.of("Ref", "Environment"), "Meta"))
        .hasMessage("Meta: parameter Environment has no Default and no stand-in value");
    assertThat(Intrinsics.stub(TEMPLATE).evaluate(Map.of("Ref", "Role"), "Meta")).isEqualTo("stub-Role");
  }
}
