package com.benchsci.deployer.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.benchsci.deployer.cli.Cli;
import com.benchsci.deployer.cli.ExitCode;
import com.benchsci.deployer.core.AwsClients;
import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.emulator.MotoServer;
import com.benchsci.deployer.template.ParameterFile;
import com.benchsci.deployer.template.Template;
import com.benchsci.deployer.testing.Tools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Nobody rehearses on prod by accident: {@code --env prod} is refused before anything is reached, and an account that
 * carries prod's marker, the CircleCI OIDC provider that bootstrap-prod.json names, is refused in one line (shown
 * here on moto's IAM; the rehearsal asks only AWS, since a local deploy makes that provider on the emulator too).
 */
class ProdMarkersMotoTest {

  private static MotoServer moto;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start(Tools.cache(), Path.of("target/moto-prod-markers-test.log"));
  }

  @AfterAll
  static void stopMoto() {
    moto.close();
  }

  @Test
  void prodIsRefusedInOneLineBeforeAnythingIsReached() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Cli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int exit = cli.execute("rehearse", "--env", "prod");

    assertThat(exit).isEqualTo(ExitCode.FAILED.code());
    assertThat(err.toString()).isEqualTo("ERROR: the rehearsal never runs on prod (--env prod / -Dcfn.env=prod): it"
        + " creates, breaks and deletes stacks; use --env sandbox (-Dcfn.env=sandbox) with credentials of a sandbox"
        + " account, or the local emulator (the default)" + System.lineSeparator());
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void anAccountWithProdsOidcProviderIsTheProdAccount() {
    Path cloudformation = RehearsalMoto.REPO.resolve("cloudformation");
    String prodOrgId = ParameterFile.read(cloudformation.resolve("bootstrap-prod.json"),
        Template.load(cloudformation.resolve("bootstrap.yaml"))).get("CircleCiOrgId");
    StringWriter out = new StringWriter();
    try (AwsClients aws = RehearsalMoto.clients(moto.endpoint())) {
      ProdMarkers.refuse(aws, prodOrgId, new PrintWriter(out, true));
      assertThat(out.toString()).contains("Not the prod account: no CircleCI OIDC provider oidc.circleci.com/org/"
          + prodOrgId);

      String arn = aws.iam().createOpenIDConnectProvider(r -> r.url("https://oidc.circleci.com/org/" + prodOrgId)
          .clientIDList(prodOrgId).thumbprintList("0".repeat(40))).openIDConnectProviderArn();

      assertThatThrownBy(() -> ProdMarkers.refuse(aws, prodOrgId, new PrintWriter(out, true)))
          .isInstanceOf(DeployException.class)
          .hasMessage("this is the prod account: it holds the CircleCI OIDC provider " + arn + " that"
              + " cloudformation/bootstrap-prod.json names; the rehearsal runs only on a sandbox account");
    }
  }
}
