package com.benchsci.deployer.stack;

/**
 * How the engine shows a change table on the console before it executes anything: the report adapter's
 * renderer, handed down by whoever starts the run, so the engine knows no layout.
 */
@FunctionalInterface
public interface TableFormat {
  String console(ChangeTable table);
}
