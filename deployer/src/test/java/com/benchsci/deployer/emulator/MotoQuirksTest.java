package com.benchsci.deployer.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.template.Template;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outputs moto does not compute, derived only where they follow from the stack's resources. */
class MotoQuirksTest {

  @TempDir
  Path dir;

  @Test
  void outputsFollowFromResourceIdsWhereTheyOnlyReferToResources() throws IOException {
    Path file = dir.resolve("stack.yaml");
    Files.writeString(file, """
        Resources:
          Ip: {Type: AWS::EC2::EIP}
          Host: {Type: AWS::EC2::Instance}
        Outputs:
          Url: {Value: !Sub "http://${Ip}/"}
          PublicIp: {Value: !Ref Ip}
          Zone: {Value: !GetAtt Host.AvailabilityZone}
          Shell: {Value: !Sub "aws ssm start-session --target ${Host} --region ${AWS::Region}"}
        """);
    Map<String, Object> outputs = Template.load(file).outputValues();
    Map<String, String> ids = Map.of("Ip", "203.0.113.7", "Host", "i-0abc", "AWS::Region", "eu-west-1");
    assertThat(MotoQuirks.resolve(outputs.get("Url"), ids)).isEqualTo("http://203.0.113.7/");
    assertThat(MotoQuirks.resolve(outputs.get("PublicIp"), ids)).isEqualTo("203.0.113.7");
    assertThat(MotoQuirks.resolve(outputs.get("Shell"), ids))
        .isEqualTo("aws ssm start-session --target i-0abc --region eu-west-1");
    assertThat(MotoQuirks.resolve(outputs.get("Zone"), ids)).as("attributes are not guessed").isNull();
    assertThat(MotoQuirks.resolve(outputs.get("Url"), Map.of())).isNull();
  }
}
