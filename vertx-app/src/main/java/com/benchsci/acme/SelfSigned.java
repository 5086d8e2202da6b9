package com.benchsci.acme;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate served until the CA's arrives and whenever none can be had: self-signed, so a browser warns, but
 * HTTPS is up, and it names the host's address in its subjectAltName (a browser that is told to accept it then has no
 * name mismatch on top). Made anew when the address changes and before it lapses.
 */
final class SelfSigned {
  static final Duration VALIDITY = Duration.ofDays(30);
  private static final X500Name NAME = new X500Name("CN=hello-host");

  private SelfSigned() {}

  /** A key and its certificate. */
  record Pair(KeyPair key, X509Certificate certificate) {}

  static Pair create(Optional<InetAddress> ip, Instant now) throws GeneralSecurityException {
    KeyPair key = Keys.newKeyPair();
    try {
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(NAME,
          new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(VALIDITY)), NAME, key.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      if (ip.isPresent()) {
        builder.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.iPAddress, ip.get().getHostAddress())));
      }
      X509Certificate certificate = new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
      return new Pair(key, certificate);
    } catch (CertIOException | OperatorCreationException e) {
      throw new GeneralSecurityException("cannot make a self-signed certificate: " + e.getMessage(), e);
    }
  }

  /** Whether {@code certificate} is one of these rather than the CA's. */
  static boolean isSelfSigned(X509Certificate certificate) {
    return certificate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal());
  }
}
