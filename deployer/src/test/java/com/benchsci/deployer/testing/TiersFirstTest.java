package com.benchsci.deployer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class TiersFirstTest {

  @Test
  void takenFromTheStartAndTheEndByTurnsTheClassesComeInRankOrder() {
    for (int n = 0; n <= 7; n++) {
      List<Integer> ranked = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ranked.add(i);
      }
      Deque<Integer> laidOut = new ArrayDeque<>(TiersFirst.fromBothEnds(ranked));
      List<Integer> taken = new ArrayList<>();
      while (!laidOut.isEmpty()) {
        taken.add(taken.size() % 2 == 0 ? laidOut.pollFirst() : laidOut.pollLast());
      }
      assertThat(taken).as("%d classes", n).isEqualTo(ranked);
    }
  }

  @Test
  void theTwoHighestRankedAreAtTheTwoEnds() {
    assertThat(TiersFirst.fromBothEnds(List.of("host-long", "host", "emulator", "unit-a", "unit-b")))
        .containsExactly("host-long", "emulator", "unit-b", "unit-a", "host");
  }
}
