package com.benchsci.deployer.impact;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * What one resource (or a stack) costs a month in US dollars: the priced part, how it was computed, and what
 * could not be priced (so a total is never mistaken for the whole bill).
 */
public record MonthlyCost(BigDecimal usd, String basis, List<String> unpriced) {

  public static final MonthlyCost NONE = new MonthlyCost(BigDecimal.ZERO, "", List.of());

  static MonthlyCost priced(BigDecimal usd, String basis) {
    return new MonthlyCost(usd, basis, List.of());
  }

  static MonthlyCost unpriced(String what) {
    return new MonthlyCost(BigDecimal.ZERO, "", List.of(what));
  }

  MonthlyCost plus(MonthlyCost other) {
    List<String> both = new ArrayList<>(unpriced);
    other.unpriced.stream().filter(u -> !both.contains(u)).forEach(both::add);
    String joined = basis.isEmpty() ? other.basis : other.basis.isEmpty() ? basis : basis + " + " + other.basis;
    return new MonthlyCost(usd.add(other.usd), joined, List.copyOf(both));
  }

  /** {@code $3.07}. */
  public String dollars() {
    return dollars(usd);
  }

  static String dollars(BigDecimal amount) {
    BigDecimal cents = amount.setScale(2, RoundingMode.HALF_UP);
    return (cents.signum() < 0 ? "-$" : "$") + cents.abs().toPlainString();
  }

  /** {@code +$9.20}, {@code -$1.00} or {@code $0.00}. */
  public static String delta(BigDecimal amount) {
    BigDecimal cents = amount.setScale(2, RoundingMode.HALF_UP);
    return cents.signum() > 0 ? "+" + dollars(cents) : dollars(cents);
  }
}
