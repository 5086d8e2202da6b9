package com.benchsci.acme;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;

/**
 * The host's ACME client, run by the hello-acme systemd service in a JVM of its own (the serving app never loads
 * this package): {@code renew}, on the service's timer, makes sure a certificate is served and renews it from the
 * CA when due; {@code fallback}, at boot and on every cfn-init run before a rollout, only makes sure a certificate is
 * served, without the CA, so the app can always start; {@code first-boot} is {@code fallback} on the instance's first
 * boot, which also records the address the instance launched with (see {@link PublicAddress}). One run at a time: a
 * run that finds another one going leaves the work to it. Exit status 1, with one line on stderr, for settings or
 * files it cannot work with; a CA that fails is not one (see {@link CertificateService}).
 */
public final class AcmeMain {
  private AcmeMain() {}

  public static void main(String[] args) {
    String verb = args.length == 1 ? args[0] : "";
    if (!verb.matches("renew|fallback|first-boot")) {
      fail("usage: AcmeMain renew|fallback|first-boot");
    }
    try {
      AcmeSettings settings = AcmeSettings.fromEnv(System.getenv());
      if (!Files.isDirectory(settings.stateDir())) {
        fail("ACME_STATE_DIR=" + settings.stateDir() + " is not a directory");
      }
      try (FileChannel lockFile = FileChannel.open(settings.stateDir().resolve("lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); FileLock lock = lockFile.tryLock()) {
        if (lock == null) {
          System.out.println("another run of the ACME client is going: it sees to the certificate");
          return;
        }
        CertificateService service = new CertificateService(settings);
        switch (verb) {
          case "renew" -> service.renew();
          case "first-boot" -> {
            PublicAddress.recordLaunchAddress(settings);
            service.fallback();
          }
          default -> service.fallback();
        }
      }
    } catch (AcmeSettings.SettingsException e) {
      fail(e.getMessage());
    } catch (IOException | GeneralSecurityException e) {
      fail(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
  }

  private static void fail(String message) {
    System.err.println("hello-acme: " + message);
    System.exit(1);
  }
}
