package com.benchsci.deployer.report;

/** Text put into Markdown: a table cell, a line. */
final class Markdown {

  private Markdown() {}

  /** Backslashes and pipes escaped, line breaks as {@code <br>}: the cell stays one cell and the row one row. */
  static String cell(String text) {
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>");
  }

  /**
   * Text put into a line of Markdown (a list item): one line, and nothing in it read as emphasis, code or an HTML
   * tag (a value may hold any of those characters).
   */
  static String inline(String text) {
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`").replace("<", "&lt;")
        .replace("\r", "").replace("\n", " ");
  }
}
