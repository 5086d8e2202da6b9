package com.benchsci.deployer.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.benchsci.deployer.core.DeployException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/** What the host check concludes from what EC2 reported (the reading itself is tested against moto). */
class HostCheckTest {

  private static HostCheck host(String state, boolean eipExists, String eipInstance) {
    return new HostCheck("WebServer", "i-1", state, "ElasticIp", "203.0.113.7", eipExists, eipInstance);
  }

  @Test
  void aRunningHostHoldingItsAddressHasNoProblem() {
    HostCheck host = host("running", true, "i-1");
    assertThat(host.instanceGone()).isFalse();
    assertThat(host.problems()).isEmpty();
  }

  @Test
  void aTerminatedOrUnknownInstanceIsGoneAndTheNoteSaysWhatHappensToTheAddress() {
    assertThat(host("terminated", true, "i-1").recoveryNote()).isEqualTo(
        "WebServer was terminated outside CloudFormation: it will be created again; the Elastic IP 203.0.113.7 is kept");
    assertThat(host("shutting-down", true, null).instanceGone()).isTrue();
    assertThat(host(null, false, null).recoveryNote()).isEqualTo("WebServer no longer exists (deleted outside"
        + " CloudFormation): it will be created again; its Elastic IP 203.0.113.7 was released too, so the host gets"
        + " a new address (update DNS)");
    assertThat(host("stopped", true, "i-1").instanceGone()).as("a stopped instance is there; start it").isFalse();
  }

  @Test
  void problemsNameTheStateAndTheAddress() {
    assertThat(host("stopped", true, null).problems()).containsExactly(
        "WebServer (i-1) is stopped, not running", "the Elastic IP 203.0.113.7 is not associated with i-1");
    assertThat(host("running", true, "i-2").problems())
        .containsExactly("the Elastic IP 203.0.113.7 is associated with i-2 instead of i-1");
    assertThat(host("running", false, null).problems())
        .containsExactly("the Elastic IP 203.0.113.7 (ElasticIp) no longer exists");
  }

  @Test
  void theGenerationComesFromTheStackAndOnlyGrows() {
    assertThat(HostCheck.currentGeneration(null)).isEqualTo("0");
    Stack stack = Stack.builder().parameters(p -> p.parameterKey("HostGeneration").parameterValue("4")).build();
    assertThat(HostCheck.currentGeneration(stack)).isEqualTo("4");
    assertThat(HostCheck.next("4")).isEqualTo("5");
    assertThatThrownBy(() -> HostCheck.next("x")).isInstanceOf(DeployException.class)
        .hasMessage("stack parameter HostGeneration is not a whole number: x");
  }
}
