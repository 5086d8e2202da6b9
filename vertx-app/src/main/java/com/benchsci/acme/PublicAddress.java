package com.benchsci.acme;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The address the host's certificate is for: ACME_IP where set, otherwise the instance's public IPv4 address as IMDS
 * reports it, once that is the Elastic IP. The stack associates the Elastic IP only after the instance's signal, so
 * until then IMDS reports the transient address the instance launched with; the first boot records that one
 * ({@link #recordLaunchAddress}), and no certificate is ordered for it.
 *
 * @param ip the address a served certificate should name, when there is one
 * @param notOrderable why no certificate can be ordered for it yet, when that is so
 */
record PublicAddress(Optional<InetAddress> ip, Optional<String> notOrderable) {
  private static final String LAUNCH_ADDRESS = "launch-address";

  static PublicAddress find(AcmeSettings settings) throws InterruptedException {
    if (settings.address().isPresent()) {
      return new PublicAddress(settings.address(), Optional.empty());
    }
    Optional<InetAddress> ip;
    try {
      ip = imds(settings);
    } catch (IOException e) {
      return new PublicAddress(Optional.empty(), Optional.of("no public IPv4 address: " + e.getMessage()));
    }
    if (ip.isEmpty()) {
      return new PublicAddress(ip, Optional.of("no public IPv4 address: IMDS at " + settings.imds()
          + " reports none (meta-data/public-ipv4)"));
    }
    Path launch = settings.stateDir().resolve(LAUNCH_ADDRESS);
    try {
      if (Files.readString(launch, StandardCharsets.US_ASCII).strip().equals(ip.get().getHostAddress())) {
        return new PublicAddress(ip, Optional.of("waiting for the Elastic IP: the public address is still "
            + ip.get().getHostAddress() + ", the one the instance launched with"));
      }
    } catch (IOException noRecord) {
      // not launched by this stack's first boot (or with no public address then): the address is the Elastic IP
    }
    return new PublicAddress(ip, Optional.empty());
  }

  /**
   * On the instance's first boot, before its signal: the public address now is the transient one. Without IMDS (not
   * on EC2, or ACME_IP set) there is none to record.
   */
  static void recordLaunchAddress(AcmeSettings settings) throws IOException, InterruptedException {
    Optional<InetAddress> ip;
    try {
      ip = settings.address().isPresent() ? Optional.empty() : imds(settings);
    } catch (IOException noImds) {
      ip = Optional.empty();
    }
    if (ip.isPresent()) {
      AtomicFile.write(settings.stateDir().resolve(LAUNCH_ADDRESS),
          (ip.get().getHostAddress() + "\n").getBytes(StandardCharsets.US_ASCII), AtomicFile.PRIVATE);
    }
  }

  private static Optional<InetAddress> imds(AcmeSettings settings) throws IOException, InterruptedException {
    Optional<String> text = new Imds(settings.imds()).metadata("public-ipv4");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (!text.get().matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw new IOException("IMDS at " + settings.imds() + " reports '" + text.get() + "' as public-ipv4");
    }
    return Optional.of(InetAddress.getByName(text.get()));
  }
}
