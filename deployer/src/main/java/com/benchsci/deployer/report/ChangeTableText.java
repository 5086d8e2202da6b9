package com.benchsci.deployer.report;

import com.benchsci.deployer.stack.ChangeTable;
import java.util.List;

/** CloudFormation's change list as text: padded for the console, a Markdown table for a pull request. */
public final class ChangeTableText {

  static final TextTable<ChangeTable.Row> TABLE = new TextTable<>(List.of(
      new TextTable.Column<>("Action", ChangeTable.Row::action),
      new TextTable.Column<>("Logical id", ChangeTable.Row::logicalId),
      new TextTable.Column<>("Type", ChangeTable.Row::type),
      new TextTable.Column<>("Replacement", ChangeTable.Row::replacement),
      new TextTable.Column<>("Details", ChangeTable.Row::details)));

  private ChangeTableText() {}

  public static String console(ChangeTable table) {
    return TABLE.console(table.rows());
  }

  public static String markdown(ChangeTable table) {
    return TABLE.markdown(table.rows());
  }
}
