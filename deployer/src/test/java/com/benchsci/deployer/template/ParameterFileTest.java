package com.benchsci.deployer.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.benchsci.deployer.core.DeployException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parameter values against the constraints their template declares, checked before anything reaches AWS. */
class ParameterFileTest {

  @TempDir
  Path dir;

  private Template template;

  @BeforeEach
  void template() throws IOException {
    Path file = dir.resolve("stack.yaml");
    Files.writeString(file, """
        Parameters:
          ImageId: {Type: String, AllowedPattern: "ami-[0-9a-f]{8,17}"}
          Name: {Type: String, MinLength: 3, MaxLength: 8}
          Size: {Type: Number, MinValue: 8, MaxValue: 64, Default: 8}
          Environment: {Type: String, AllowedValues: [local, prod]}
          Subnets: {Type: "List<AWS::EC2::Subnet::Id>"}
        Resources:
          Ip: {Type: AWS::EC2::EIP}
        """);
    template = Template.load(file);
  }

  private Path parameters(String key, String value) throws IOException {
    Path file = dir.resolve("stack-local.json");
    Files.writeString(file, "[{\"ParameterKey\": \"" + key + "\", \"ParameterValue\": \"" + value + "\"}]");
    return file;
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ImageId | ami-0abc12345678 | ",
      "ImageId | ami-0ABC12345678 | does not match AllowedPattern ami-[0-9a-f]{8,17}",
      "ImageId | xami-0abc12345678 | does not match AllowedPattern ami-[0-9a-f]{8,17}",
      "Name | abc | ",
      "Name | ab | is shorter than MinLength 3",
      "Name | abcdefghi | is longer than MaxLength 8",
      "Size | 64 | ",
      "Size | 7 | is below MinValue 8",
      "Size | 65.5 | is above MaxValue 64",
      "Size | eight | is not a Number",
      "Environment | prod | ",
      "Environment | Prod | is not one of AllowedValues [local, prod]",
      "Subnets | anything, left to CloudFormation | "})
  void eachValueIsCheckedAgainstItsDeclaration(String key, String value, String broken) throws IOException {
    Path file = parameters(key, value);
    if (broken == null) {
      assertThat(ParameterFile.read(file, template)).containsEntry(key, value);
    } else {
      assertThatThrownBy(() -> ParameterFile.read(file, template)).isInstanceOf(DeployException.class)
          .hasMessage(file + ": parameter " + key + " = \"" + value + "\" " + broken
              + " (declared in stack.yaml): nothing was sent to AWS");
    }
  }
}
