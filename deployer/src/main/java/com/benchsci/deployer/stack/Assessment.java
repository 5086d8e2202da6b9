package com.benchsci.deployer.stack;

import com.benchsci.deployer.impact.HandMade;
import com.benchsci.deployer.impact.Impact;
import java.util.List;

/**
 * What a review says of one stack's change besides CloudFormation's list: its {@code impact} (replacement,
 * interruption, cost, the first line), the hand-made changes found on the live stack with what this deploy does to
 * each ({@code handMade}), and what could not be compared ({@code notes}). The digest covers all of it, so what was
 * approved is what runs.
 */
public record Assessment(Impact impact, List<HandMade.Judged> handMade, List<String> notes) {

  public Assessment {
    handMade = List.copyOf(handMade);
    notes = List.copyOf(notes);
  }
}
