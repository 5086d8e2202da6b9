package com.benchsci.deployer.stack;

import com.benchsci.deployer.core.Backoff;
import com.benchsci.deployer.core.DeployException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;

/**
 * Follows a stack operation: prints the stack's new events as they appear, each once, oldest first, with the time
 * since the operation began, until the stack settles or the wait limit is reached. Events that existed before
 * {@link #skipExisting()} are never shown, so an old failure is not mistaken for a new one.
 */
final class EventStream {

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final String CANCELLED = "Resource creation cancelled";

  private final CloudFormationClient cfn;
  private final Stacks stacks;
  private final String stackName;
  private final PrintWriter out;
  private final Instant start = Instant.now();
  private final Set<String> seen = new HashSet<>();
  private final List<StackEvent> shown = new ArrayList<>();

  EventStream(CloudFormationClient cfn, Stacks stacks, String stackName, PrintWriter out) {
    this.cfn = cfn;
    this.stacks = stacks;
    this.stackName = stackName;
    this.out = out;
  }

  /** Remembers the events already there (newest page is enough: older ones are behind them). */
  void skipExisting() {
    cfn.describeStackEvents(r -> r.stackName(stackName)).stackEvents().forEach(e -> seen.add(e.eventId()));
  }

  /** Prints the events that appeared since the last call. */
  void poll() {
    List<StackEvent> fresh = new ArrayList<>();
    // Newest first from the API: stop paging at the first event already seen.
    for (StackEvent e : cfn.describeStackEventsPaginator(r -> r.stackName(stackName)).stackEvents()) {
      if (seen.contains(e.eventId())) {
        break;
      }
      fresh.add(e);
    }
    Collections.reverse(fresh);
    for (StackEvent e : fresh) {
      seen.add(e.eventId());
      shown.add(e);
      out.println(line(e));
    }
    out.flush();
  }

  /** Prints the events until the stack leaves *_IN_PROGRESS; returns its status then (DELETE_COMPLETE if gone). */
  String followUntilSettled(Duration waitLimit) {
    Instant deadline = Instant.now().plus(waitLimit);
    Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15));
    while (true) {
      poll();
      String status = stacks.status(stackName);
      if (status == null) {
        return "DELETE_COMPLETE";
      }
      if (StackState.outcome(status) != StackState.Outcome.RUNNING) {
        return status;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new DeployException("stopped waiting after " + waitLimit.toMinutes() + " min: stack " + stackName
            + " is still " + status + "; follow it with: aws cloudformation describe-stack-events --stack-name "
            + stackName);
      }
      backoff.pause();
    }
  }

  Duration elapsed() {
    return Duration.between(start, Instant.now());
  }

  /** The failures among the shown events that caused the others: cancellations are only consequences. */
  List<StackEvent> rootCauses() {
    return shown.stream()
        .filter(e -> e.resourceStatusAsString() != null && e.resourceStatusAsString().endsWith("_FAILED"))
        .filter(e -> e.resourceStatusReason() == null || !e.resourceStatusReason().contains(CANCELLED))
        .toList();
  }

  private String line(StackEvent e) {
    long seconds = Duration.between(start, Instant.now()).toSeconds();
    String reason = e.resourceStatusReason() == null ? "" : "  " + e.resourceStatusReason();
    return String.format("  [%4ds] %s  %-28s %-34s %s%s", seconds, CLOCK.format(e.timestamp()),
        e.resourceStatusAsString(), e.resourceType(), e.logicalResourceId(), reason);
  }

  static String describe(StackEvent e) {
    return e.logicalResourceId() + " (" + e.resourceType() + ") " + e.resourceStatusAsString() + ": "
        + e.resourceStatusReason();
  }
}
