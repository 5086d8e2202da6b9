package com.benchsci.deployer.api;

import com.benchsci.deployer.core.ContentHash;
import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.core.ProductStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The exact bytes of the templates that passed cfn-lint and cfn-guard against {@code rules}: a deploy later in the
 * same build does not check them again. {@link #NOTHING} when nothing was checked.
 */
public record Checked(Path rules, Map<Path, String> digests) {

  public static final Checked NOTHING = new Checked(null, Map.of());

  static Checked of(Path templates, Path rules) {
    Map<Path, String> digests = new TreeMap<>();
    for (Path template : ProductStack.templates(templates)) {
      digests.put(template, digest(template));
    }
    return new Checked(rules, Map.copyOf(digests));
  }

  /** Whether these are the checked templates and rules, byte for byte. */
  boolean covers(Path templates, Path rules) {
    return rules.equals(this.rules)
        && ProductStack.templates(templates).stream().allMatch(t -> digest(t).equals(digests.get(t)));
  }

  static String digest(Path file) {
    try {
      return ContentHash.sha256(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new DeployException("cannot read " + file + " (" + e + ")", e);
    }
  }
}
