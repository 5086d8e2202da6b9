package com.benchsci.deployer.report;

import com.benchsci.deployer.stack.ChangeTable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A change table as text: columns padded for the console, a GitHub-flavoured Markdown table for a pull request.
 * Both are made from {@link #COLUMNS}, so a column a row gains is shown in both by one more line there.
 */
public final class ChangeTableText {

  /** One column: its header and how a row fills it. */
  record Column(String header, Function<ChangeTable.Row, String> cell) {}

  static final List<Column> COLUMNS = List.of(
      new Column("Action", ChangeTable.Row::action),
      new Column("Logical id", ChangeTable.Row::logicalId),
      new Column("Type", ChangeTable.Row::type),
      new Column("Replacement", ChangeTable.Row::replacement),
      new Column("Details", ChangeTable.Row::details));

  private ChangeTableText() {}

  /** Columns padded to their widest cell, each line indented by two spaces. */
  public static String console(ChangeTable table) {
    List<List<String>> lines = new ArrayList<>();
    lines.add(headers());
    table.rows().forEach(r -> lines.add(cells(r)));
    int[] width = new int[COLUMNS.size()];
    for (List<String> line : lines) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], line.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> line : lines) {
      StringBuilder text = new StringBuilder("  ");
      for (int i = 0; i < width.length; i++) {
        text.append(String.format("%-" + width[i] + "s", line.get(i))).append(i < width.length - 1 ? "  " : "");
      }
      out.append(text.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** A GitHub-flavoured Markdown table; pipes and line breaks in cells are escaped so a row stays one row. */
  public static String markdown(ChangeTable table) {
    StringBuilder out = new StringBuilder();
    out.append(markdownLine(headers()));
    out.append(markdownLine(COLUMNS.stream().map(c -> "---").toList()));
    table.rows().forEach(r -> out.append(markdownLine(cells(r).stream().map(Markdown::cell).toList())));
    return out.toString();
  }

  private static String markdownLine(List<String> cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }

  private static List<String> headers() {
    return COLUMNS.stream().map(Column::header).toList();
  }

  private static List<String> cells(ChangeTable.Row row) {
    return COLUMNS.stream().map(c -> c.cell().apply(row)).toList();
  }
}
