package com.benchsci.deployer.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of a JVM that a test starts on its own class path (the deployer's CLI, a moto holder), with the
 * build's flags for test JVMs ({@code test.jvm.flags} in the root pom: C1 alone and the serial collector, for a JVM
 * that lives seconds). Outside Maven the property is unset and the JVM gets no flags.
 */
public final class TestJvm {

  private TestJvm() {}

  public static List<String> command(Class<?> main, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(flags());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return command;
  }

  static List<String> flags() {
    String flags = System.getProperty("test.jvm.flags", "").strip();
    return flags.isEmpty() ? List.of() : Arrays.asList(flags.split("\\s+"));
  }
}
