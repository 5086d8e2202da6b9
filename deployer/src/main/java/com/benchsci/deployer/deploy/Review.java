package com.benchsci.deployer.deploy;

import com.benchsci.deployer.impact.Impact;
import com.benchsci.deployer.stack.StackResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run showed, stack by stack, for the reviewer: the data of the pull request's review, which the report
 * adapter renders (report.ReviewMarkdown). A section holds everything about one stack: its change set as shown and
 * the assessment of it (replacement, interruption, cost, hand-made changes kept or reverted); {@link #outlook()}
 * sums the sections up for the review's first lines.
 */
public final class Review {

  /** One stack's part of the review. */
  public sealed interface Section permits Shown, NotShown {
    String stackName();
  }

  /**
   * The changes of one stack as shown. {@code finding}: what the deployer found on the live stack before its change
   * set (the host gone), or empty; {@code notes}: lines shown above the changes (the image choice); {@code detail}:
   * a line below them (the Guard Hook's rules), or empty.
   */
  public record Shown(String stackName, StackResult result, String finding, List<String> notes, String detail)
      implements Section {

    public Shown {
      notes = List.copyOf(notes);
    }

    public static Shown of(String stackName, StackResult result) {
      return new Shown(stackName, result, "", List.of(), "");
    }
  }

  /** A stack that could not be reviewed in this run, and why. */
  public record NotShown(String stackName, String reason) implements Section {}

  private final String target;
  private final String runName;
  private final List<Section> sections = new ArrayList<>();

  /** {@code target}: where the change sets were made; {@code runName}: the run, which is their name. */
  public Review(String target, String runName) {
    this.target = target;
    this.runName = runName;
  }

  public void add(Section section) {
    sections.add(section);
  }

  public String target() {
    return target;
  }

  public String runName() {
    return runName;
  }

  public List<Section> sections() {
    return List.copyOf(sections);
  }

  /** Stack to digest, for every stack whose changes were shown: what a deploy may execute once approved. */
  public Map<String, String> digests() {
    Map<String, String> digests = new LinkedHashMap<>();
    for (Section section : sections) {
      if (section instanceof Shown shown && !shown.result().digest().isEmpty()) {
        digests.put(shown.stackName(), shown.result().digest());
      }
    }
    return digests;
  }

  /**
   * What the whole run means for the site, every shown stack's summary combined: is it reachable while the changes
   * are applied, is the Elastic IP kept, the monthly cost before and after. Empty when no stack was shown.
   */
  public Optional<Impact.Summary> outlook() {
    List<Impact.Summary> summaries = sections.stream().filter(s -> s instanceof Shown)
        .map(s -> ((Shown) s).result().assessment().impact().summary()).toList();
    return summaries.isEmpty() ? Optional.empty() : Optional.of(Impact.Summary.combined(summaries));
  }

  /** Whether a change set was not executed because it was not the reviewed one: the run needs a new review. */
  public boolean unreviewed() {
    return sections.stream().anyMatch(s -> s instanceof Shown shown
        && shown.result().kind() == StackResult.Kind.UNREVIEWED);
  }
}
