package com.benchsci.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the ACME client writes, where, with which modes, and that each file is replaced whole: the TLS pair the app
 * serves, the challenge answers, the account key and the client's state.
 */
class WrittenFilesTest {
  @TempDir Path dir;

  @Test
  void theTlsPairIsAKeyOnlyTheAppsGroupReadsAndAPublicChainAndNothingElse() throws Exception {
    TlsFiles files = new TlsFiles(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    SelfSigned.Pair pair = SelfSigned.create(Optional.of(java.net.InetAddress.getByName("203.0.113.7")), Instant.now());

    files.write(pair.key().getPrivate(), List.of(pair.certificate()));

    assertThat(mode(files.keyFile())).isEqualTo("rw-r-----");
    assertThat(mode(files.certFile())).isEqualTo("rw-r--r--");
    assertThat(Files.readString(files.keyFile())).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(files.served()).contains(List.of(pair.certificate()));
    assertThat(dir.toFile().list()).as("no temporary file left").containsExactlyInAnyOrder("cert.pem", "key.pem");
  }

  @Test
  void theSelfSignedCertificateNamesTheAddressAndItsKeyIsItsOwn() throws Exception {
    SelfSigned.Pair pair = SelfSigned.create(Optional.of(java.net.InetAddress.getByName("203.0.113.7")), Instant.now());

    assertThat(pair.certificate().getSubjectAlternativeNames()).containsExactly(List.of(7, "203.0.113.7"));
    assertThat(SelfSigned.isSelfSigned(pair.certificate())).isTrue();
    assertThat(CertificateService.names(pair.certificate(), java.net.InetAddress.getByName("203.0.113.7"))).isTrue();
    assertThat(CertificateService.names(pair.certificate(), java.net.InetAddress.getByName("203.0.113.8"))).isFalse();
    Signature sign = Signature.getInstance("SHA256withECDSA");
    sign.initSign(pair.key().getPrivate());
    sign.update(new byte[] {1, 2, 3});
    Signature verify = Signature.getInstance("SHA256withECDSA");
    verify.initVerify(pair.certificate());
    verify.update(new byte[] {1, 2, 3});
    assertThat(verify.verify(sign.sign())).isTrue();
  }

  /** A reader that opened the old file keeps reading it whole; a failed replacement leaves it and no temporary. */
  @Test
  void aFileIsReplacedWholeOrNotAtAll() throws Exception {
    Path file = dir.resolve("cert.pem");
    AtomicFile.write(file, "old".getBytes(StandardCharsets.US_ASCII), AtomicFile.PUBLIC);
    try (InputStream reading = Files.newInputStream(file)) {
      AtomicFile.write(file, "new".getBytes(StandardCharsets.US_ASCII), AtomicFile.PUBLIC);
      assertThat(reading.readAllBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("old");
    }
    assertThat(Files.readString(file)).isEqualTo("new");

    Path occupied = Files.createDirectory(dir.resolve("occupied"));
    Files.writeString(occupied.resolve("inside"), "kept");
    assertThatThrownBy(() -> AtomicFile.write(occupied, "new".getBytes(StandardCharsets.US_ASCII), AtomicFile.PUBLIC))
        .isInstanceOf(java.io.IOException.class);
    assertThat(Files.readString(occupied.resolve("inside"))).isEqualTo("kept");
    assertThat(dir.toFile().list()).containsExactlyInAnyOrder("cert.pem", "occupied");
  }

  @Test
  void aChallengeAnswerIsReadableByTheAppsGroupAndGoesAway() throws Exception {
    ChallengeFiles challenges = new ChallengeFiles(dir);

    challenges.put("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA", "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.thumb");

    Path answer = dir.resolve("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA");
    assertThat(Files.readString(answer)).isEqualTo("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.thumb");
    assertThat(mode(answer)).isEqualTo("rw-r-----");
    challenges.remove("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA");
    assertThat(dir.toFile().list()).isEmpty();
  }

  /** The token comes from the CA: one that is not base64url could name a file elsewhere, and writes nothing. */
  @Test
  void aTokenThatIsNotBase64UrlWritesNothing() throws Exception {
    Path inside = Files.createDirectory(dir.resolve("challenges"));

    assertThatThrownBy(() -> new ChallengeFiles(inside).put("../escaped", "x"))
        .hasMessage("the CA sent a challenge token that is not base64url: '../escaped'");
    assertThat(dir.toFile().list()).containsExactly("challenges");
    assertThat(inside.toFile().list()).isEmpty();
  }

  @Test
  void theAccountKeyIsPrivateAndReadBackAsTheSamePair() throws Exception {
    Path file = dir.resolve("account-key.pem");
    var key = Keys.newKeyPair();

    AtomicFile.write(file, Pem.keyPair(key), AtomicFile.PRIVATE);

    assertThat(mode(file)).isEqualTo("rw-------");
    var read = Pem.readKeyPair(file);
    assertThat(read.getPrivate().getEncoded()).isEqualTo(key.getPrivate().getEncoded());
    assertThat(read.getPublic().getEncoded()).isEqualTo(key.getPublic().getEncoded());
  }

  @Test
  void theStateIsPrivateAndTheRenewalWindowAndIssuerBelongToOneCertificate() throws Exception {
    Path file = dir.resolve("state.properties");
    AcmeState state = AcmeState.load(file);
    Renewal.Window window = new Renewal.Window(Instant.parse("2026-05-05T00:00:00Z"), Instant.parse("2026-05-06T00:00:00Z"));
    state.renewalWindow(BigInteger.TEN, Optional.of(window), Instant.parse("2026-05-01T16:00:00Z"));
    state.failed(new Backoff.Next(Instant.parse("2026-05-01T10:10:00Z"), "failure 1 in a row"), 1);
    assertThat(state.isNews("said once")).isTrue();
    state.save(file);

    AcmeState read = AcmeState.load(file);
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(read.renewalWindow(BigInteger.TEN)).contains(window);
    assertThat(read.renewalWindow(BigInteger.TWO)).as("another certificate").isEmpty();
    assertThat(read.renewalWindowCheck(BigInteger.TEN)).isEqualTo(Instant.parse("2026-05-01T16:00:00Z"));
    assertThat(read.renewalWindowCheck(BigInteger.TWO)).isEqualTo(Instant.EPOCH);
    assertThat(read.nextAttempt()).contains(Instant.parse("2026-05-01T10:10:00Z"));
    assertThat(read.failuresInARow()).isEqualTo(1);
    assertThat(read.isNews("said once")).isFalse();
    read.succeeded();
    assertThat(read.nextAttempt()).isEmpty();
    assertThat(read.failuresInARow()).isZero();
    read.issued(BigInteger.TEN, java.net.URI.create("https://ca.example/dir"));
    assertThat(read.issuedBy(BigInteger.TEN)).contains(java.net.URI.create("https://ca.example/dir"));
    assertThat(read.issuedBy(BigInteger.TWO)).as("a certificate this client did not order").isEmpty();
  }

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }
}
