package com.benchsci.hostharness;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
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
 * A self-signed certificate valid for two days, made in this JVM with Bouncy Castle (a keytool process is a JVM
 * start, about a second of CPU each) and written as the PEM files the app and Pebble read: the certificate, and the
 * key as PKCS#8.
 */
public record SelfSignedCertificate(Path certFile, Path keyFile) {

  /** The kind of key: EC P-256 (what the host's certificates use) or RSA 2048. */
  public enum Key {
    EC, RSA;

    KeyPair generate() throws GeneralSecurityException {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(name());
      if (this == EC) {
        generator.initialize(new ECGenParameterSpec("secp256r1"));
      } else {
        generator.initialize(2048);
      }
      return generator.generateKeyPair();
    }

    String signature() {
      return this == EC ? "SHA256withECDSA" : "SHA256withRSA";
    }
  }

  /**
   * Writes a certificate for a new key of kind {@code key} to {@code certFile} and the key to {@code keyFile}, for the
   * subject {@code CN=commonName} and the names {@code subjectAltNames} (DNS names, IP addresses).
   */
  public static SelfSignedCertificate create(Path certFile, Path keyFile, Key key, String commonName,
      GeneralName... subjectAltNames) throws IOException {
    try {
      KeyPair pair = key.generate();
      X500Name subject = new X500Name("CN=" + commonName);
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
          new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
          Date.from(now.plus(Duration.ofDays(2))), subject, pair.getPublic());
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(subjectAltNames));
      X509Certificate certificate = new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(key.signature()).build(pair.getPrivate())));
      SelfSignedCertificate pem = new SelfSignedCertificate(certFile, keyFile);
      Files.writeString(pem.certFile(), pem("CERTIFICATE", certificate.getEncoded()));
      Files.writeString(pem.keyFile(), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      return pem;
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make a self-signed certificate for " + commonName, e);
    }
  }

  static String pem(String type, byte[] der) {
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }
}
