package com.benchsci.deployer.impact;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * update-behaviours.yaml against the templates and against CloudFormation's resource schemas: every property the
 * templates set has its documented behaviour, and every documented behaviour is what the schema implies
 * (createOnlyProperties = Replacement, conditionalCreateOnlyProperties = Some interruptions, else No interruption)
 * but where the file records, with a reason, that the page says otherwise.
 */
@Tag("emulator")
class UpdateBehavioursTest {

  private static final String TEMPLATE_REFERENCE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/";

  private final UpdateBehaviours behaviours = UpdateBehaviours.standard();
  private final ResourceSchemas schemas = Stacks.schemas();

  @Test
  void everyPropertyEitherTemplateSetsHasItsDocumentedBehaviour() {
    List<String> missing = new ArrayList<>();
    for (Map<String, Object> template : List.of(Stacks.app(), Stacks.bootstrap())) {
      Evaluation.asMap(template.get("Resources")).forEach((id, declaration) -> {
        Map<String, Object> resource = Evaluation.asMap(declaration);
        String type = String.valueOf(resource.get("Type"));
        Map<String, Object> properties = Evaluation.asMap(resource.get("Properties"));
        for (String property : properties == null ? Set.<String>of() : properties.keySet()) {
          if (behaviours.at(type, List.of(property)) == null) {
            missing.add(type + " " + property + " (set by " + id + ")");
          }
        }
      });
    }
    assertThat(missing).as("properties with no row in update-behaviours.yaml").isEmpty();
  }

  @Test
  void everyDocumentedBehaviourIsWhatTheResourceSchemaImpliesOrTheDisagreementIsRecorded() {
    List<String> wrong = new ArrayList<>();
    for (UpdateBehaviours.Row row : behaviours.rows()) {
      List<Object> path = List.of(row.property());
      Interruption schemaSays = ResourceSchemas.covers(schemas.createOnly(row.type()), path) ? Interruption.REPLACEMENT
          : ResourceSchemas.covers(schemas.conditionalCreateOnly(row.type()), path) ? Interruption.SOME
          : Interruption.NONE;
      if (row.schemaNote().isEmpty() && row.requires() != schemaSays) {
        wrong.add(row.type() + " " + row.property() + ": documented " + row.requires().documented()
            + ", the schema implies " + schemaSays.documented());
      }
      if (!row.schemaNote().isEmpty() && row.requires().compareTo(schemaSays) <= 0) {
        wrong.add(row.type() + " " + row.property() + ": records a disagreement with the schema, which implies "
            + schemaSays.documented() + " as documented, or more: remove the note");
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void everyRowNamesItsPageAndWhereItWasRead() {
    assertThat(LocalDate.parse(behaviours.read())).isBeforeOrEqualTo(LocalDate.now());
    for (UpdateBehaviours.Row row : behaviours.rows()) {
      String anchor = "#cfn-" + row.type().substring(row.type().indexOf("::") + 2).replace("::", "-").toLowerCase()
          + "-" + row.property().toLowerCase();
      assertThat(row.source()).as(row.type() + " " + row.property()).startsWith(TEMPLATE_REFERENCE)
          .endsWith(anchor);
      assertThat(row.read()).as(row.type() + " " + row.property()).isIn("page-2023", "page-2026", "schema-only");
    }
  }

  @Test
  void theInstancePagesOwnTextNarrowsItsBlockDevices() {
    // "you can modify only the DeleteOnTermination parameter for the attached volumes without interrupting the
    // instance. Modifying any other parameter results in instance replacement."
    assertThat(behaviours.at("AWS::EC2::Instance", List.of("BlockDeviceMappings", 0, "Ebs", "DeleteOnTermination"))
        .requires()).isEqualTo(Interruption.NONE);
    assertThat(behaviours.at("AWS::EC2::Instance", List.of("BlockDeviceMappings", 0, "Ebs", "VolumeSize"))
        .requires()).isEqualTo(Interruption.REPLACEMENT);
    assertThat(behaviours.at("AWS::EC2::Instance", List.of("BlockDeviceMappings")).requires())
        .isEqualTo(Interruption.REPLACEMENT);
    assertThat(behaviours.at("AWS::EC2::Instance", List.of("InstanceType")).effect())
        .isEqualTo("the host stops and starts, about a minute or two (the app starts at boot)");
  }
}
