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
import com.benchsci.deployer.testing.MotoPool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The rehearsal as a user runs it without an AWS account: {@code deployer rehearse} against a real moto server (a
 * fresh one, the account empty). Every step moto can do runs for real and passes; the others say why they are not
 * possible on this endpoint; afterwards nothing of the rehearsal is left on moto. And nobody rehearses on prod by
 * accident: {@code --env prod} is refused before anything is reached, and an account that carries prod's marker, the
 * CircleCI OIDC provider that bootstrap-prod.json names, is refused in one line (shown on moto's IAM; the rehearsal
 * asks only AWS, since a local deploy makes that provider on the emulator too).
 */
@Tag("emulator")
class RehearsalMotoTest {

  /** The table's result for each step on moto, and what its detail must say. */
  private static final Map<Step, String> ON_MOTO = Map.ofEntries(
      Map.entry(Step.CREATE, "passed  +stacks hello-rh-\\w+-bootstrap and hello-rh-\\w+ created; WebServer i-\\w+"
          + " holds the Elastic IP [0-9.]+"),
      Map.entry(Step.GREETING, "not possible on this endpoint  moto runs no instance: nothing boots"),
      Map.entry(Step.NEW_JAR, "passed  +the app stack's ArtifactKey is vertx-app/[0-9a-f]{64}\\.jar"),
      Map.entry(Step.ROLLOUT, "not possible on this endpoint  moto runs no instance"),
      Map.entry(Step.AUDIT_PASSES, "not possible on this endpoint  moto ignores the instance's NetworkInterfaces"),
      Map.entry(Step.PORT_OPENED, "passed  +tcp 8080 from 0\\.0\\.0\\.0/0 \\(sgr-\\w+\\) on the host's sg-\\w+: the"
          + " audit fails with SG_INGRESS_POLICY on that rule"),
      Map.entry(Step.HOOK_REFUSES, "not possible on this endpoint  moto has no CloudFormation Hooks"),
      Map.entry(Step.DRIFT, "not possible on this endpoint  moto does not implement drift detection"),
      Map.entry(Step.PORT_CLOSED, "passed  +sgr-\\w+ revoked: the audit no longer reports it"),
      Map.entry(Step.TERMINATED, "passed  +i-\\w+ terminated over the EC2 API; the deployer's host check finds it"
          + " gone: \"WebServer was terminated outside CloudFormation"),
      Map.entry(Step.RECOVERED, "not possible on this endpoint  moto lists no change for a replace-only parameter"),
      Map.entry(Step.CLEANUP, "passed  +released the Elastic IP [0-9.]+; deleted stack hello-rh-\\w+; deleted"
          + " stack hello-rh-\\w+-bootstrap; deleted bucket hello-rh-\\w+-artifacts-123456789012-us-east-1 \\(3 object"
          + " versions and delete markers\\); deleted bucket hello-rh-\\w+-guard-reports-123456789012-us-east-1 \\(0"
          + " object versions and delete markers\\); nothing left"));

  private static MotoServer moto;

  @BeforeAll
  static void startMoto() {
    moto = MotoPool.shared().take();
  }

  @AfterAll
  static void stopMoto() {
    MotoPool.shared().give(moto);
  }

  @Test
  void everyStepMotoCanDoPassesTheOthersSayWhyAndNothingIsLeft() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Cli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int exit = cli.execute(RehearsalMoto.rehearse(moto.endpoint()).toArray(String[]::new));

    String text = out + "\n" + err;
    assertThat(exit).as(text).isEqualTo(ExitCode.OK.code());
    for (Step step : Step.values()) {
      assertThat(text).as("row of step " + step).containsPattern("(?m)^ +" + step.number() + "  "
          + java.util.regex.Pattern.quote(step.title()) + " +" + ON_MOTO.get(step));
    }
    assertThat(text).contains("REHEARSAL PASSED: every step this endpoint can do passed; step(s) 2, 4, 5, 7, 8, 11"
        + " are not possible here");
    RehearsalId id = new RehearsalId(RehearsalMoto.idIn(text));
    assertThat(RehearsalMoto.leftovers(moto.endpoint(), id)).isEmpty();
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
