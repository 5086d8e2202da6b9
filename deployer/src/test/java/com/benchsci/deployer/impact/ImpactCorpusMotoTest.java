package com.benchsci.deployer.impact;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.emulator.MotoServer;
import com.benchsci.deployer.impact.Impact.Reachability;
import com.benchsci.deployer.impact.Impact.Replaced;
import com.benchsci.deployer.impact.Impact.Row;
import com.benchsci.deployer.testing.EmulatorApi;
import com.benchsci.deployer.testing.MotoPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The corpus ({@link Mutations}) of both templates reviewed against a real moto server: each stack is created once,
 * then every mutation becomes a change set (created in parallel, read whole, deleted), and the analysis of what moto
 * lists must give what the resource schemas say: create-only properties replace, no other property does (but where
 * AWS's page and the schema disagree and the page is more disruptive, update-behaviours.yaml), no Conditional where
 * both values are literals, and the right first line for the instance and its security group. moto lists only the
 * action, logical id and type of a change (no Replacement, no details), so every answer here is derived.
 */
@Tag("emulator")
class ImpactCorpusMotoTest {

  private static final List<Capability> CAPABILITIES = List.of(Capability.CAPABILITY_IAM,
      Capability.CAPABILITY_NAMED_IAM);
  private static final String ARM64_IMAGE = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
  private static final String X86_IMAGE = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
  private static final int PARALLEL = 6;
  private static final UpdateBehaviours behaviours = UpdateBehaviours.standard();

  private static MotoServer moto;
  private static CloudFormationClient cfn;
  private static Map<String, String> appParameters;

  @BeforeAll
  static void startMoto() {
    moto = MotoPool.shared().take();
    EmulatorApi aws = EmulatorApi.at(moto.endpoint());
    cfn = aws.cloudFormation();
    appParameters = Stacks.appParameters();
    // moto's RunInstances wants an image it knows: the Amazon Linux ids it publishes in its own SSM snapshot.
    try (SsmClient ssm = aws.ssm()) {
      appParameters.put("Arm64ImageId", ssm.getParameter(r -> r.name(ARM64_IMAGE)).parameter().value());
      appParameters.put("X8664ImageId", ssm.getParameter(r -> r.name(X86_IMAGE)).parameter().value());
    }
  }

  @AfterAll
  static void stopMoto() {
    cfn.close();
    MotoPool.shared().give(moto);
  }

  @Test
  void everySingleChangeOfBothTemplatesIsPredictedAsTheSchemasSay() throws Exception {
    long started = System.nanoTime();
    List<String> unmutable = new ArrayList<>();
    ResourceSchemas schemas = Stacks.schemas();
    List<Review> reviews = new ArrayList<>();
    reviews.addAll(corpus("impact-app", Stacks.app(), appParameters, schemas, unmutable));
    reviews.addAll(corpus("impact-bootstrap", Stacks.bootstrap(), Stacks.bootstrapParameters(), schemas, unmutable));
    assertThat(unmutable).as("properties the corpus found no valid change for").isEmpty();

    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (Review review : reviews) {
        running.add(pool.submit(() -> problems.addAll(review.run(schemas))));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (String stack : List.of("impact-app", "impact-bootstrap")) {
      assertThat(cfn.listChangeSets(r -> r.stackName(stack)).summaries()).as("change sets left on " + stack)
          .isEmpty();
    }
    System.out.printf("Impact corpus: %d change sets (%d properties, %d added, %d removed resources) reviewed"
            + " against moto in %.1f s%n", reviews.size(),
        reviews.stream().filter(r -> r.mutation().kind() == Mutations.Kind.PROPERTY).count(),
        reviews.stream().filter(r -> r.mutation().kind() == Mutations.Kind.ADD).count(),
        reviews.stream().filter(r -> r.mutation().kind() == Mutations.Kind.REMOVE).count(),
        Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0);
    assertThat(problems).isEmpty();
  }

  /** Creates the stack from the unchanged template and returns one review per mutation of it. */
  private static List<Review> corpus(String stack, Map<String, Object> template, Map<String, String> parameters,
      ResourceSchemas schemas, List<String> unmutable) {
    cfn.createStack(r -> r.stackName(stack).templateBody(body(template)).parameters(asParameters(parameters))
        .capabilities(CAPABILITIES));
    String status;
    do {
      status = cfn.describeStacks(r -> r.stackName(stack)).stacks().get(0).stackStatusAsString();
    } while (status.endsWith("_IN_PROGRESS"));
    assertThat(status).as("stack " + stack + " on moto").isEqualTo("CREATE_COMPLETE");
    List<Review> reviews = new ArrayList<>();
    List<Mutations.Mutation> mutations = Mutations.of(template, parameters, schemas, unmutable);
    for (int i = 0; i < mutations.size(); i++) {
      reviews.add(new Review(stack, "corpus-" + i, template, parameters, mutations.get(i)));
    }
    return reviews;
  }

  private record Review(String stack, String changeSet, Map<String, Object> template, Map<String, String> parameters,
      Mutations.Mutation mutation) {

    /** The problems with this mutation's review; none when it is right. */
    List<String> run(ResourceSchemas schemas) {
      List<Change> changes = createReadAndDelete();
      Impact impact = Stacks.analysis().of(template, parameters, mutation.template(), parameters, changes);
      List<String> problems = new ArrayList<>();
      for (Change c : changes) {
        if (impact.rows().stream().noneMatch(r -> r.listed()
            && r.logicalId().equals(c.resourceChange().logicalResourceId()))) {
          problems.add(mutation.name() + ": no row for the listed change " + c.resourceChange().logicalResourceId());
        }
      }
      Row row = impact.rows().stream().filter(r -> r.logicalId().equals(mutation.resource())).findFirst()
          .orElse(null);
      String expectedAction = switch (mutation.kind()) {
        case PROPERTY -> "Modify";
        case ADD -> "Add";
        case REMOVE -> "Remove";
      };
      if (row == null || !row.listed() || !row.action().equals(expectedAction)) {
        problems.add(mutation.name() + ": expected moto to list " + expectedAction + " " + mutation.resource()
            + ", the review has " + row);
        return problems;
      }
      if (mutation.kind() == Mutations.Kind.PROPERTY) {
        problems.addAll(checkProperty(row, impact, schemas));
      } else if (mutation.kind() == Mutations.Kind.REMOVE && mutation.type().equals("AWS::EC2::EIP")) {
        expect(problems, impact.summary().reachability() == Reachability.NEW_ADDRESS
            && impact.summary().elasticIp().contains("kept in the account (DeletionPolicy Retain)"), impact);
      } else if (row.replacement() != Replaced.NOT_APPLICABLE) {
        problems.add(mutation.name() + ": an added or removed resource is not replaced: " + row);
      }
      return problems;
    }

    private List<String> checkProperty(Row row, Impact impact, ResourceSchemas schemas) {
      List<String> problems = new ArrayList<>();
      String type = mutation.type();
      Object before = Evaluation.before(template, parameters, Stacks.REGION).properties(mutation.resource())
          .get(mutation.property());
      Object after = new Evaluation(mutation.template(), parameters, Stacks.REGION, Mutations.fates(template))
          .properties(mutation.resource()).get(mutation.property());
      Interruption expected = expectedBehaviour(type, before, after, schemas);
      Replaced replacement = expected == Interruption.REPLACEMENT ? Replaced.TRUE : Replaced.FALSE;
      if (row.replacement() != replacement || row.interruption() != expected) {
        problems.add(mutation.name() + ": expected replacement " + replacement.label() + " and "
            + expected.documented() + ", the review says " + row.replacement().label() + " and "
            + row.interruption().documented() + " (" + row.replacementReason() + ")");
      }
      if (row.replacement() == Replaced.CONDITIONAL && !opaque(before) && !opaque(after)) {
        problems.add(mutation.name() + ": Conditional although both values are literals: " + row);
      }
      Reachability site = null;
      if (type.equals("AWS::EC2::Instance")) {
        site = switch (expected) {
          case REPLACEMENT -> Reachability.SECONDS; // built beside the old host, then the Elastic IP moves
          case SOME -> Reachability.MINUTES; // stopped and started
          case NONE -> Reachability.UP;
        };
      } else if (type.equals("AWS::EC2::SecurityGroup")) {
        // Replaced, the group takes the host with it (the host's network interface names it): seconds, as the
        // Elastic IP moves; its rules changed in place: seconds, as AWS documents some interruption.
        site = expected == Interruption.NONE ? Reachability.UP : Reachability.SECONDS;
      }
      if (site != null) {
        expect(problems, impact.summary().reachability() == site && impact.summary().elasticIp().contains("kept"),
            impact);
      }
      return problems;
    }

    /**
     * What the schema says, independently of the analysis: a create-only property replaces; a conditionally
     * create-only one does what the page's text says for the changed paths; any other does what its page says
     * (which update-behaviours.yaml may make more disruptive than the schema only with a recorded reason).
     */
    private Interruption expectedBehaviour(String type, Object before, Object after, ResourceSchemas schemas) {
      if (ResourceSchemas.covers(schemas.createOnly(type), List.of(mutation.property()))) {
        return Interruption.REPLACEMENT;
      }
      return Comparison.differences(before, after).stream()
          .map(d -> behaviours.at(type, prefixed(d.path())))
          .map(d -> d == null ? Interruption.NONE : d.requires())
          .reduce(Interruption.NONE, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    private List<Object> prefixed(List<Object> path) {
      List<Object> full = new ArrayList<>();
      full.add(mutation.property());
      full.addAll(path);
      return full;
    }

    private void expect(List<String> problems, boolean holds, Impact impact) {
      if (!holds) {
        problems.add(mutation.name() + ": unexpected first line: " + impact.summary().firstLine());
      }
    }

    /** Creates the change set, reads all its pages, deletes it. */
    private List<Change> createReadAndDelete() {
      String id = cfn.createChangeSet(r -> r.stackName(stack).changeSetName(changeSet)
          .changeSetType(ChangeSetType.UPDATE).templateBody(body(mutation.template()))
          .parameters(asParameters(parameters)).capabilities(CAPABILITIES)).id();
      try {
        DescribeChangeSetResponse described;
        do {
          described = cfn.describeChangeSet(r -> r.changeSetName(id));
        } while (described.statusAsString().endsWith("_PENDING") || described.statusAsString().endsWith("_PROGRESS"));
        List<Change> changes = new ArrayList<>(described.changes());
        for (String next = described.nextToken(); next != null; ) {
          String token = next;
          DescribeChangeSetResponse page = cfn.describeChangeSet(r -> r.changeSetName(id).nextToken(token));
          changes.addAll(page.changes());
          next = page.nextToken();
        }
        assertThat(described.statusAsString()).as(mutation.name() + ": " + described.statusReason())
            .isEqualTo("CREATE_COMPLETE");
        return changes;
      } finally {
        cfn.deleteChangeSet(r -> r.changeSetName(id));
      }
    }
  }

  private static boolean opaque(Object value) {
    if (value instanceof Map<?, ?> m) {
      return m.values().stream().anyMatch(ImpactCorpusMotoTest::opaque);
    }
    if (value instanceof List<?> l) {
      return l.stream().anyMatch(ImpactCorpusMotoTest::opaque);
    }
    return value instanceof Opaque;
  }

  /** The template as YAML in the long form of its intrinsics, which both CloudFormation and moto read. */
  private static String body(Map<String, Object> template) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setWidth(200);
    return new Yaml(options).dump(template);
  }

  private static List<Parameter> asParameters(Map<String, String> values) {
    return values.entrySet().stream().filter(e -> Objects.nonNull(e.getValue()))
        .map(e -> Parameter.builder().parameterKey(e.getKey()).parameterValue(e.getValue()).build()).toList();
  }
}
