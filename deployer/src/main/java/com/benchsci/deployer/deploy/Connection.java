package com.benchsci.deployer.deploy;

import com.benchsci.deployer.core.AwsClients;
import com.benchsci.deployer.stack.EmulatorQuirks;

/** What a run talks to: the SDK clients of its target and that target's quirks (none for AWS). Closes the clients. */
public record Connection(AwsClients clients, EmulatorQuirks quirks) implements AutoCloseable {

  @Override
  public void close() {
    clients.close();
  }
}
