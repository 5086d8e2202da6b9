package com.benchsci.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.hostharness.SelfSignedCertificate;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS listener with a real certificate, checked by a client that trusts only that certificate. */
@Tag("emulator")
@ExtendWith(VertxExtension.class)
class HttpsTest {

  @Test
  void servesTheGreetingOverHttpsBesideHttp(Vertx vertx, @TempDir Path dir) throws Exception {
    SelfSignedCertificate cert = TestCertificate.create(dir);
    Config config = Config.fromEnv(Map.of("HTTP_PORT", "0", "HTTPS_PORT", "0",
        "TLS_CERT_FILE", cert.certFile().toString(), "TLS_KEY_FILE", cert.keyFile().toString()));
    HelloVerticle verticle = new HelloVerticle(config, config.https().map(Config::readKeyCert), new Connections(100));
    vertx.deployVerticle(verticle).await();

    WebClient https = WebClient.create(vertx, new WebClientOptions().setSsl(true).setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(cert.certFile().toString())));
    HttpResponse<Buffer> secure = https.get(verticle.httpsPort(), "localhost", "/").send().await();
    HttpResponse<Buffer> plain = WebClient.create(vertx).get(verticle.httpPort(), "localhost", "/").send().await();

    assertThat(secure.statusCode()).isEqualTo(200);
    assertThat(secure.bodyAsString()).contains("Hello World from BenchSci!");
    assertThat(plain.statusCode()).isEqualTo(200);
  }
}
