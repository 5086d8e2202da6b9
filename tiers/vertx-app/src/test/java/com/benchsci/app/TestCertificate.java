package com.benchsci.app;

import com.benchsci.hostharness.SelfSignedCertificate;
import java.io.IOException;
import java.nio.file.Path;
import org.bouncycastle.asn1.x509.GeneralName;

/** Self-signed certificates for localhost (DNS name and 127.0.0.1), written as the PEM files the app reads. */
final class TestCertificate {
  private TestCertificate() {}

  static SelfSignedCertificate create(Path dir) throws IOException {
    return create(dir, SelfSignedCertificate.Key.EC);
  }

  /** An RSA key instead: the only kind that could agree on the RSA and DHE suites the app must refuse. */
  static SelfSignedCertificate createRsa(Path dir) throws IOException {
    return create(dir, SelfSignedCertificate.Key.RSA);
  }

  private static SelfSignedCertificate create(Path dir, SelfSignedCertificate.Key key) throws IOException {
    return SelfSignedCertificate.create(dir.resolve("cert.pem"), dir.resolve("key.pem"), key, "localhost",
        new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
  }
}
