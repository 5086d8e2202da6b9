package com.benchsci.hostharness.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One resource of a stack as the helper scripts read it: the CloudFormation Query API's DescribeStackResource, asked
 * the way aws-cfn-bootstrap's client asks it (GET with the parameters in the query string, ContentType=JSON, Accept:
 * application/json) and read from the JSON answer's StackResourceDetail, whose Metadata is a JSON string. Unsigned:
 * the harness's endpoint checks no signature, and the instance role that signs on AWS does not exist here.
 */
record StackResource(String status, String physicalId, String lastUpdated, JsonNode metadata) {

  static final String API_VERSION = "2010-05-15";
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** Asks {@code endpoint} for {@code logicalId} of {@code stack}; fails with the API's error code and message. */
  static StackResource describe(URI endpoint, String stack, String logicalId) throws IOException {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("Action", "DescribeStackResource");
    query.put("LogicalResourceId", logicalId);
    query.put("ContentType", "JSON");
    query.put("StackName", stack);
    query.put("Version", API_VERSION);
    URI uri = URI.create(endpoint.toString().replaceAll("/+$", "") + "/?" + query.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&")));
    HttpResponse<String> response;
    try {
      response = HTTP.send(HttpRequest.newBuilder(uri).header("Accept", "application/json")
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking " + endpoint, e);
    }
    JsonNode body = JSON.readTree(response.body());
    if (response.statusCode() != 200) {
      JsonNode error = body.path("Error");
      throw new IOException("DescribeStackResource of " + logicalId + " in " + stack + " at " + endpoint + ": "
          + response.statusCode() + " " + error.path("Code").asText() + ": " + error.path("Message").asText());
    }
    JsonNode detail = body.path("DescribeStackResourceResponse").path("DescribeStackResourceResult")
        .path("StackResourceDetail");
    String metadata = detail.path("Metadata").asText("");
    return new StackResource(detail.path("ResourceStatus").asText(""), detail.path("PhysicalResourceId").asText(""),
        detail.path("LastUpdatedTimestamp").asText(""), metadata.isEmpty() ? null : JSON.readTree(metadata));
  }
}
