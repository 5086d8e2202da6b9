package com.benchsci.app;

import com.benchsci.hostharness.SelfSignedCertificate;
import java.io.IOException;
import java.nio.file.Path;
import org.bouncycastle.asn1.x509.GeneralName;

/** A self-signed certificate for localhost (DNS name and 127.0.0.1), written as the PEM files the app reads. */
record TestCertificate(Path certFile, Path keyFile) {

  static TestCertificate create(Path dir) throws IOException {
    return create(dir, SelfSignedCertificate.Key.EC);
  }

  /** An RSA key instead: the only kind that could agree on the RSA and DHE suites the app must refuse. */
  static TestCertificate createRsa(Path dir) throws IOException {
    return create(dir, SelfSignedCertificate.Key.RSA);
  }

  private static TestCertificate create(Path dir, SelfSignedCertificate.Key key) throws IOException {
    SelfSignedCertificate made = SelfSignedCertificate.create(dir.resolve("cert.pem"), dir.resolve("key.pem"), key,
        "localhost", new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    return new TestCertificate(made.certFile(), made.keyFile());
  }
}
