package com.benchsci.deployer.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.benchsci.deployer.core.DeployException;
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
  void parameterDefaultsAreTheStringsCloudFormationPasses() throws IOException {
    Path file = dir.resolve("defaults.yaml");
    Files.writeString(file, """
        Parameters:
          InstanceType: {Type: String, Default: t4g.nano}
          HostGeneration: {Type: Number, Default: 0}
          Environment: {Type: String}
        Resources:
          Ip: {Type: AWS::EC2::EIP}
        """);
    assertThat(Template.load(file).parameterDefaults())
        .containsExactly(Map.entry("InstanceType", "t4g.nano"), Map.entry("HostGeneration", "0"));
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
