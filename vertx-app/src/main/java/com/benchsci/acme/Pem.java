package com.benchsci.acme;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** PEM text of certificates and keys, as the app and OpenSSL read them. */
final class Pem {
  private Pem() {}

  /** The chain, the certificate first, then the intermediates to a root. */
  static byte[] certificates(List<X509Certificate> chain) throws CertificateEncodingException {
    StringBuilder text = new StringBuilder();
    for (X509Certificate certificate : chain) {
      text.append(block("CERTIFICATE", certificate.getEncoded()));
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** The key as PKCS#8 ("BEGIN PRIVATE KEY"), the one form the app checks a new pair in. */
  static byte[] privateKey(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII);
  }

  /** A key pair as two blocks, the private key (PKCS#8) and the public key (X.509): the account key's file. */
  static byte[] keyPair(KeyPair pair) {
    return (block("PRIVATE KEY", pair.getPrivate().getEncoded()) + block("PUBLIC KEY", pair.getPublic().getEncoded()))
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The key pair {@link #keyPair} wrote (an EC one, as {@link Keys} makes). */
  static KeyPair readKeyPair(Path file) throws IOException, GeneralSecurityException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    KeyFactory ec = KeyFactory.getInstance("EC");
    try {
      return new KeyPair(ec.generatePublic(new X509EncodedKeySpec(der(text, "PUBLIC KEY"))),
          ec.generatePrivate(new PKCS8EncodedKeySpec(der(text, "PRIVATE KEY"))));
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException(file + " holds no EC key pair: " + e.getMessage(), e);
    }
  }

  /** The certificates in a PEM file; empty when there is no such file. */
  static Optional<List<X509Certificate>> readCertificates(Path file) throws IOException, CertificateException {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(content)).stream().map(X509Certificate.class::cast).toList();
    if (chain.isEmpty()) {
      throw new CertificateException(file + " holds no certificate");
    }
    return Optional.of(chain);
  }

  private static byte[] der(String pem, String type) {
    int begin = pem.indexOf("-----BEGIN " + type + "-----");
    int end = pem.indexOf("-----END " + type + "-----");
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("no " + type + " block");
    }
    return Base64.getMimeDecoder().decode(pem.substring(begin + type.length() + 16, end));
  }

  private static String block(String type, byte[] der) {
    String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }
}
