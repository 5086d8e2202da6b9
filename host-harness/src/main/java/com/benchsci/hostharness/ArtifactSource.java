package com.benchsci.hostharness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the bytes of a cfn-init {@code files} entry with a {@code source} come from. On the instance cfn-init downloads
 * the S3 object, signing the request with the role of the file's authentication; here the object comes either from
 * the emulator's S3 ({@link #emulator}: the deployer uploaded it there) or, for a host booted without a deployed stack,
 * from a local file that stands in for every object ({@link #file}).
 */
public interface ArtifactSource {

  /** The object at {@code location}, downloaded into a temporary file that the caller deletes. */
  Path fetch(S3Location location);

  /**
   * An object of an S3 URL as cfn-init sees it: the bucket (which picks the authentication), the key, and the region
   * the request is signed for (us-east-1 when the host name names none).
   */
  record S3Location(String url, String bucket, String key, String region) {

    // https://<bucket>.s3[.<region>].<suffix>/<key> (virtual-hosted) or https://s3[.<region>].<suffix>/<bucket>/<key>.
    private static final Pattern VIRTUAL_HOSTED =
        Pattern.compile("https://([a-z0-9][a-z0-9.-]+)\\.s3(?:[.-]([a-z0-9-]+))?\\.amazonaws\\.com(?:\\.cn)?/(.+)");
    private static final Pattern PATH_STYLE =
        Pattern.compile("https://s3(?:[.-]([a-z0-9-]+))?\\.amazonaws\\.com(?:\\.cn)?/([a-z0-9][a-z0-9.-]+)/(.+)");

    /** The S3 object of {@code url}, or null when it is not an S3 object URL. */
    public static S3Location parse(String url) {
      Matcher hosted = VIRTUAL_HOSTED.matcher(url);
      if (hosted.matches()) {
        return new S3Location(url, hosted.group(1), hosted.group(3), region(hosted.group(2)));
      }
      Matcher path = PATH_STYLE.matcher(url);
      if (path.matches()) {
        return new S3Location(url, path.group(2), path.group(3), region(path.group(1)));
      }
      return null;
    }

    private static String region(String named) {
      return named == null || named.equals("external-1") ? "us-east-1" : named;
    }
  }

  /** The same local file for every object: a stand-in for the artifact when nothing was uploaded. */
  static ArtifactSource file(Path object) {
    return location -> {
      try {
        Path copy = Files.createTempFile("hello-host-artifact", ".bin");
        Files.copy(object, copy, StandardCopyOption.REPLACE_EXISTING);
        return copy;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy " + object, e);
      }
    };
  }

  /**
   * The object from an S3 emulator at {@code endpoint} (path-style), in a request signed as cfn-init signs it
   * ({@link SigV4}) but with stand-in credentials: the instance role whose credentials cfn-init uses on AWS does not
   * exist here, and the emulator checks no signature (it does refuse an unsigned request for a private object). A
   * missing object fails naming the URL.
   */
  static ArtifactSource emulator(URI endpoint) {
    return location -> {
      String key = Stream.of(location.key().split("/", -1))
          .map(part -> URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"))
          .collect(Collectors.joining("/"));
      URI object = URI.create(endpoint.toString().replaceAll("/+$", "") + "/" + location.bucket() + "/" + key);
      try {
        Path file = Files.createTempFile("hello-host-artifact", ".bin");
        HttpRequest.Builder request = HttpRequest.newBuilder(object).timeout(Duration.ofMinutes(2));
        SigV4.get(object, location.region(), "s3", ZonedDateTime.now()).forEach(request::header);
        HttpResponse<Path> response = HttpClient.newHttpClient().send(request.build(),
            HttpResponse.BodyHandlers.ofFile(file));
        if (response.statusCode() != 200) {
          String body = Files.readString(file);
          Files.delete(file);
          throw new IllegalStateException("GET " + location.url() + " (the emulator's " + object + ") answered "
              + response.statusCode() + ": " + body.strip());
        }
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot GET " + object + " for " + location.url(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while downloading " + location.url(), e);
      }
    };
  }
}
