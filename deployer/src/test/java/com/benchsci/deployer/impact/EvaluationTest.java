package com.benchsci.deployer.impact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Intrinsic functions evaluated as far as their inputs are known, and what stays unknown compared honestly: the
 * same unknown on both sides is no change, a replaced resource's id is a change, an attribute of an updated one
 * may be either.
 */
class EvaluationTest {

  private static final Map<String, Object> TEMPLATE = new Yaml().load(String.join("\n",
      "Parameters:",
      "  Env: {Type: String, Default: prod}",
      "  Type: {Type: String}",
      "  Names: {Type: CommaDelimitedList, Default: 'a,b'}",
      "Mappings:",
      "  Arch: {t4g.nano: {Is: arm64}, t3.nano: {Is: x86_64}}",
      "Conditions:",
      "  IsArm: {Fn::Equals: [{Fn::FindInMap: [Arch, {Ref: Type}, Is]}, arm64]}",
      "  IsProd: {Fn::Equals: [{Ref: Env}, prod]}",
      "  Both: {Fn::And: [{Condition: IsArm}, {Condition: IsProd}]}",
      "Resources:",
      "  Bucket: {Type: AWS::S3::Bucket}",
      "  Thing:",
      "    Type: AWS::Some::Thing",
      "    Properties:",
      "      Arn: {Fn::Sub: 'arn:${AWS::Partition}:s3:::${Env}-${AWS::AccountId}/${Bucket}'}",
      "      Image: {Fn::If: [IsArm, arm-image, x86-image]}",
      "      Maybe: {Fn::If: [Both, {Ref: AWS::NoValue}, kept]}",
      "      Zone: {Fn::Select: [0, {Fn::GetAZs: ''}]}",
      "      Second: {Fn::Select: [1, {Ref: Names}]}",
      "      Script: {Fn::Base64: {Fn::Sub: 'echo ${AWS::Region}'}}",
      "      BucketArn: {Fn::GetAtt: [Bucket, Arn]}",
      "      Secret: '{{resolve:ssm:/x}}'"));

  @Test
  void knownInputsGiveKnownValues() {
    Map<String, Object> thing = evaluate(Map.of("Type", "t4g.nano"), "us-east-1", id -> Fate.KEPT);
    assertThat(thing.get("Image")).isEqualTo("arm-image");
    assertThat(thing.get("Second")).isEqualTo("b");
    assertThat(thing.get("Script")).isEqualTo(Base64.getEncoder().encodeToString("echo us-east-1"
        .getBytes(StandardCharsets.UTF_8)));
    assertThat(thing).doesNotContainKey("Maybe"); // AWS::NoValue: the key is gone
    assertThat(evaluate(Map.of("Type", "t3.nano", "Env", "dev"), "us-east-1", id -> Fate.KEPT).get("Maybe"))
        .isEqualTo("kept");
  }

  @Test
  void theUnknownsKeepTheirPlaceAndThePartitionFollowsTheRegion() {
    Map<String, Object> china = evaluate(Map.of("Type", "t4g.nano"), "cn-north-1", id -> Fate.KEPT);
    assertThat(china.get("Arn")).isEqualTo(new Opaque("arn:aws-cn:s3:::prod-${AWS::AccountId}/${Bucket}",
        Opaque.Kind.STABLE));
    assertThat(china.get("Zone")).isEqualTo(new Opaque("Fn::Select(0, ${Fn::GetAZs })", Opaque.Kind.STABLE));
    assertThat(china.get("Secret")).isEqualTo(Opaque.stable("dynamic reference {{resolve:ssm:/x}}"));
  }

  @Test
  void aConditionOnAnUnknownValueIsUndecided() {
    Evaluation unknownType = new Evaluation(TEMPLATE, Map.of(), "us-east-1", id -> Fate.KEPT);
    assertThat(unknownType.condition("IsArm")).isNull();
    assertThat(unknownType.condition("IsProd")).isTrue();
    assertThat(unknownType.condition("Both")).isNull();
    assertThat(unknownType.properties("Thing").get("Image")).isEqualTo(Opaque.open("Fn::If IsArm"));
  }

  @Test
  void unknownsCompareByWhatTheChangeDoesToWhatTheyNameAndByTheirKnownText() {
    Map<String, Object> before = evaluate(Map.of("Type", "t4g.nano"), "us-east-1", id -> Fate.KEPT);
    Map<String, Object> kept = evaluate(Map.of("Type", "t4g.nano"), "us-east-1", id -> Fate.KEPT);
    assertThat(Comparison.of(before, kept)).isEqualTo(Comparison.SAME);

    Map<String, Object> otherEnv = evaluate(Map.of("Type", "t4g.nano", "Env", "dev"), "us-east-1", id -> Fate.KEPT);
    assertThat(Comparison.of(before.get("Arn"), otherEnv.get("Arn"))).isEqualTo(Comparison.DIFFERENT);

    Map<String, Object> replaced = evaluate(Map.of("Type", "t4g.nano"), "us-east-1", id -> Fate.REPLACED);
    assertThat(Comparison.of(before.get("Arn"), replaced.get("Arn"))).isEqualTo(Comparison.DIFFERENT);
    assertThat(Comparison.of(before.get("BucketArn"), replaced.get("BucketArn"))).isEqualTo(Comparison.DIFFERENT);

    Map<String, Object> updated = evaluate(Map.of("Type", "t4g.nano"), "us-east-1", id -> Fate.UPDATED);
    assertThat(Comparison.of(before.get("Arn"), updated.get("Arn"))).isEqualTo(Comparison.SAME);
    assertThat(Comparison.of(before.get("BucketArn"), updated.get("BucketArn"))).isEqualTo(Comparison.UNKNOWN);

    assertThat(Comparison.differences(before, replaced)).extracting(Comparison.Difference::pathText)
        .containsExactly("Arn", "BucketArn");
    assertThat(Comparison.of(List.of("a"), List.of("a", "b"))).isEqualTo(Comparison.DIFFERENT);
    assertThat(Comparison.of(8, "8")).isEqualTo(Comparison.SAME);
  }

  private static Map<String, Object> evaluate(Map<String, String> parameters, String region,
      java.util.function.Function<String, Fate> fates) {
    return new Evaluation(TEMPLATE, parameters, region, fates).properties("Thing");
  }
}
