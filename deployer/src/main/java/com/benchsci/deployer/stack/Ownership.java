package com.benchsci.deployer.stack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run created and has not removed yet, stack by stack: its change set, and the placeholder stack of a
 * CREATE change set while that is still empty; which stack it is executing on; how many change sets it made per
 * stack (for their names). Not thread-safe: the lease reads and writes it only under its own lock, which the
 * shutdown hook's clean-up takes too.
 */
final class Ownership {

  /** A change set this run made, and the placeholder stack it brought, or null. */
  record Owned(String changeSetName, String placeholderStackId) {}

  private final Map<String, Owned> owned = new LinkedHashMap<>();
  private final Map<String, Integer> changeSetsMade = new HashMap<>();
  private String executing;

  /** 1 for the first change set on {@code stackName}, 2 for the second, ... */
  int nextNumber(String stackName) {
    return changeSetsMade.merge(stackName, 1, Integer::sum);
  }

  void created(String stackName, String changeSetName, String placeholderStackId) {
    owned.put(stackName, new Owned(changeSetName, placeholderStackId));
  }

  /** The change set this run has on {@code stackName}, or null. */
  String changeSet(String stackName) {
    Owned o = owned.get(stackName);
    return o == null ? null : o.changeSetName();
  }

  /** An execution starts on {@code stackName}: from now on a signal leaves it running. */
  void executing(String stackName) {
    executing = stackName;
  }

  /** The execution started: the placeholder is the real stack now, no longer this run's to delete. */
  void executed(String stackName) {
    owned.computeIfPresent(stackName, (name, o) -> new Owned(o.changeSetName(), null));
  }

  /** The stack an execution runs on, or null. */
  String executing() {
    return executing;
  }

  /** Forgets {@code stackName} (and that it executes); returns what was created there, or null. */
  Owned forget(String stackName) {
    if (stackName.equals(executing)) {
      executing = null;
    }
    return owned.remove(stackName);
  }

  List<String> stacks() {
    return new ArrayList<>(owned.keySet());
  }
}
