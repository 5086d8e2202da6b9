package com.benchsci.hostharness.standin;

import com.benchsci.hostharness.ArtifactSource;
import com.benchsci.hostharness.CfnInitApplier;
import com.benchsci.hostharness.LocalShell;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A STAND-IN for cfn-init, AWS's program from aws-cfn-bootstrap (which cannot be installed here), run on the host as
 * the UserData and the cfn-hup hook call it: {@code cfn-init -v --stack S --resource R --region R}. Like the real
 * one it reads the resource's metadata from DescribeStackResource (the harness's stand-in, at the address
 * {@link Endpoints} gives for the region) and applies its {@code AWS::CloudFormation::Init}; the applying is the
 * harness's {@link CfnInitApplier} (the keys stack.yaml uses, in cfn-init's order, refusing any other), with file
 * sources from the emulator's S3. It writes what it does to standard output and to /var/log/cfn-init.log, and exits
 * 1 when a step fails, as cfn-init does.
 */
public final class CfnInitStandIn {

  static final String LOG_FILE = "/var/log/cfn-init.log";

  private CfnInitStandIn() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    String stack = null;
    String resource = null;
    String region = "us-east-1";
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("-v") || option.equals("--verbose")) {
        continue;
      }
      if (i + 1 == args.length) {
        return usage("option " + option + " needs a value, or is not one this stand-in knows");
      }
      switch (option) {
        case "-s", "--stack" -> stack = args[++i];
        case "-r", "--resource" -> resource = args[++i];
        case "--region" -> region = args[++i];
        case "--role" -> i++; // the instance role signs on AWS; the stand-in endpoint checks no signature
        default -> {
          return usage("option " + option + " is not implemented by the cfn-init stand-in (configsets, url,"
              + " credentials and proxies are not exercised)");
        }
      }
    }
    if (stack == null || resource == null) {
      return usage("--stack and --resource are required");
    }
    PrintStream console = System.out;
    try (OutputStream file = new FileOutputStream(logFile().toFile(), true);
        PrintStream both = new PrintStream(new Tee(console, file), true, StandardCharsets.UTF_8)) {
      System.setOut(both);
      return apply(stack, resource, region);
    } catch (IOException e) {
      System.err.println("cfn-init: cannot write " + HostPaths.of(LOG_FILE) + ": " + e.getMessage());
      return 1;
    } finally {
      System.setOut(console);
    }
  }

  private static int apply(String stack, String resource, String region) {
    try {
      Endpoints endpoints = Endpoints.read();
      JsonNode metadata = StackResource.describe(endpoints.cloudFormation(region), stack, resource).metadata();
      if (metadata == null || !metadata.has("AWS::CloudFormation::Init")) {
        System.err.println("cfn-init: Could not find AWS::CloudFormation::Init metadata for " + resource + " in "
            + stack);
        return 1;
      }
      TypeReference<Map<String, Object>> map = new TypeReference<>() {};
      Map<String, Object> init = StackResource.JSON.convertValue(metadata.get("AWS::CloudFormation::Init"), map);
      Map<String, Object> authentication = metadata.has("AWS::CloudFormation::Authentication")
          ? StackResource.JSON.convertValue(metadata.get("AWS::CloudFormation::Authentication"), map) : Map.of();
      new CfnInitApplier(resource, init, authentication, ArtifactSource.emulator(endpoints.s3()))
          .applyTo(new LocalShell());
      System.out.println("[cfn-init] " + resource + " of " + stack + ": applied");
      return 0;
    } catch (IOException | RuntimeException e) {
      System.out.println("[cfn-init] FAILED: " + e.getMessage());
      System.err.println("cfn-init: " + e.getMessage());
      return 1;
    }
  }

  private static Path logFile() throws IOException {
    Path file = HostPaths.of(LOG_FILE);
    Files.createDirectories(file.getParent());
    return file;
  }

  private static int usage(String problem) {
    System.err.println("Usage: cfn-init -v --stack STACK --resource RESOURCE --region REGION\ncfn-init: error: "
        + problem);
    return 2;
  }

  /** Standard output copied into the log file. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      first.write(bytes, offset, length);
      second.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
      first.flush();
      second.flush();
    }
  }
}
