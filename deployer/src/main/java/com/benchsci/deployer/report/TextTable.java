package com.benchsci.deployer.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Rows as a table of text: columns padded for the console, a GitHub-flavoured Markdown table for a pull request,
 * both from one list of columns, so a column is shown in both by one more line where the columns are listed.
 */
final class TextTable<R> {

  /** One column: its header and how a row fills it. */
  record Column<R>(String header, Function<R, String> cell) {}

  private final List<Column<R>> columns;

  TextTable(List<Column<R>> columns) {
    this.columns = List.copyOf(columns);
  }

  List<Column<R>> columns() {
    return columns;
  }

  /** Columns padded to their widest cell, each line indented by two spaces. */
  String console(List<R> rows) {
    List<List<String>> lines = new ArrayList<>();
    lines.add(headers());
    rows.forEach(r -> lines.add(cells(r)));
    int[] width = new int[columns.size()];
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

  /** The Markdown header and separator lines. */
  String markdownHeader() {
    return markdownLine(headers()) + markdownLine(columns.stream().map(c -> "---").toList());
  }

  /** One Markdown row; pipes and line breaks in cells are escaped so a row stays one row. */
  String markdownRow(R row) {
    return markdownLine(cells(row).stream().map(Markdown::cell).toList());
  }

  /** A whole GitHub-flavoured Markdown table. */
  String markdown(List<R> rows) {
    StringBuilder out = new StringBuilder(markdownHeader());
    rows.forEach(r -> out.append(markdownRow(r)));
    return out.toString();
  }

  private static String markdownLine(List<String> cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }

  private List<String> headers() {
    return columns.stream().map(Column::header).toList();
  }

  private List<String> cells(R row) {
    return columns.stream().map(c -> c.cell().apply(row)).toList();
  }
}
