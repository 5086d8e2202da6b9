package com.benchsci.deployer.core;

/** A failure the user can act on: its message is the one line the CLI and the goals print, without a stack trace. */
public class DeployException extends RuntimeException {

  public DeployException(String message) {
    super(message);
  }

  public DeployException(String message, Throwable cause) {
    super(message, cause);
  }
}
