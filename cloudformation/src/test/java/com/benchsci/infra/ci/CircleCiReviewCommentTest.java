package com.benchsci.infra.ci;

import static com.benchsci.infra.ci.CircleCiConfigSchemaTest.REPO;
import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.deploy.Review;
import com.benchsci.deployer.report.ReviewMarkdown;
import com.benchsci.deployer.testing.SyntheticReviews;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * .circleci/post-review-comment.sh keeps ONE review comment per pull request: posted on the first push, the
 * same comment edited on every later one; .circleci/reviewed-digests.sh reads its digests back for the master
 * deploy of the merged pull request. Run for real (bash, curl, jq) against a small local stand-in for the
 * three GitHub REST calls it makes (list a PR's comments by page, create one, edit one), on loopback.
 */
@Tag("emulator")
class CircleCiReviewCommentTest {

  private static final Path SCRIPT = REPO.resolve(".circleci/post-review-comment.sh");
  private static final String MARKER = "<!-- hello-host-review -->";
  private static final String TOKEN = "test-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;
  private HttpServer server;
  /** The pull request's comments by id, in creation order, as GitHub keeps them. */
  private final Map<Long, String> comments = Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private long nextId = 1000;
  /** The pull request (7) that the master commit MERGE_SHA merged, and its last commit; null: none merged. */
  private volatile String mergedPullHead = "abc1234";
  private static final Path DIGESTS_SCRIPT = REPO.resolve(".circleci/reviewed-digests.sh");
  private static final String MERGE_SHA = "9f9f9f9";
  private static final String DIGEST = "hello-host=" + "ab".repeat(32);
  /** When set, listing a pull request's comments is refused as GitHub refuses a token without that permission. */
  private volatile boolean commentsRefused;

  @BeforeEach
  void startGitHub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/repos/acme/hello/issues/", this::handle);
    server.createContext("/repos/acme/hello/commits/", this::handle);
    server.start();
  }

  @AfterEach
  void stopGitHub() {
    server.stop(0);
  }

  @Test
  void theFirstPushPostsTheReviewAndLaterPushesEditThatSameComment() throws Exception {
    for (int i = 0; i < 150; i++) { // other people's comments: ours lands on the second page of 100
      comments.put(nextId++, "LGTM " + i);
    }

    Result first = post(review("| Add | WebServer | AWS::EC2::Instance |"));
    assertThat(first.exitCode()).as(first.output()).isZero();
    assertThat(comments).hasSize(151);
    long ours = ourComments().get(0);

    Result second = post(review("| Modify | WebSecurityGroup | AWS::EC2::SecurityGroup |"));
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.output()).contains("Updated review comment " + ours);
    assertThat(ourComments()).as("one review comment, edited in place").containsExactly(ours);
    assertThat(comments.get(ours))
        .startsWith(MARKER)
        .contains("| Modify | WebSecurityGroup | AWS::EC2::SecurityGroup |", "abc1234", "Nothing was executed")
        .doesNotContain("WebServer");
    assertThat(requests).filteredOn(r -> r.startsWith("POST")).hasSize(1);
    assertThat(requests).filteredOn(r -> r.startsWith("PATCH")).containsExactly("PATCH /repos/acme/hello/issues/comments/" + ours);
  }

  @Test
  void theMasterDeployReadsTheDigestsOfTheReviewOfTheMergedPullRequestsLastCommit() throws Exception {
    for (int i = 0; i < 120; i++) {
      comments.put(nextId++, "LGTM " + i);
    }
    assertThat(post(reviewWithDigests()).exitCode()).isZero();

    Result read = readDigests();
    assertThat(read.exitCode()).as(read.output()).isZero();
    assertThat(read.output().lines().toList()).last().isEqualTo(DIGEST);
  }

  @Test
  void aReviewOfAnEarlierCommitOfThePullRequestCountsForNothing() throws Exception {
    assertThat(post(reviewWithDigests()).exitCode()).isZero();
    mergedPullHead = "def5678"; // pushed after the review, merged before its review was posted

    Result read = readDigests();
    assertThat(read.exitCode()).as(read.output()).isZero();
    assertThat(read.output()).contains("not of its last commit def5678").doesNotContain(DIGEST);
  }

  @Test
  void aCommitNoPullRequestMergedHasNoReviewedDigests() throws Exception {
    assertThat(post(reviewWithDigests()).exitCode()).isZero();
    mergedPullHead = null;

    Result read = readDigests();
    assertThat(read.exitCode()).as(read.output()).isZero();
    assertThat(read.output()).contains("no merged pull request for " + MERGE_SHA).doesNotContain(DIGEST);
  }

  private Path reviewWithDigests() throws IOException {
    Path file = review("| Modify | WebSecurityGroup | AWS::EC2::SecurityGroup |");
    Files.writeString(file, Files.readString(file) + "\n\n<!-- hello-host-digests: " + DIGEST + " -->\n");
    return file;
  }

  private Result readDigests() throws Exception {
    return runScript(DIGESTS_SCRIPT, Map.of(
        "GITHUB_API_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
        "GITHUB_TOKEN", TOKEN,
        "CIRCLE_PROJECT_USERNAME", "acme",
        "CIRCLE_PROJECT_REPONAME", "hello",
        "CIRCLE_SHA1", MERGE_SHA));
  }

  @Test
  void aReviewTooLongForOneCommentIsCutToFitAndSaysSo() throws Exception {
    Result result = post(review("| Add | Thing | AWS::X |\n".repeat(5000)));
    assertThat(result.exitCode()).as(result.output()).isZero();
    String body = comments.get(ourComments().get(0));
    assertThat(body.length()).isLessThanOrEqualTo(65536);
    assertThat(body).contains("cut to fit a GitHub comment");
  }

  /**
   * The deployer's comment of a change far too big for one comment (thousands of resources, a hundred and fifty
   * rules added by hand), posted as it is: the body GitHub receives stays under its limit (GitHub answers "Body is
   * too long (maximum is 65536 characters)" beyond it), links the job whose artifacts hold the whole review, was not
   * cut by the script, and still carries the digests that the master deploy then reads back.
   */
  @Test
  void theDeployersCommentOfAHugeReviewFitsAndItsDigestsAreReadBack() throws Exception {
    String bootstrap = "hello-host-bootstrap=" + "cd".repeat(32);
    String app = "hello-host=" + "ef".repeat(32);
    Review review = SyntheticReviews.huge(3000, 150, "cd".repeat(32), "ef".repeat(32));
    assertThat(ReviewMarkdown.render(review).length()).as("the whole review").isGreaterThan(65_536);
    Path comment = work.resolve("review-comment.md");
    Files.writeString(comment, ReviewMarkdown.comment(review));

    Result posted = run(comment, Map.of("CIRCLE_BUILD_URL", "https://circleci.com/gh/acme/hello/4711"));
    assertThat(posted.exitCode()).as(posted.output()).isZero();
    String body = comments.get(ourComments().get(0));
    assertThat(body.length()).isLessThanOrEqualTo(65_536);
    assertThat(body.getBytes(StandardCharsets.UTF_8).length).as("in bytes too").isLessThanOrEqualTo(65_536);
    assertThat(body).startsWith(MARKER + "\n<!-- hello-host-digests: " + bootstrap + "," + app + " -->\n")
        .contains("more hello-host change(s): see the whole review", "The whole review: review.md in the Artifacts"
            + " of [the review job](https://circleci.com/gh/acme/hello/4711).")
        .doesNotContain("cut to fit a GitHub comment");

    Result read = readDigests();
    assertThat(read.exitCode()).as(read.output()).isZero();
    assertThat(read.output().lines().toList()).last().isEqualTo(bootstrap + "," + app);
  }

  @Test
  void withoutAPullRequestNothingIsPosted() throws Exception {
    Result result = run(review("x"), Map.of("CIRCLE_PULL_REQUEST", ""));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("No pull request for this branch");
    assertThat(requests).isEmpty();
  }

  @Test
  void aMissingReviewFileFailsNamingTheFile() throws Exception {
    Result result = post(work.resolve("nowhere/review.md"));
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("nowhere/review.md does not exist");
    assertThat(requests).isEmpty();
  }

  @Test
  void aRefusedTokenFailsTheJob() throws Exception {
    Result result = run(review("x"), Map.of("GITHUB_TOKEN", "wrong"));
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("Bad credentials");
    assertThat(comments).isEmpty();
  }

  @Test
  void aRefusedCommentListingFailsThePostInsteadOfPostingASecondComment() throws Exception {
    assertThat(post(review("| Add | WebServer | AWS::EC2::Instance |")).exitCode()).isZero();
    commentsRefused = true;

    Result second = post(review("| Modify | WebSecurityGroup | AWS::EC2::SecurityGroup |"));

    assertThat(second.exitCode()).as(second.output()).isNotZero();
    assertThat(second.output()).contains("post-review-comment.sh: GitHub refused GET", "Resource not accessible");
    assertThat(ourComments()).hasSize(1);
    assertThat(requests).filteredOn(r -> r.startsWith("POST")).hasSize(1);
  }

  @Test
  void aRefusedCommentListingFailsTheDigestReadInsteadOfReadingNoReview() throws Exception {
    assertThat(post(reviewWithDigests()).exitCode()).isZero();
    commentsRefused = true;

    Result read = readDigests();

    assertThat(read.exitCode()).as(read.output()).isNotZero();
    assertThat(read.output()).contains("reviewed-digests.sh: GitHub refused GET", "Resource not accessible")
        .doesNotContain("has no review comment").doesNotContain(DIGEST);
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private List<Long> ourComments() {
    return comments.entrySet().stream().filter(e -> e.getValue().startsWith(MARKER)).map(Map.Entry::getKey).toList();
  }

  private Path review(String table) throws IOException {
    Path file = work.resolve("review-" + System.nanoTime() + ".md");
    Files.writeString(file, "### Change set against hello-host\n\n| Action | Logical id | Type |\n|---|---|---|\n" + table);
    return file;
  }

  /** Exit code and combined output of a script run. */
  record Result(int exitCode, String output) {}

  private Result post(Path review) throws Exception {
    return run(review, Map.of());
  }

  private Result run(Path review, Map<String, String> overrides) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(
        "GITHUB_API_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
        "GITHUB_TOKEN", TOKEN,
        "CIRCLE_PULL_REQUEST", "https://github.com/acme/hello/pull/7",
        "CIRCLE_PROJECT_USERNAME", "acme",
        "CIRCLE_PROJECT_REPONAME", "hello",
        "CIRCLE_SHA1", "abc1234"));
    env.putAll(overrides);
    return runScript(SCRIPT, env, review.toString());
  }

  /** Runs a script with bash, these variables added to the environment (null removes one), until it exits. */
  static Result runScript(Path script, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    env.forEach((name, value) -> {
      if (value == null) {
        builder.environment().remove(name);
      } else {
        builder.environment().put(name, value);
      }
    });
    Process process = builder.start();
    process.getOutputStream().close();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", script.getFileName()).isTrue();
    return new Result(process.exitValue(), output);
  }

  /** The GitHub REST calls the script makes, answered as GitHub answers them. */
  private void handle(HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    String method = exchange.getRequestMethod();
    requests.add(method + " " + uri.getPath());
    if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      respond(exchange, 401, JSON.createObjectNode().put("message", "Bad credentials"));
      return;
    }
    Matcher list = Pattern.compile("/repos/acme/hello/issues/7/comments").matcher(uri.getPath());
    Matcher edit = Pattern.compile("/repos/acme/hello/issues/comments/(\\d+)").matcher(uri.getPath());
    if (uri.getPath().equals("/repos/acme/hello/commits/" + MERGE_SHA + "/pulls") && method.equals("GET")) {
      ArrayNode pulls = JSON.createArrayNode();
      if (mergedPullHead != null) {
        ObjectNode pull = pulls.addObject().put("number", 7).put("merged_at", "2026-11-30T01:00:00Z");
        pull.putObject("head").put("sha", mergedPullHead);
      }
      respond(exchange, 200, pulls);
    } else if (list.matches() && method.equals("GET") && commentsRefused) {
      respond(exchange, 403, JSON.createObjectNode().put("message", "Resource not accessible by personal access token"));
    } else if (list.matches() && method.equals("GET")) {
      Map<String, String> query = query(uri);
      int perPage = Integer.parseInt(query.getOrDefault("per_page", "30"));
      int page = Integer.parseInt(query.getOrDefault("page", "1"));
      ArrayNode items = JSON.createArrayNode();
      comments.entrySet().stream().skip((long) (page - 1) * perPage).limit(perPage)
          .forEach(c -> items.add(comment(c.getKey(), c.getValue())));
      respond(exchange, 200, items);
    } else if (list.matches() && method.equals("POST")) {
      long id = nextId++;
      comments.put(id, body(exchange));
      respond(exchange, 201, comment(id, comments.get(id)));
    } else if (edit.matches() && method.equals("PATCH") && comments.containsKey(Long.parseLong(edit.group(1)))) {
      long id = Long.parseLong(edit.group(1));
      comments.put(id, body(exchange));
      respond(exchange, 200, comment(id, comments.get(id)));
    } else {
      respond(exchange, 404, JSON.createObjectNode().put("message", "Not Found"));
    }
  }

  private static ObjectNode comment(long id, String body) {
    return JSON.createObjectNode().put("id", id).put("body", body);
  }

  private static String body(HttpExchange exchange) throws IOException {
    JsonNode request = JSON.readTree(exchange.getRequestBody());
    return request.path("body").asText();
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> query = new LinkedHashMap<>();
    if (uri.getQuery() != null) {
      for (String pair : uri.getQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        query.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    return query;
  }

  private static void respond(HttpExchange exchange, int status, JsonNode json) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(json);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
