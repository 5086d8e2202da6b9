package com.benchsci.deployer.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.benchsci.deployer.DeployException;
import com.benchsci.deployer.stack.StackOutputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateTest {

  @TempDir
  Path dir;

  private Template template() throws IOException {
    Path file = dir.resolve("stack.yaml");
    Files.writeString(file, """
        Parameters:
          Environment: {Type: String}
        Resources:
          Ip: {Type: AWS::EC2::EIP}
          Host: {Type: AWS::EC2::Instance}
        Outputs:
          Url: {Value: !Sub "http://${Ip}/"}
          PublicIp: {Value: !Ref Ip}
          Zone: {Value: !GetAtt Host.AvailabilityZone}
          Shell: {Value: !Sub "aws ssm start-session --target ${Host} --region ${AWS::Region}"}
        """);
    return Template.load(file);
  }

  @Test
  void readsShortFormIntrinsicsAsTheLongForm() throws IOException {
    Template t = template();
    assertThat(t.parameterNames()).containsExactly("Environment");
    assertThat(t.outputValues()).containsEntry("PublicIp", Map.of("Ref", "Ip"))
        .containsEntry("Zone", Map.of("Fn::GetAtt", java.util.List.of("Host", "AvailabilityZone")));
  }

  @Test
  void outputsFollowFromResourceIdsWhereTheyOnlyReferToResources() throws IOException {
    Map<String, Object> outputs = template().outputValues();
    Map<String, String> ids = Map.of("Ip", "203.0.113.7", "Host", "i-0abc", "AWS::Region", "eu-west-1");
    assertThat(StackOutputs.resolve(outputs.get("Url"), ids)).isEqualTo("http://203.0.113.7/");
    assertThat(StackOutputs.resolve(outputs.get("PublicIp"), ids)).isEqualTo("203.0.113.7");
    assertThat(StackOutputs.resolve(outputs.get("Shell"), ids))
        .isEqualTo("aws ssm start-session --target i-0abc --region eu-west-1");
    assertThat(StackOutputs.resolve(outputs.get("Zone"), ids)).as("attributes are not guessed").isNull();
    assertThat(StackOutputs.resolve(outputs.get("Url"), Map.of())).isNull();
  }

  @Test
  void aMissingTemplateIsOneLineNamingTheFile() {
    assertThatThrownBy(() -> Template.load(dir.resolve("nope.yaml")))
        .isInstanceOf(DeployException.class).hasMessage("template not found: " + dir.resolve("nope.yaml"));
  }

  @Test
  void aParameterFileKeyTheTemplateDoesNotDeclareIsRefused() throws IOException {
    Path file = dir.resolve("stack-local.json");
    Files.writeString(file, "[{\"ParameterKey\": \"Environment\", \"ParameterValue\": \"local\"},"
        + " {\"ParameterKey\": \"InstanceTyp\", \"ParameterValue\": \"t4g.micro\"}]");
    assertThatThrownBy(() -> ParameterFile.read(file, template()))
        .isInstanceOf(DeployException.class)
        .hasMessage("unknown parameter InstanceTyp in " + file + ": stack.yaml declares [Environment]");
  }

  @Test
  void parameterFilesUseTheAwsCliFormat() throws IOException {
    Path file = dir.resolve("stack-local.json");
    Files.writeString(file, "[{\"ParameterKey\": \"Environment\", \"ParameterValue\": \"local\"}]");
    assertThat(ParameterFile.read(file, template())).containsExactly(Map.entry("Environment", "local"));
  }
}
