package com.benchsci.app;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate for localhost (DNS name and 127.0.0.1), made in this JVM with Bouncy Castle (which the ACME
 * client brings) rather than by a keytool process (a JVM start, about a second of CPU each), and written as the PEM
 * files the app reads.
 */
record TestCertificate(Path certFile, Path keyFile) {
  private static final X500Name LOCALHOST = new X500Name("CN=localhost");

  static TestCertificate create(Path dir) throws IOException, GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return create(dir, generator.generateKeyPair(), "SHA256withECDSA");
  }

  /** An RSA key instead: the only kind that could agree on the RSA and DHE suites the app must refuse. */
  static TestCertificate createRsa(Path dir) throws IOException, GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return create(dir, generator.generateKeyPair(), "SHA256withRSA");
  }

  private static TestCertificate create(Path dir, KeyPair key, String signature)
      throws IOException, GeneralSecurityException {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(LOCALHOST,
        new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(Duration.ofDays(2))), LOCALHOST, key.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    X509Certificate certificate;
    try {
      certificate = new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(signature).build(key.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign the test certificate", e);
    }
    TestCertificate pem = new TestCertificate(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    Files.writeString(pem.certFile(), pem("CERTIFICATE", certificate.getEncoded()));
    Files.writeString(pem.keyFile(), pem("PRIVATE KEY", key.getPrivate().getEncoded()));
    return pem;
  }

  private static String pem(String type, byte[] der) {
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }
}
