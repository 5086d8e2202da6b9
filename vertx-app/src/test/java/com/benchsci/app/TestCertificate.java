package com.benchsci.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;

/**
 * A self-signed certificate for localhost, made by the JDK's own keytool and written as the PEM files the app reads
 * (keytool cannot write a private key as PEM, so the key is taken from the keystore here).
 */
record TestCertificate(Path certFile, Path keyFile) {
  private static final char[] PASSWORD = "changeit".toCharArray();

  static TestCertificate create(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
    return create(dir, "EC", "-groupname", "secp256r1");
  }

  /** An RSA key instead: the only kind that could agree on the RSA and DHE suites the app must refuse. */
  static TestCertificate createRsa(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
    return create(dir, "RSA", "-keysize", "2048");
  }

  private static TestCertificate create(Path dir, String algorithm, String sizeOption, String size)
      throws IOException, InterruptedException, GeneralSecurityException {
    Path keystore = dir.resolve("test.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "test", "-keyalg", algorithm, sizeOption, size, "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", new String(PASSWORD))
        .redirectErrorStream(true)
        .start();
    String output = new String(keytool.getInputStream().readAllBytes());
    if (keytool.waitFor() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD);
    }
    TestCertificate pem = new TestCertificate(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    Files.writeString(pem.certFile(), pem("CERTIFICATE", store.getCertificate("test").getEncoded()));
    Files.writeString(pem.keyFile(), pem("PRIVATE KEY", store.getKey("test", PASSWORD).getEncoded()));
    return pem;
  }

  private static String pem(String type, byte[] der) {
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }
}
