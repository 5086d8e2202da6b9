package com.benchsci.deployer.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Tag;

/**
 * The order in which a test JVM starts its classes (the root pom sets it for every module): the host tier first, then
 * the emulator tier, then the unit tier, each with its {@link StartsFirst} class ahead and the rest in the order found.
 * The host tests are the longest, mostly waiting (a boot, cfn-hup's one-minute interval), so the quicker classes run
 * in their waits instead of before them.
 *
 * <p>Laid out {@linkplain #fromBothEnds from both ends}: JUnit's parallel executor (a ForkJoinPool) forks a JVM's
 * classes in this order and then joins them last first, so the thread that forked them runs them from the end while
 * the other thread takes them from the start. The first two classes ranked thus start together, one at each end.
 */
public final class TiersFirst implements ClassOrderer {

  private static final List<String> ORDER = List.of("host", "emulator");

  @Override
  public void orderClasses(ClassOrdererContext context) {
    List<ClassDescriptor> ranked = new ArrayList<>(context.getClassDescriptors());
    ranked.sort(Comparator.comparingInt(TiersFirst::rank));
    List<ClassDescriptor> laidOut = fromBothEnds(ranked);
    Map<ClassDescriptor, Integer> place = new IdentityHashMap<>();
    for (int i = 0; i < laidOut.size(); i++) {
      place.put(laidOut.get(i), i);
    }
    context.getClassDescriptors().sort(Comparator.comparingInt(place::get));
  }

  /**
   * {@code ranked} laid out so that taking from the start and from the end by turns gives it back in order: the first
   * goes first, the second last, the third second, the fourth second to last, and so on.
   */
  static <T> List<T> fromBothEnds(List<T> ranked) {
    Object[] laidOut = new Object[ranked.size()];
    for (int i = 0; i < ranked.size(); i++) {
      laidOut[i % 2 == 0 ? i / 2 : ranked.size() - 1 - i / 2] = ranked.get(i);
    }
    @SuppressWarnings("unchecked")
    List<T> result = (List<T>) Arrays.asList(laidOut);
    return result;
  }

  private static int rank(ClassDescriptor test) {
    int tier = test.findRepeatableAnnotations(Tag.class).stream().mapToInt(tag -> ORDER.indexOf(tag.value()))
        .filter(i -> i >= 0).min().orElse(ORDER.size());
    return 2 * tier + (test.isAnnotated(StartsFirst.class) ? 0 : 1);
  }
}
