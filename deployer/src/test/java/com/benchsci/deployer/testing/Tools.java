package com.benchsci.deployer.testing;

import com.benchsci.deployer.launch.Invocation;
import com.benchsci.deployer.tools.ToolCache;
import java.nio.file.Path;

/** The tool cache a test uses: the one this build's environment names ($HELLO_HOST_CACHE, ...), as the CLI finds it. */
public final class Tools {

  private Tools() {}

  public static Path cacheRoot() {
    return Invocation.of(Path.of("").toAbsolutePath()).toolCache();
  }

  public static ToolCache cache() {
    return new ToolCache(cacheRoot());
  }
}
