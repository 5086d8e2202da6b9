package com.benchsci.deployer.testing;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;

/**
 * The deployer's main classes for ArchUnit, whichever way the tests are run: ArchUnit's own {@code DoNotIncludeTests}
 * knows test classes only by their folder (target/test-classes), and tiers/deployer runs these tests from the test
 * jar, whose classes it would take for main code.
 */
public final class MainCodeOnly implements ImportOption {

  private static final ImportOption NOT_IN_A_TEST_FOLDER = new DoNotIncludeTests();

  @Override
  public boolean includes(Location location) {
    return NOT_IN_A_TEST_FOLDER.includes(location) && !location.contains("-tests.jar!");
  }
}
