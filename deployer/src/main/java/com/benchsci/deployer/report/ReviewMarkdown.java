package com.benchsci.deployer.report;

import com.benchsci.deployer.core.ReviewedDigests;
import com.benchsci.deployer.core.TextFile;
import com.benchsci.deployer.deploy.DeployOutcome;
import com.benchsci.deployer.deploy.Review;
import com.benchsci.deployer.impact.HandMade;
import com.benchsci.deployer.impact.Impact;
import com.benchsci.deployer.stack.Assessment;
import com.benchsci.deployer.stack.StackResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The review as the pull request shows it. It opens with all digests in a hidden line that the master deploy reads
 * back (.circleci/reviewed-digests.sh), then what the whole change means for the site (reachable or not and for how
 * long, the Elastic IP, the monthly cost before and after, the hand-made changes kept or reverted), then one section
 * per stack: its digest, its outlook, its hand-made changes, one row per resource it touches, and CloudFormation's
 * own list with how each cost was computed folded away. The format is read by CI scripts: change it only together
 * with them.
 *
 * <p>Two renderings: the whole review ({@code review.md}, a build artifact) and the pull request's comment
 * ({@code review-comment.md}), which must stay under GitHub's limit for a comment body whatever the change: it
 * keeps the summary, every digest and every stack's outlook, and leaves out rows, then the folded details, from
 * the end, saying how many and where the whole review is.
 */
public final class ReviewMarkdown {

  static final String DIGESTS_MARKER = "<!-- hello-host-digests: ";

  /**
   * What the comment may take, in UTF-8 bytes (never fewer than its characters): GitHub refuses a comment body over
   * 65,536 characters ("Body is too long (maximum is 65536 characters)", the REST API's answer to Create an issue
   * comment), and post-review-comment.sh adds its marker and a footer with the link to the whole review.
   */
  static final int COMMENT_BUDGET = 60_000;

  /** Room for the closing line that says what the comment left out, and for each "... and N more" line. */
  private static final int CLOSING = 300;
  private static final int LEFT_OUT_LINE = 120;

  /** The longest a line that is always shown may be, so the summary of any change fits the comment. */
  private static final int ESSENTIAL_CAP = 4_000;

  private ReviewMarkdown() {}

  /** The whole review. */
  public static String render(Review review) {
    return render(review, Integer.MAX_VALUE);
  }

  /** The review as one pull-request comment: at most {@link #COMMENT_BUDGET} bytes. */
  public static String comment(Review review) {
    return render(review, COMMENT_BUDGET);
  }

  /**
   * Writes the outcome's review, the comment made of it and, beside them, its digests, when the outcome has a
   * review.
   */
  public static void write(DeployOutcome outcome) {
    if (outcome.hasReview()) {
      TextFile.write(outcome.reviewFile(), render(outcome.review()));
      TextFile.write(outcome.commentFile(), comment(outcome.review()));
      TextFile.write(outcome.digestsFile(), digests(outcome.review()) + "\n");
    }
  }

  /** {@code stack=digest,...}: the content of review-digests.txt, as {@code --reviewed-digests} takes them. */
  public static String digests(Review review) {
    return ReviewedDigests.format(review.digests());
  }

  private enum Kind {
    /** Always shown: the digests, the outlooks, every stack's heading and result. */
    ESSENTIAL,
    /** One row or hand-made change: shown while the budget lasts, in order, then counted as left out. */
    ITEM,
    /** Folded details: shown only when every item was. */
    EXTRA
  }

  /** A piece of the review; {@code group} names the list an item belongs to (for "N more ..."). */
  private record Part(Kind kind, String group, String text) {}

  private static String render(Review review, int budget) {
    List<Part> parts = new ArrayList<>();
    // The digests first: whatever is left out, the comment still carries them.
    essential(parts, DIGESTS_MARKER + digests(review) + " -->\n");
    review.outlook().ifPresent(o -> essential(parts, "**" + ImpactText.outlook(o) + "**\n" + ImpactText.cost(o)
        + "\n"));
    String handMade = handMadeTotals(review);
    if (!handMade.isEmpty()) {
      essential(parts, handMade + "\n");
    }
    essential(parts, "\n## CloudFormation change set review\n\nTarget: " + review.target() + ". Change sets `"
        + review.runName() + "` were created and rendered; each one not executed was deleted.\n");
    for (Review.Section section : review.sections()) {
      essential(parts, "\n### Stack `" + section.stackName() + "`\n");
      if (section instanceof Review.Shown shown) {
        shown(parts, shown);
      } else if (section instanceof Review.NotShown notShown) {
        essential(parts, "\n" + notShown.reason() + "\n");
      }
    }
    if (budget == Integer.MAX_VALUE) {
      boolean[] all = new boolean[parts.size()];
      Arrays.fill(all, true);
      return join(parts, all, Map.of());
    }
    return fit(parts, budget);
  }

  /** "Hand-made changes: 1 kept by this deploy, 1 reverted by this deploy." or empty when none was found. */
  private static String handMadeTotals(Review review) {
    Map<HandMade.Verdict, Integer> counts = new HashMap<>();
    for (Review.Section section : review.sections()) {
      if (section instanceof Review.Shown shown) {
        shown.result().assessment().handMade().forEach(j -> counts.merge(j.verdict(), 1, Integer::sum));
      }
    }
    List<String> said = new ArrayList<>();
    for (HandMade.Verdict v : HandMade.Verdict.values()) {
      if (counts.containsKey(v)) {
        said.add(counts.get(v) + " " + v.words());
      }
    }
    return said.isEmpty() ? "" : "Hand-made changes: " + String.join(", ", said) + ".";
  }

  private static void shown(List<Part> parts, Review.Shown section) {
    StackResult result = section.result();
    Assessment assessment = result.assessment();
    Impact impact = assessment.impact();
    String stack = section.stackName();
    // Each block opens with the blank line that separates it from the one before.
    if (!section.finding().isEmpty()) {
      essential(parts, "\n**" + section.finding() + ".**\n");
    }
    if (!section.notes().isEmpty()) {
      essential(parts, "\n");
      section.notes().forEach(n -> essential(parts, "- " + n + "\n"));
    }
    if (!result.digest().isEmpty()) {
      essential(parts, "\nDigest: `" + result.digest() + "`\n");
    }
    essential(parts, switch (result.kind()) {
      case NO_CHANGES -> "\nNo changes.\n";
      case CHANGED -> "\nExecuted: its digest was the reviewed one.\n";
      case UNREVIEWED -> "\n**Not executed**: not the reviewed change set.\n";
      case REVIEWED -> result.note().isEmpty() ? "" : "\n" + result.note() + "\n";
    });
    if (!impact.rows().isEmpty()) {
      essential(parts, "\n" + ImpactText.outlook(impact.summary()) + "\n" + ImpactText.cost(impact.summary())
          + "\n");
    }
    if (!assessment.handMade().isEmpty()) {
      essential(parts, "\nHand-made changes (" + assessment.handMade().size() + "):\n\n");
      for (HandMade.Judged j : assessment.handMade()) {
        parts.add(new Part(Kind.ITEM, stack + " hand-made change(s)", "- **" + j.verdict().words() + "**: `"
            + j.change().logicalId() + "`: " + Markdown.inline(j.change().what()) + "; " + Markdown.inline(j.why())
            + "\n"));
      }
    }
    assessment.notes().forEach(n -> essential(parts, "\nNot compared: " + Markdown.inline(n) + "\n"));
    if (!impact.rows().isEmpty()) {
      essential(parts, "\n" + impact.rows().size() + " change(s):\n\n" + ImpactText.TABLE.markdownHeader());
      impact.rows().forEach(r -> parts.add(new Part(Kind.ITEM, stack + " change(s)",
          ImpactText.TABLE.markdownRow(r))));
      parts.add(new Part(Kind.EXTRA, "", details(section)));
    }
    if (!section.detail().isEmpty()) {
      essential(parts, "\n" + section.detail() + "\n");
    }
  }

  /** CloudFormation's own list, how each cost was computed, the pages the rules come from: folded. */
  private static String details(Review.Shown section) {
    StackResult result = section.result();
    Impact impact = result.assessment().impact();
    StringBuilder s = new StringBuilder("\n<details><summary>CloudFormation's change set, how each cost was"
        + " computed, the rules' sources</summary>\n\n");
    if (!result.changes().rows().isEmpty()) {
      s.append("CloudFormation's change set (").append(result.changes().rows().size()).append("):\n\n")
          .append(ChangeTableText.markdown(result.changes())).append('\n');
    }
    List<String> costs = ImpactText.costBases(impact);
    if (!costs.isEmpty()) {
      s.append("Monthly cost, before -> after:\n\n");
      costs.forEach(c -> s.append("- ").append(Markdown.inline(c)).append('\n'));
      s.append('\n');
    }
    List<String> sources = ImpactText.sources(impact);
    if (!sources.isEmpty()) {
      s.append("Update behaviours from:\n\n");
      sources.forEach(u -> s.append("- <").append(u).append(">\n"));
      s.append('\n');
    }
    return s.append("</details>\n").toString();
  }

  private static void essential(List<Part> parts, String text) {
    parts.add(new Part(Kind.ESSENTIAL, "", text.length() > ESSENTIAL_CAP
        ? text.substring(0, ESSENTIAL_CAP) + "... (cut: see the whole review)\n" : text));
  }

  /**
   * The parts that fit {@code budget} bytes: every essential one, then the items in order until one does not fit
   * (the rest of its list is counted instead), then the folded details if everything else fitted.
   */
  private static String fit(List<Part> parts, int budget) {
    boolean[] shown = new boolean[parts.size()];
    int remaining = budget - CLOSING;
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).kind() == Kind.ESSENTIAL) {
        shown[i] = true;
        remaining -= bytes(parts.get(i).text());
      }
    }
    Map<String, Integer> leftOut = new HashMap<>();
    for (int i = 0; i < parts.size(); i++) {
      Part p = parts.get(i);
      if (p.kind() != Kind.ITEM) {
        continue;
      }
      // Room is kept for the line that says how many of a list were left out.
      if (!leftOut.containsKey(p.group()) && bytes(p.text()) + LEFT_OUT_LINE <= remaining) {
        shown[i] = true;
        remaining -= bytes(p.text());
      } else {
        remaining -= leftOut.containsKey(p.group()) ? 0 : LEFT_OUT_LINE;
        leftOut.merge(p.group(), 1, Integer::sum);
      }
    }
    boolean extrasLeftOut = false;
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).kind() == Kind.EXTRA) {
        shown[i] = leftOut.isEmpty() && bytes(parts.get(i).text()) <= remaining;
        remaining -= shown[i] ? bytes(parts.get(i).text()) : 0;
        extrasLeftOut |= !shown[i];
      }
    }
    String text = join(parts, shown, leftOut);
    if (!leftOut.isEmpty() || extrasLeftOut) {
      text += "\n_This comment leaves out " + (leftOut.isEmpty() ? "CloudFormation's details"
          : leftOut.values().stream().mapToInt(Integer::intValue).sum() + " line(s)")
          + " to fit GitHub's limit for a comment: the whole review is the build artifact `review.md`._\n";
    }
    return bytes(text) <= budget ? text : cut(text, budget);
  }

  /** The shown parts in order, each cut list followed by how many of it were left out. */
  private static String join(List<Part> parts, boolean[] shown, Map<String, Integer> leftOut) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      Part p = parts.get(i);
      if (shown[i]) {
        text.append(p.text());
      }
      boolean lastOfGroup = p.kind() == Kind.ITEM && (i + 1 == parts.size()
          || !p.group().equals(parts.get(i + 1).group()));
      if (lastOfGroup && leftOut.containsKey(p.group())) {
        text.append("\n_... and ").append(leftOut.get(p.group())).append(" more ").append(p.group())
            .append(": see the whole review._\n");
      }
    }
    return text.toString();
  }

  /** A last resort that cannot be reached with sane input: the first {@code budget} bytes, on a character edge. */
  private static String cut(String text, int budget) {
    String tail = "\n... (cut to fit GitHub's limit: see the whole review)\n";
    int end = Math.min(text.length(), budget - bytes(tail));
    while (end > 0 && bytes(text.substring(0, end)) > budget - bytes(tail)) {
      end -= Math.max(1, (bytes(text.substring(0, end)) - budget + bytes(tail)) / 4);
    }
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, Math.max(0, end)) + tail;
  }

  private static int bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
