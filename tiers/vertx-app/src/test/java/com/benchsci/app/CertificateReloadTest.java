package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.benchsci.hostharness.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new certificate replaces the served one in the running app, as the ACME service replaces the files (the key, then
 * the certificate, each by a rename), while HTTPS clients keep requesting: no restart, no failed request, and never a
 * certificate served beside a key that is not its own.
 */
@Tag("emulator")
class CertificateReloadTest {
  @RegisterExtension final AppProcesses processes = new AppProcesses();

  @Test
  void aReplacedPairIsServedToNewConnectionsWithoutAFailedRequest(@TempDir Path dir) throws Exception {
    SelfSignedCertificate first = TestCertificate.create(Files.createDirectory(dir.resolve("first")));
    SelfSignedCertificate second = TestCertificate.create(Files.createDirectory(dir.resolve("second")));
    SelfSignedCertificate live = new SelfSignedCertificate(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    Files.copy(first.certFile(), live.certFile());
    Files.copy(first.keyFile(), live.keyFile());
    int https = JavaCommand.freePort();
    Process app = processes.start(JavaCommand.process(JavaCommand.of(Main.class), Map.of("HTTP_PORT", "0",
        "HTTPS_PORT", String.valueOf(https), "TLS_CERT_FILE", live.certFile().toString(),
        "TLS_KEY_FILE", live.keyFile().toString())).redirectError(ProcessBuilder.Redirect.INHERIT));
    ProcessLines stdout = new ProcessLines(app.getInputStream());
    assertThat(stdout.next()).startsWith("listening on http port ");
    SSLContext trust = TestTrust.trusting(first.certFile(), second.certFile());

    try (LoadClient load = new LoadClient(() -> TestTrust.connect(trust, https), 2)) {
      load.awaitMore(200);

      replace(second.keyFile(), live.keyFile());
      assertThat(stdout.next(line -> line.startsWith("certificate not reloaded")))
          .isEqualTo("certificate not reloaded, still serving the previous one: TLS_KEY_FILE=" + live.keyFile()
              + " is not the key of TLS_CERT_FILE=" + live.certFile());
      assertThat(serial(TestTrust.presented(trust, https))).isEqualTo(serial(TestTrust.read(first.certFile())));
      load.awaitMore(200);

      replace(second.certFile(), live.certFile());
      assertThat(stdout.next(line -> line.startsWith("certificate reloaded")))
          .startsWith("certificate reloaded from " + live.certFile() + ": for [localhost, 127.0.0.1], issued by");
      assertThat(serial(TestTrust.presented(trust, https))).isEqualTo(serial(TestTrust.read(second.certFile())));
      load.awaitMore(200);

      assertThat(load.stop()).as("failed requests").isEmpty();
    }
    // The swap keeps the TLS policy: it replaces all the TLS options, not only the certificate.
    assertThatThrownBy(() -> ProtocolHygieneTest.handshake(trust, https, "TLSv1.2",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256")).isInstanceOf(SSLHandshakeException.class);
  }

  /** As the ACME service does: a copy beside the target, then a rename over it. */
  private static void replace(Path source, Path target) throws Exception {
    Path next = target.resolveSibling(target.getFileName() + ".next");
    Files.copy(source, next, StandardCopyOption.REPLACE_EXISTING);
    Files.move(next, target, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String serial(X509Certificate certificate) {
    return certificate.getSerialNumber().toString(16);
  }
}
