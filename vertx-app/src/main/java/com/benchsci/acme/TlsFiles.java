package com.benchsci.acme;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The certificate chain and key the app serves (TLS_CERT_FILE, TLS_KEY_FILE), replaced as a pair: the key, then the
 * chain, each atomically. The app takes a pair up only once the key is the certificate's, so in the moment between the
 * two it keeps serving the old pair whole.
 */
record TlsFiles(Path certFile, Path keyFile) {

  /** The chain served now; empty when there is none, or none that can be read (it is then replaced). */
  Optional<List<X509Certificate>> served() throws IOException {
    try {
      return Pem.readCertificates(certFile);
    } catch (CertificateException unreadable) {
      return Optional.empty();
    }
  }

  void write(PrivateKey key, List<X509Certificate> chain) throws IOException, CertificateException {
    AtomicFile.write(keyFile, Pem.privateKey(key), AtomicFile.GROUP_READABLE);
    AtomicFile.write(certFile, Pem.certificates(chain), AtomicFile.PUBLIC);
  }
}
