package com.benchsci.deployer.testing;

import com.benchsci.deployer.impact.Analysis;
import com.benchsci.deployer.launch.Invocation;
import com.benchsci.deployer.tools.ToolCache;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The tool cache a test uses: the one this build's environment names ($HELLO_HOST_CACHE, ...), as the CLI finds it. */
public final class Tools {

  private static final Map<String, Analysis> ANALYSES = new ConcurrentHashMap<>();

  private Tools() {}

  /**
   * The impact analysis of {@code region} with the pinned cfn-lint's resource schemas, as a deploy makes it; made
   * once per region in a test JVM (asking Python where cfn-lint lives takes seconds on a busy machine).
   */
  public static Analysis analysis(String region) {
    return ANALYSES.computeIfAbsent(region, r -> Analysis.standard(cache().cfnLintPackage(), r));
  }

  public static Path cacheRoot() {
    return Invocation.of(Path.of("").toAbsolutePath()).toolCache();
  }

  public static ToolCache cache() {
    return new ToolCache(cacheRoot());
  }
}
