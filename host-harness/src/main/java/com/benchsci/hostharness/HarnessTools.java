package com.benchsci.hostharness;

import com.benchsci.deployer.launch.Invocation;
import java.nio.file.Path;

/** The build's tool cache, found the way the deployer's CLI finds it ($HELLO_HOST_CACHE, ...). */
final class HarnessTools {

  private HarnessTools() {}

  static Path cacheRoot() {
    return Invocation.of(Path.of("").toAbsolutePath()).toolCache();
  }
}
