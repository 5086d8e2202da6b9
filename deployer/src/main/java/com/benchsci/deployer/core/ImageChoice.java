package com.benchsci.deployer.core;

/** Which host image a deploy passes to a stack that already runs one. */
public enum ImageChoice {
  /** The image the stack runs today: a new image published by AWS never replaces the host by accident. */
  KEEP,
  /** The latest image from the public SSM parameter (replaces the instance when AWS published a new one). */
  REFRESH
}
