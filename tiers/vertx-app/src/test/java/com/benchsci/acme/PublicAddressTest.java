package com.benchsci.acme;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.emulator.MotoServer;
import com.benchsci.deployer.testing.Tools;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The address the certificate is for, from IMDSv2 as moto's instance-metadata emulation answers it (a session token,
 * then meta-data/public-ipv4 with it; moto always reports 198.51.100.1): ordered for once it is the Elastic IP, never
 * while it is still the address the instance launched with. What real IMDS does is in docs/aws-contract.md.
 */
@Tag("emulator")
class PublicAddressTest {
  private static final String MOTO_PUBLIC_IPV4 = "198.51.100.1";
  private static MotoServer moto;
  @TempDir Path state;

  @BeforeAll
  static void startMoto(@TempDir Path logs) {
    moto = MotoServer.start(Tools.cache(), logs.resolve("moto.log"));
  }

  @AfterAll
  static void stopMoto() {
    moto.close();
  }

  @Test
  void theAddressImdsReportsIsOrderedFor() throws Exception {
    PublicAddress address = PublicAddress.find(settings(moto.endpoint().toString()));

    assertThat(address).isEqualTo(new PublicAddress(Optional.of(InetAddress.getByName(MOTO_PUBLIC_IPV4)),
        Optional.empty()));
  }

  @Test
  void theAddressTheInstanceLaunchedWithIsNotOrderedFor() throws Exception {
    AcmeSettings settings = settings(moto.endpoint().toString());

    PublicAddress.recordLaunchAddress(settings);
    PublicAddress address = PublicAddress.find(settings);

    assertThat(Files.readString(state.resolve("launch-address"))).isEqualTo(MOTO_PUBLIC_IPV4 + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("launch-address"))))
        .isEqualTo("rw-------");
    assertThat(address.ip()).contains(InetAddress.getByName(MOTO_PUBLIC_IPV4));
    assertThat(address.notOrderable()).contains("waiting for the Elastic IP: the public address is still "
        + MOTO_PUBLIC_IPV4 + ", the one the instance launched with");
  }

  @Test
  void anAddressOtherThanTheLaunchAddressIsTheElasticIp() throws Exception {
    Files.writeString(state.resolve("launch-address"), "198.51.100.99\n");

    assertThat(PublicAddress.find(settings(moto.endpoint().toString())).notOrderable()).isEmpty();
  }

  @Test
  void withoutImdsThereIsNoAddressAndNothingToRecord() throws Exception {
    String closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = "http://127.0.0.1:" + socket.getLocalPort();
    }
    AcmeSettings settings = settings(closed);

    PublicAddress address = PublicAddress.find(settings);
    PublicAddress.recordLaunchAddress(settings);

    assertThat(address.ip()).isEmpty();
    assertThat(address.notOrderable()).hasValueSatisfying(why -> assertThat(why)
        .startsWith("no public IPv4 address: IMDS at " + closed + " cannot be reached"));
    assertThat(state.toFile().list()).isEmpty();
  }

  @Test
  void acmeIpIsTakenAsItIsWithoutImds() throws Exception {
    Map<String, String> env = Map.of("TLS_CERT_FILE", "c", "TLS_KEY_FILE", "k", "ACME_CHALLENGE_DIR", "ch",
        "ACME_STATE_DIR", state.toString(), "ACME_IP", "127.0.0.1",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1");

    assertThat(PublicAddress.find(AcmeSettings.fromEnv(env)))
        .isEqualTo(new PublicAddress(Optional.of(InetAddress.getByName("127.0.0.1")), Optional.empty()));
  }

  private AcmeSettings settings(String imds) {
    return AcmeSettings.fromEnv(Map.of("TLS_CERT_FILE", "c", "TLS_KEY_FILE", "k", "ACME_CHALLENGE_DIR", "ch",
        "ACME_STATE_DIR", state.toString(), "AWS_EC2_METADATA_SERVICE_ENDPOINT", imds));
  }
}
