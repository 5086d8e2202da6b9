package com.benchsci.hostharness.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cfn-hup.conf and the hooks, read as AWS's cfn-hup reference and aws-cfn-bootstrap's update_hooks.py read them. */
class CfnHupConfigTest {

  @TempDir
  Path dir;
  private StandInLog log;

  @BeforeEach
  void hooks() throws IOException {
    log = new StandInLog(dir.resolve("cfn-hup.log"), true);
    Files.createDirectories(dir.resolve("hooks.d"));
    Files.writeString(dir.resolve("hooks.d/reload.conf"), """
        [reload]
        triggers=post.add, post.update
        path=Resources.Web.Metadata.AWS::CloudFormation::Init
        action=/opt/aws/bin/cfn-init -v --stack s --resource Web
        runas=root
        """);
  }

  @Test
  void intervalIsInMinutesDefaultsTo15AndMustBeAtLeast1() throws IOException {
    assertThat(main("stack=s\n").intervalMinutes()).isEqualTo(15);
    assertThat(main("stack=s\ninterval=1\n").intervalMinutes()).isEqualTo(1);
    assertThatThrownBy(() -> main("stack=s\ninterval=0\n").intervalMinutes())
        .hasMessage("Invalid interval (must be 1 minute or greater): 0");
    assertThatThrownBy(() -> main("stack=s\ninterval=0.5\n").intervalMinutes()).hasMessageContaining("0.5");
  }

  @Test
  void umaskIsOctalWithOrWithoutALeadingZeroAndDefaultsTo022() throws IOException {
    assertThat(main("stack=s\n").umask()).isEqualTo(0022);
    assertThat(main("stack=s\numask=077\n").umask()).isEqualTo(0077);
    assertThat(main("stack=s\numask=27\n").umask()).isEqualTo(0027);
    assertThatThrownBy(() -> main("stack=s\numask=1000\n").umask()).hasMessageContaining("out of range");
    assertThatThrownBy(() -> main("stack=s\numask=9\n").umask()).hasMessageContaining("Invalid octal value");
  }

  @Test
  void regionDefaultsToUsEast1AndVerboseIsABoolean() throws IOException {
    CfnHupConfig config = main("stack=arn:aws:cloudformation:eu-west-1:1:stack/s/1\nregion=eu-west-1\nverbose=true\n");
    assertThat(config.stack()).isEqualTo("arn:aws:cloudformation:eu-west-1:1:stack/s/1");
    assertThat(config.region()).isEqualTo("eu-west-1");
    assertThat(config.verbose()).isTrue();
    assertThat(main("stack=s\n").region()).isEqualTo("us-east-1");
    assertThat(main("stack=s\n").verbose()).isFalse();
  }

  @Test
  void hooksOfHooksConfAndHooksDAreOneNamespaceTheLaterFileWinning() throws IOException {
    Files.writeString(dir.resolve("hooks.conf"), """
        [reload]
        triggers=post.remove
        path=Resources.Other
        action=true
        [second]
        ; a comment
        triggers=post.update
        path=Resources.Web.PhysicalResourceId
        action=echo
          continued
        """);

    CfnHupConfig config = main("stack=s\n");

    assertThat(config.hooks()).containsExactly(
        new CfnHupConfig.Hook("reload", java.util.List.of("post.add", "post.update"),
            "Resources.Web.Metadata.AWS::CloudFormation::Init", "/opt/aws/bin/cfn-init -v --stack s --resource Web",
            "root"),
        new CfnHupConfig.Hook("second", java.util.List.of("post.update"), "Resources.Web.PhysicalResourceId",
            "echo\ncontinued", null));
  }

  @Test
  void aHookWithoutItsActionIsLeftOutAndNoValidHookStopsCfnHup() throws IOException {
    Files.writeString(dir.resolve("hooks.d/reload.conf"), "[reload]\ntriggers=post.update\npath=Resources.Web\n");

    assertThatThrownBy(() -> main("stack=s\n")).hasMessage("No valid hooks found");
    assertThat(dir.resolve("cfn-hup.log")).content().contains("[ERROR] No action specified for hook reload");
  }

  @Test
  void aMissingStackOrMainFileStopsCfnHup() throws IOException {
    assertThatThrownBy(() -> main("region=us-east-1\n")).hasMessage("[main] section must contain stack option");
    Files.delete(dir.resolve("cfn-hup.conf"));
    assertThatThrownBy(() -> CfnHupConfig.read(dir, log)).hasMessageStartingWith("Could not find main configuration");
  }

  private CfnHupConfig main(String options) throws IOException {
    Files.writeString(dir.resolve("cfn-hup.conf"), "[main]\n" + options);
    return CfnHupConfig.read(dir, log);
  }
}
