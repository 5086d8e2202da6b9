package com.benchsci.app;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS client's view for tests: trusting exactly the certificates in some PEM files (a test's own certificate, or a
 * test CA's root) and nothing else, and checking the server's address against the certificate as a browser does.
 */
final class TestTrust {
  private TestTrust() {}

  /** A client context trusting exactly the certificates in {@code pemFiles}. */
  static SSLContext trusting(Path... pemFiles) throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    int n = 0;
    for (Path pem : pemFiles) {
      try (InputStream in = Files.newInputStream(pem)) {
        for (Certificate certificate : x509.generateCertificates(in)) {
          trusted.setCertificateEntry("trusted-" + n++, certificate);
        }
      }
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /** A connected socket whose handshake checks that the certificate names 127.0.0.1, as a browser would. */
  static SSLSocket connect(SSLContext context, int port) throws Exception {
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    return socket;
  }

  /** The certificate the server on {@code port} presents to a new connection now. */
  static X509Certificate presented(SSLContext context, int port) throws Exception {
    try (SSLSocket socket = connect(context, port)) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  /** The first certificate in a PEM file. */
  static X509Certificate read(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
