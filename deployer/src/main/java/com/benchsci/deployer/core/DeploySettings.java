package com.benchsci.deployer.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One deploy or review, every choice named: what ({@code sources}), where ({@code destination}) and under which
 * names ({@code naming}: the product's own unless a rehearsal gives others), whether to execute
 * ({@code mode}) and only what was reviewed ({@code reviewed}), which host image ({@code image}), the safeguards
 * (by default the environment's), the longest wait for one stack operation, where the Markdown review goes (its
 * digests and the pull request's comment beside it, {@link #digestsFile()}, {@link #commentFile()}), the run's id,
 * and whether hand-made changes are reverted ({@code drift}). Made with {@link #builder}.
 */
public record DeploySettings(Sources sources, Destination destination, Naming naming, Mode mode,
    ReviewedDigests reviewed, ImageChoice image, Set<Safeguard> safeguards, Duration waitLimit, Path reviewFile,
    RunId run, DriftChoice drift) {

  public static final Duration DEFAULT_WAIT = Duration.ofMinutes(30);

  public DeploySettings {
    Objects.requireNonNull(sources, "sources");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(naming, "naming");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(drift, "drift");
    safeguards = Set.copyOf(safeguards);
  }

  public static Builder builder(Sources sources, Destination destination, RunId run) {
    return new Builder(sources, destination, run);
  }

  public Environment environment() {
    return destination.environment();
  }

  public boolean has(Safeguard safeguard) {
    return safeguards.contains(safeguard);
  }

  /** {@code review-digests.txt} beside the review: the digests it shows, as {@code --reviewed-digests} takes them. */
  public Path digestsFile() {
    return reviewFile.resolveSibling("review-digests.txt");
  }

  /**
   * {@code review-comment.md} beside the review: the review cut to fit one pull-request comment (its summary first,
   * details folded), which .circleci/post-review-comment.sh posts; the whole review stays a build artifact.
   */
  public Path commentFile() {
    return reviewFile.resolveSibling("review-comment.md");
  }

  /**
   * Defaults: the product's names, deploy, no digest check, keep the image, the environment's safeguards, 30 min, target/review.md,
   * keep what was changed by hand.
   */
  public static final class Builder {
    private final Sources sources;
    private final Destination destination;
    private final RunId run;
    private Naming naming = Naming.PRODUCT;
    private Mode mode = Mode.DEPLOY;
    private ReviewedDigests reviewed = ReviewedDigests.ANY;
    private ImageChoice image = ImageChoice.KEEP;
    private Set<Safeguard> safeguards;
    private Duration waitLimit = DEFAULT_WAIT;
    private Path reviewFile;
    private DriftChoice drift = DriftChoice.KEEP;

    private Builder(Sources sources, Destination destination, RunId run) {
      this.sources = sources;
      this.destination = destination;
      this.run = run;
      this.safeguards = destination.environment().safeguards();
    }

    public Builder naming(Naming naming) {
      this.naming = naming;
      return this;
    }

    public Builder mode(Mode mode) {
      this.mode = mode;
      return this;
    }

    public Builder reviewed(ReviewedDigests reviewed) {
      this.reviewed = reviewed;
      return this;
    }

    public Builder image(ImageChoice image) {
      this.image = image;
      return this;
    }

    public Builder safeguards(Set<Safeguard> safeguards) {
      this.safeguards = safeguards.isEmpty() ? EnumSet.noneOf(Safeguard.class) : EnumSet.copyOf(safeguards);
      return this;
    }

    public Builder waitLimit(Duration waitLimit) {
      this.waitLimit = waitLimit;
      return this;
    }

    public Builder reviewFile(Path reviewFile) {
      this.reviewFile = reviewFile;
      return this;
    }

    public Builder drift(DriftChoice drift) {
      this.drift = drift;
      return this;
    }

    public DeploySettings build() {
      Path review = reviewFile != null ? reviewFile : sources.templates().resolve("target/review.md");
      return new DeploySettings(sources, destination, naming, mode, reviewed, image, safeguards, waitLimit, review,
          run, drift);
    }
  }
}
