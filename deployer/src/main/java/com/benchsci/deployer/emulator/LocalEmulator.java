package com.benchsci.deployer.emulator;

import com.benchsci.deployer.core.DeployException;
import com.benchsci.deployer.tools.ToolCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The moto server of local deploys. It is left running on purpose after a deploy, so the next deploy finds the
 * stack it made (and says "No changes"); its port and pid are recorded in the tool cache and reused while it
 * answers. How to reach and stop it is printed every time.
 */
public final class LocalEmulator {

  private LocalEmulator() {}

  public static URI endpoint(ToolCache tools, PrintWriter out) {
    Path record = tools.root().resolve("moto-local.properties");
    Properties known = load(record);
    if (known != null) {
      URI endpoint = URI.create(known.getProperty("endpoint"));
      long pid = Long.parseLong(known.getProperty("pid"));
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      if (alive && MotoServer.answers(endpoint)) {
        out.printf("Using the local moto server at %s (pid %d, recorded in %s).%n", endpoint, pid, record);
        printHowTo(out, endpoint, pid, record);
        return endpoint;
      }
    }
    Path log = tools.root().resolve("moto-local.log");
    MotoServer moto = MotoServer.start(tools, log);
    moto.keepRunning();
    // Deliberately not closed: the emulator keeps the deployed stacks for the next run.
    Properties p = new Properties();
    p.setProperty("endpoint", moto.endpoint().toString());
    p.setProperty("pid", Long.toString(moto.pid()));
    try {
      Files.createDirectories(record.getParent());
      try (var writer = Files.newBufferedWriter(record, StandardCharsets.UTF_8)) {
        p.store(writer, "moto server left running by the local deploy");
      }
    } catch (IOException e) {
      throw new DeployException("cannot record the local moto server in " + record + ": " + e.getMessage(), e);
    }
    out.printf("Started a local moto server at %s (pid %d, log %s); it stays running for the next deploy.%n",
        moto.endpoint(), moto.pid(), log);
    printHowTo(out, moto.endpoint(), moto.pid(), record);
    return moto.endpoint();
  }

  private static void printHowTo(PrintWriter out, URI endpoint, long pid, Path record) {
    out.printf("  reach it:  AWS_ENDPOINT_URL=%s AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing"
        + " AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 aws cloudformation describe-stacks%n", endpoint);
    out.printf("  stop it:   kill %d && rm %s%n", pid, record);
  }

  private static Properties load(Path record) {
    if (!Files.isRegularFile(record)) {
      return null;
    }
    Properties p = new Properties();
    try (var reader = Files.newBufferedReader(record, StandardCharsets.UTF_8)) {
      p.load(reader);
    } catch (IOException e) {
      return null;
    }
    return p.getProperty("endpoint") != null && p.getProperty("pid") != null ? p : null;
  }
}
