package com.benchsci.hostharness;

import com.benchsci.hostharness.NspawnContainer.FileSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The ACME CA of a host on a {@link TestNetwork}, standing in for Let's Encrypt: a {@link Pebble} on this machine's
 * end of the link, validating http-01 on port 80 of the host's address, as Let's Encrypt validates the Elastic IP.
 * The host reaches it the way an instance reaches Let's Encrypt, with three stand-ins:
 * <ul>
 *   <li>the stack's {@code AcmeDirectory} parameter names Pebble's directory ({@link #parameters}), in the
 *       deployer's parameter file as a user sets it;</li>
 *   <li>the host trusts Pebble's API certificate through Debian's system trust store
 *       (/usr/local/share/ca-certificates, {@code update-ca-certificates}, which also fills the JVM's cacerts), as
 *       Amazon Linux trusts Let's Encrypt's ({@link #trustInside});</li>
 *   <li>hello-acme.service learns the host's address from a drop-in ({@code ACME_IP}) instead of IMDS's
 *       {@code meta-data/public-ipv4}: no IMDS answers here with the address the CA reaches (moto's emulation always
 *       reports 198.51.100.1).</li>
 * </ul>
 */
public final class HostCa implements AutoCloseable {

  /** Let's Encrypt's {@code shortlived} profile, the one it issues IP-address certificates with. */
  public static final Duration SHORTLIVED = Duration.ofHours(160);
  private static final String TRUSTED = "/usr/local/share/ca-certificates/hello-test-acme-ca-api.crt";
  private static final String ADDRESS_DROP_IN = "/etc/systemd/system/hello-acme.service.d/50-test-address.conf";

  private final Pebble pebble;
  private final TestNetwork network;

  private HostCa(Pebble pebble, TestNetwork network) {
    this.pebble = pebble;
    this.network = network;
  }

  /** Starts Pebble in {@code dir} on {@code network}. */
  public static HostCa start(TestNetwork network, Path dir) {
    SelfSignedCertificate api = Pebble.apiCertificate(dir, network.machineAddress());
    return new HostCa(Pebble.start(dir, network.machineAddress(), api, 80, SHORTLIVED), network);
  }

  public Pebble pebble() {
    return pebble;
  }

  /** The stack parameters that point the host at this CA. */
  public Map<String, String> parameters() {
    return Map.of("AcmeDirectory", pebble.directory().toString());
  }

  /** {@code spec} with the CA's API certificate ready to trust and the address drop-in, placed before boot. */
  public NspawnContainer.Spec addTo(NspawnContainer.Spec spec) {
    return spec.file(TRUSTED, FileSource.copyOf(pebble.api().certFile()))
        .file(ADDRESS_DROP_IN, FileSource.text("# STAND-IN (host harness, docs/host-test.md) for IMDS's"
            + " meta-data/public-ipv4: the address the test's ACME CA reaches this host at.\n[Service]\n"
            + "Environment=ACME_IP=" + network.hostAddress() + "\n", "rw-r--r--"));
  }

  /** Trusts the CA's API certificate inside the booted host, before anything there asks the CA. */
  public void trustInside(NspawnContainer host) {
    Cmd.Result trust = host.exec(Duration.ofMinutes(1), "update-ca-certificates");
    if (!trust.ok() || !trust.out().contains("1 added")) {
      throw new IllegalStateException("the host does not trust the test CA's API certificate: " + trust.describe());
    }
  }

  @Override
  public void close() {
    pebble.close();
  }
}
