package com.benchsci.hostharness.standin;

import com.benchsci.deployer.template.Template;
import com.benchsci.hostharness.HostTemplate;
import com.benchsci.hostharness.Intrinsics;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDetail;

/**
 * A STAND-IN for one call of the CloudFormation API, DescribeStackResource, for the helper scripts on a host booted by
 * the harness. moto answers that call without the resource's Metadata, which is exactly what cfn-init and cfn-hup read,
 * so this endpoint asks the emulator for everything it does hold (DescribeStackResource for status and ids,
 * GetTemplate for the template the stack now has, DescribeStacks for its parameter values, DescribeStackResources for
 * the physical ids a Ref names) and adds the Metadata CloudFormation would serve: the resource's Metadata from that
 * template, its intrinsic functions evaluated with those values ({@link Intrinsics#of}). The answer has the shape of
 * the Query API's JSON answer that aws-cfn-bootstrap reads (DescribeStackResourceResponse / ...Result /
 * StackResourceDetail, Metadata as a JSON string; errors as {"Error": {"Code", "Message"}} with status 400). It
 * listens on the test network, for the host only, and answers no other action.
 */
public final class CloudFormationStandIn implements AutoCloseable {

  private final HttpServer server;
  private final CloudFormationClient emulator;
  private final Region region;

  private CloudFormationStandIn(HttpServer server, CloudFormationClient emulator, Region region) {
    this.server = server;
    this.emulator = emulator;
    this.region = region;
  }

  /** Listens on {@code address} (a free port) and asks the emulator at {@code emulatorEndpoint} in {@code region}. */
  public static CloudFormationStandIn start(String address, URI emulatorEndpoint, String region) {
    CloudFormationClient emulator = CloudFormationClient.builder().endpointOverride(emulatorEndpoint)
        .region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .build();
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 16);
      CloudFormationStandIn standIn = new CloudFormationStandIn(server, emulator, Region.of(region));
      server.createContext("/", standIn::answer);
      server.start();
      return standIn;
    } catch (IOException e) {
      emulator.close();
      throw new UncheckedIOException("cannot listen on " + address, e);
    }
  }

  public URI endpoint() {
    return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
  }

  /** The stack's template as the emulator holds it, evaluated with the stack's values: what its host is made of. */
  public HostTemplate hostTemplate(String stack) {
    Map<String, Object> template = template(stack);
    return HostTemplate.from(template, "template of stack " + stack, Intrinsics.of(template, values(stack)));
  }

  /** The Metadata CloudFormation would serve for {@code logicalId}: a JSON string, or null when it has none. */
  public String metadata(String stack, String logicalId) {
    Map<String, Object> template = template(stack);
    Object resource = ((Map<?, ?>) template.getOrDefault("Resources", Map.of())).get(logicalId);
    if (!(resource instanceof Map<?, ?> r) || r.get("Metadata") == null) {
      return null;
    }
    Object metadata = Intrinsics.of(template, values(stack)).evaluate(r.get("Metadata"), logicalId + ".Metadata");
    try {
      return StackResource.JSON.writeValueAsString(metadata);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    Map<String, String> query = parameters(exchange);
    ObjectNode body = StackResource.JSON.createObjectNode();
    int status = 200;
    try {
      if (!"DescribeStackResource".equals(query.get("Action"))) {
        throw new IllegalArgumentException("the CloudFormation stand-in answers only DescribeStackResource, not "
            + query.get("Action"));
      }
      String stack = query.get("StackName");
      String logicalId = query.get("LogicalResourceId");
      StackResourceDetail detail = emulator.describeStackResource(r -> r.stackName(stack).logicalResourceId(logicalId))
          .stackResourceDetail();
      ObjectNode out = body.putObject("DescribeStackResourceResponse");
      ObjectNode fields = out.putObject("DescribeStackResourceResult").putObject("StackResourceDetail");
      fields.put("StackName", detail.stackName());
      fields.put("StackId", detail.stackId());
      fields.put("LogicalResourceId", detail.logicalResourceId());
      fields.put("PhysicalResourceId", detail.physicalResourceId());
      fields.put("ResourceType", detail.resourceType());
      fields.put("ResourceStatus", detail.resourceStatusAsString());
      if (detail.lastUpdatedTimestamp() != null) {
        fields.put("LastUpdatedTimestamp", detail.lastUpdatedTimestamp().toEpochMilli() / 1000.0);
      }
      String metadata = metadata(stack, logicalId);
      if (metadata != null) {
        fields.put("Metadata", metadata);
      }
      out.putObject("ResponseMetadata").put("RequestId", UUID.randomUUID().toString());
    } catch (CloudFormationException e) {
      status = 400;
      error(body, e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage());
    } catch (RuntimeException e) {
      status = 400;
      error(body, "ValidationError", e.getMessage());
    }
    byte[] bytes = StackResource.JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static void error(ObjectNode body, String code, String message) {
    ObjectNode error = body.putObject("Error");
    error.put("Type", "Sender");
    error.put("Code", code);
    error.put("Message", message);
    body.put("RequestId", UUID.randomUUID().toString());
  }

  /** The query string's parameters, or a form body's (the Query API takes either). */
  private static Map<String, String> parameters(HttpExchange exchange) throws IOException {
    String raw = exchange.getRequestURI().getRawQuery();
    if ("POST".equals(exchange.getRequestMethod())) {
      raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        String[] kv = pair.split("=", 2);
        parameters.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
    }
    return parameters;
  }

  /** The template the stack has now (GetTemplate), parsed as the deployer parses templates. */
  private Map<String, Object> template(String stack) {
    String body = emulator.getTemplate(r -> r.stackName(stack)).templateBody();
    try {
      Path file = Files.createTempFile("hello-host-stack-template", ".yaml");
      try {
        Files.writeString(file, body, StandardCharsets.UTF_8);
        return Template.load(file).tree();
      } finally {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse the template of " + stack, e);
    }
  }

  /** Pseudo parameters, parameter values and physical ids of the stack, as the emulator holds them. */
  private Intrinsics.StackValues values(String stack) {
    Stack described = emulator.describeStacks(r -> r.stackName(stack)).stacks().get(0);
    String[] arn = described.stackId().split(":");
    Map<String, String> pseudo = Map.of(
        "AWS::StackName", described.stackName(),
        "AWS::StackId", described.stackId(),
        "AWS::Region", region.id(),
        "AWS::AccountId", arn[4],
        "AWS::Partition", arn[1],
        "AWS::URLSuffix", arn[1].equals("aws-cn") ? "amazonaws.com.cn" : "amazonaws.com");
    Map<String, String> parameters = new LinkedHashMap<>();
    described.parameters().forEach(p -> parameters.put(p.parameterKey(), p.parameterValue()));
    Map<String, String> physicalIds = new LinkedHashMap<>();
    emulator.describeStackResources(r -> r.stackName(stack)).stackResources()
        .forEach(r -> physicalIds.put(r.logicalResourceId(), r.physicalResourceId()));
    return new Intrinsics.StackValues(pseudo, parameters, physicalIds);
  }

  @Override
  public void close() {
    server.stop(0);
    emulator.close();
  }
}
