package com.benchsci.deployer.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a run owns, stack by stack, and what the clean-up may therefore delete. */
class OwnershipTest {

  private final Ownership owned = new Ownership();

  @Test
  void changeSetsAreNumberedPerStack() {
    assertThat(owned.nextNumber("hello-host-bootstrap")).isEqualTo(1);
    assertThat(owned.nextNumber("hello-host-bootstrap")).isEqualTo(2);
    assertThat(owned.nextNumber("hello-host")).isEqualTo(1);
  }

  @Test
  void aCreateChangeSetsPlaceholderIsOwnedUntilTheExecutionStarted() {
    owned.created("hello-host", "run", "arn:stack/hello-host/1");
    owned.executing("hello-host");
    assertThat(owned.executing()).isEqualTo("hello-host");

    owned.executed("hello-host");
    Ownership.Owned forgotten = owned.forget("hello-host");
    assertThat(forgotten).isEqualTo(new Ownership.Owned("run", null));
    assertThat(owned.executing()).as("forgetting a stack ends its execution here").isNull();
    assertThat(owned.stacks()).isEmpty();
  }

  @Test
  void aFailedExecuteCallLeavesThePlaceholderToDelete() {
    owned.created("hello-host", "run", "arn:stack/hello-host/1");
    owned.executing("hello-host");
    // ExecuteChangeSet refused: executed(...) never ran.
    assertThat(owned.forget("hello-host")).isEqualTo(new Ownership.Owned("run", "arn:stack/hello-host/1"));
  }

  @Test
  void anotherStacksForgettingLeavesTheExecutionAlone() {
    owned.created("hello-host-bootstrap", "run-2", null);
    owned.created("hello-host", "run", "arn:stack/hello-host/1");
    owned.executing("hello-host");
    owned.forget("hello-host-bootstrap");
    assertThat(owned.executing()).isEqualTo("hello-host");
    assertThat(owned.changeSet("hello-host")).isEqualTo("run");
    assertThat(owned.changeSet("hello-host-bootstrap")).isNull();
  }
}
