package com.benchsci.deployer.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy between the deployer and a real moto server that can misbehave on purpose: answer the next
 * CloudFormation calls with throttling or 503 errors, rewrite DescribeStacks answers, hold calls of one action
 * unanswered (a slow endpoint, to catch a deployer mid-wait), or answer the next call of one action late, after moto
 * did it (a moto starved of CPU). Everything else is forwarded unchanged, so moto still does the work.
 */
public final class FaultProxy implements AutoCloseable {

  /** One injected failure: HTTP status and body. */
  public record Fault(int status, String body) {
    public static Fault throttling() {
      return new Fault(400, "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error>"
          + "<Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
          + "<RequestId>fault-proxy</RequestId></ErrorResponse>");
    }

    public static Fault unavailable() {
      return new Fault(503, "Service Unavailable");
    }

    /**
     * What AWS answers a role whose policy does not allow {@code action} on the stack: 403 AccessDenied, a client
     * error the SDK does not retry.
     */
    public static Fault accessDenied(String action) {
      return new Fault(403, "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error>"
          + "<Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::123456789012:assumed-role/"
          + "fault-proxy/test is not authorized to perform: cloudformation:" + action + "</Message></Error>"
          + "<RequestId>fault-proxy</RequestId></ErrorResponse>");
    }
  }

  private static final Set<String> NOT_FORWARDED =
      Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding");

  private final URI target;
  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger faultsServed = new AtomicInteger();
  private final AtomicInteger held = new AtomicInteger();
  private static final Pattern ACTION = Pattern.compile("(?:^|&)Action=([A-Za-z]+)");
  /** The CloudFormation requests that passed: action and body, as the SDK sent them. */
  private record Request(String action, String body) {}

  private final ConcurrentLinkedQueue<Request> cloudFormationRequests = new ConcurrentLinkedQueue<>();
  private volatile UnaryOperator<String> describeStacksRewrite = UnaryOperator.identity();
  private volatile String holdAction;
  private volatile String holdAfter;
  private volatile boolean holding;
  private volatile CountDownLatch release = new CountDownLatch(0);
  private volatile String lateAction;
  private volatile Duration lateBy = Duration.ZERO;
  private final Map<String, Fault> refusals = new ConcurrentHashMap<>();

  public FaultProxy(URI target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    // One thread per call: a held call must not hold up the others.
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fault-proxy");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Clears faults, rewrites and counters between tests. */
  public synchronized void reset() {
    faults.clear();
    describeStacksRewrite = UnaryOperator.identity();
    lateAction = null;
    refusals.clear();
    requests.set(0);
    faultsServed.set(0);
    holdAction = null;
    holding = false;
    held.set(0);
    release.countDown();
    cloudFormationRequests.clear();
  }

  /**
   * Once a call of action {@code after} has passed, calls of {@code action} are held unanswered until {@link #reset}
   * (the deployer's own timeouts give up on them first).
   */
  public void holdCalls(String action, String after) {
    release = new CountDownLatch(1);
    holding = false;
    holdAfter = after;
    holdAction = action;
  }

  /** How many calls are being held now or were held since the last reset. */
  public int held() {
    return held.get();
  }

  /**
   * Waits until {@code process} is stuck on a held call, so that a signal sent next lands mid-wait; fails when the
   * process exits first or reaches no held call within two minutes.
   */
  public void awaitHeldCallOf(Process process) throws InterruptedException {
    Instant limit = Instant.now().plus(Duration.ofMinutes(2));
    while (held.get() == 0) {
      if (!process.isAlive()) {
        throw new AssertionError("the process exited (status " + process.exitValue() + ") before a held call");
      }
      if (Instant.now().isAfter(limit)) {
        throw new AssertionError("the process reached no held call within 2 min");
      }
      Thread.sleep(50);
    }
  }

  /** The next CloudFormation calls get these answers instead of moto's, in order. */
  public synchronized void failNextCloudFormationCalls(List<Fault> next) {
    faults.addAll(next);
  }

  /**
   * The next call of {@code action} reaches moto, which does it, and its answer comes {@code by} later: what a client
   * meets when the endpoint is busy for longer than one attempt may take.
   */
  public void answerNextLate(String action, Duration by) {
    lateBy = by;
    lateAction = action;
  }

  /** Every later call of CloudFormation's {@code action} gets {@code fault} instead of moto's answer. */
  public void refuse(String action, Fault fault) {
    refusals.put(action, fault);
  }

  /** Applies {@code rewrite} to the body of every DescribeStacks answer until a DeleteStack call passes. */
  public void rewriteDescribeStacksUntilDelete(UnaryOperator<String> rewrite) {
    describeStacksRewrite = rewrite;
  }

  public int requests() {
    return requests.get();
  }

  /** How many requests of this CloudFormation API action passed (e.g. CreateChangeSet). */
  public int calls(String action) {
    return requests(action).size();
  }

  /**
   * The bodies of the requests of this CloudFormation API action that passed, in order, as the SDK sent them (the
   * query protocol's form encoding: {@code Action=CreateChangeSet&...&DeploymentMode=REVERT_DRIFT&...}).
   */
  public List<String> requests(String action) {
    return cloudFormationRequests.stream().filter(r -> r.action().equals(action)).map(Request::body).toList();
  }

  public int faultsServed() {
    return faultsServed.get();
  }

  private synchronized boolean takeLate(String body) {
    if (lateAction == null || !body.contains("Action=" + lateAction + "&")) {
      return false;
    }
    lateAction = null;
    return true;
  }

  private synchronized Fault nextFault() {
    return faults.poll();
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    String text = new String(body, StandardCharsets.UTF_8);
    boolean cloudFormation = text.contains("Action=") && text.contains("Version=2010-05-15");
    String hold = holdAction;
    if (hold != null && holding && text.contains("Action=" + hold + "&")) {
      held.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Matcher action = ACTION.matcher(text);
    Fault refusal = null;
    if (cloudFormation && action.find()) {
      cloudFormationRequests.add(new Request(action.group(1), text));
      refusal = refusals.get(action.group(1));
    }
    Fault fault = cloudFormation ? (refusal != null ? refusal : nextFault()) : null;
    if (fault != null) {
      faultsServed.incrementAndGet();
      respond(exchange, fault.status(), Map.of("Content-Type", List.of("text/xml")),
          fault.body().getBytes(StandardCharsets.UTF_8));
      return;
    }
    HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> forward.header(name, v));
      }
    });
    HttpResponse<byte[]> response;
    try {
      response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    byte[] answer = response.body();
    if (cloudFormation && takeLate(text)) {
      try {
        Thread.sleep(lateBy.toMillis()); // the fault itself: an answer that comes this much later
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    if (hold != null && text.contains("Action=" + holdAfter + "&")) {
      holding = true;
    }
    if (text.contains("Action=DeleteStack")) {
      describeStacksRewrite = UnaryOperator.identity();
    }
    if (text.contains("Action=DescribeStacks")) {
      answer = describeStacksRewrite.apply(new String(answer, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }
    respond(exchange, response.statusCode(), response.headers().map(), answer);
  }

  private static void respond(HttpExchange exchange, int status, Map<String, List<String>> headers, byte[] body)
      throws IOException {
    headers.forEach((name, values) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
        exchange.getResponseHeaders().put(name, values);
      }
    });
    boolean noBody = body.length == 0 || exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }
}
