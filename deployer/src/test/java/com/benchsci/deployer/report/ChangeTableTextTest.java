package com.benchsci.deployer.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.stack.ChangeTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeTableTextTest {

  private static final ChangeTable.Row ADD_VPC = new ChangeTable.Row("Add", "Vpc", "AWS::EC2::VPC", "-", "");
  private static final ChangeTable.Row TAGS_ONLY =
      new ChangeTable.Row("Modify", "Vpc", "AWS::EC2::VPC", "False", "scope: Tags");
  private static final ChangeTable.Row MODIFY_SG = new ChangeTable.Row("Modify", "WebSecurityGroup",
      "AWS::EC2::SecurityGroup", "Conditional", "Properties.SecurityGroupIngress: [80] -> [80|443]; "
          + "Properties.VpcId (recreation: Always) (caused by VpcCidr)");

  @Test
  void consoleColumnsAreAligned() {
    String console = ChangeTableText.console(new ChangeTable(List.of(ADD_VPC, TAGS_ONLY)));
    assertThat(console.lines().toList()).containsExactly(
        "  Action  Logical id  Type           Replacement  Details",
        "  Add     Vpc         AWS::EC2::VPC  -",
        "  Modify  Vpc         AWS::EC2::VPC  False        scope: Tags");
  }

  @Test
  void markdownEscapesPipesSoEachChangeStaysOneRow() {
    String markdown = ChangeTableText.markdown(new ChangeTable(List.of(ADD_VPC, MODIFY_SG)));
    assertThat(markdown.lines().toList()).containsExactly(
        "| Action | Logical id | Type | Replacement | Details |",
        "| --- | --- | --- | --- | --- |",
        "| Modify | WebSecurityGroup | AWS::EC2::SecurityGroup | Conditional | Properties.SecurityGroupIngress:"
            + " [80] -> [80\\|443]; Properties.VpcId (recreation: Always) (caused by VpcCidr) |",
        "| Add | Vpc | AWS::EC2::VPC | - |  |");
  }

  @Test
  void bothRenderingsShowEveryColumn() {
    ChangeTable table = new ChangeTable(List.of(MODIFY_SG));
    List<TextTable.Column<ChangeTable.Row>> columns = ChangeTableText.TABLE.columns();
    String header = columns.stream().map(TextTable.Column::header).toList().toString();
    assertThat(columns).as("a column for every field of a row: %s", header)
        .hasSize(ChangeTable.Row.class.getRecordComponents().length);
    assertThat(ChangeTableText.console(table).lines().findFirst().orElseThrow().split(" {2,}"))
        .hasSize(columns.size() + 1);
  }
}
