package com.benchsci.deployer.stack;

/**
 * How the engine shows a stack's change on the console before it executes anything (CloudFormation's list and the
 * review's assessment of it): the report adapter's renderer, handed down by whoever starts the run, so the engine
 * knows no layout.
 */
@FunctionalInterface
public interface TableFormat {
  String console(ChangeTable table, Assessment assessment);
}
