package com.benchsci.deployer.report;

import com.benchsci.deployer.core.ReviewedDigests;
import com.benchsci.deployer.core.TextFile;
import com.benchsci.deployer.deploy.DeployOutcome;
import com.benchsci.deployer.deploy.Review;
import com.benchsci.deployer.stack.ChangeTable;
import com.benchsci.deployer.stack.StackResult;

/**
 * The review as the pull request shows it: one section per stack, each with the digest of what it shows, and all
 * digests once more in a hidden first line that the master deploy reads back (.circleci/reviewed-digests.sh). The
 * format is read by CI scripts: change it only together with them.
 */
public final class ReviewMarkdown {

  static final String DIGESTS_MARKER = "<!-- hello-host-digests: ";

  private ReviewMarkdown() {}

  public static String render(Review review) {
    StringBuilder text = new StringBuilder();
    // The digests first, so a review cut to fit a comment still carries them.
    text.append(DIGESTS_MARKER).append(digests(review)).append(" -->\n")
        .append("## CloudFormation change set review\n\n")
        .append("Target: ").append(review.target()).append(". Change sets `").append(review.runName())
        .append("` were created and rendered; each one not executed was deleted.\n");
    for (Review.Section section : review.sections()) {
      text.append("\n### Stack `").append(section.stackName()).append("`\n\n");
      if (section instanceof Review.Shown shown) {
        shown(text, shown);
      } else if (section instanceof Review.NotShown notShown) {
        text.append(notShown.reason()).append('\n');
      }
    }
    return text.toString();
  }

  /** Writes the outcome's review and, beside it, its digests, when the outcome has a review. */
  public static void write(DeployOutcome outcome) {
    if (outcome.hasReview()) {
      TextFile.write(outcome.reviewFile(), render(outcome.review()));
      TextFile.write(outcome.digestsFile(), digests(outcome.review()) + "\n");
    }
  }

  /** {@code stack=digest,...}: the content of review-digests.txt, as {@code --reviewed-digests} takes it. */
  public static String digests(Review review) {
    return ReviewedDigests.format(review.digests());
  }

  private static void shown(StringBuilder text, Review.Shown section) {
    StackResult result = section.result();
    if (!section.finding().isEmpty()) {
      text.append("**").append(section.finding()).append(".**\n\n");
    }
    section.notes().forEach(n -> text.append("- ").append(n).append('\n'));
    if (!section.notes().isEmpty()) {
      text.append('\n');
    }
    if (!result.digest().isEmpty()) {
      text.append("Digest: `").append(result.digest()).append("`\n\n");
    }
    ChangeTable changes = result.changes();
    switch (result.kind()) {
      case NO_CHANGES -> text.append("No changes.\n");
      case CHANGED -> text.append("Executed: its digest was the reviewed one.\n\n")
          .append(ChangeTableText.markdown(changes));
      case UNREVIEWED -> text.append("**Not executed**: not the reviewed change set. ")
          .append(changes.rows().size()).append(" change(s):\n\n").append(ChangeTableText.markdown(changes));
      case REVIEWED -> {
        if (!result.note().isEmpty()) {
          text.append(result.note()).append('\n');
        }
        if (!changes.rows().isEmpty()) {
          text.append(result.note().isEmpty() ? "" : "\n").append(changes.rows().size())
              .append(" change(s):\n\n").append(ChangeTableText.markdown(changes));
        }
      }
    }
    if (!section.detail().isEmpty()) {
      text.append('\n').append(section.detail()).append('\n');
    }
  }
}
