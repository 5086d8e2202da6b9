package com.benchsci.deployer.testing;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Tag;

/**
 * The order in which a test JVM starts its classes (the root pom sets it for every module): the host tier first, then
 * the emulator tier, then the unit tier, each in the order found. The host tests are the longest, mostly waiting
 * (a boot, cfn-hup's one-minute interval), so the quicker classes run in their waits instead of before them.
 */
public final class TiersFirst implements ClassOrderer {

  private static final List<String> ORDER = List.of("host", "emulator");

  @Override
  public void orderClasses(ClassOrdererContext context) {
    context.getClassDescriptors().sort(Comparator.comparingInt(TiersFirst::rank));
  }

  private static int rank(ClassDescriptor test) {
    return test.findRepeatableAnnotations(Tag.class).stream().mapToInt(tag -> ORDER.indexOf(tag.value()))
        .filter(i -> i >= 0).min().orElse(ORDER.size());
  }
}
