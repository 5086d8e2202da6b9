package com.benchsci.deployer.report;

/** Text put into a Markdown table cell. */
final class Markdown {

  private Markdown() {}

  /** Backslashes and pipes escaped, line breaks as {@code <br>}: the cell stays one cell and the row one row. */
  static String cell(String text) {
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>");
  }
}
