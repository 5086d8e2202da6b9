package com.benchsci.deployer.impact;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The checked-in prices ({@code prices.yaml}, beside this class) and the monthly cost of a resource from its
 * properties: instance hours by type, gp3 storage by size, public IPv4 addresses by the hour. A region the table
 * does not hold, or a value known only after apply, is "not priced", never guessed.
 */
public final class PriceTable {

  private static final String RESOURCE = "prices.yaml";

  private final Map<String, Object> file;

  private PriceTable(Map<String, Object> file) {
    this.file = file;
  }

  public static PriceTable standard() {
    try (InputStream in = PriceTable.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the deployer jar");
      }
      return new PriceTable(Evaluation.asMap(new Yaml(new SafeConstructor(new LoaderOptions())).load(in)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  public String read() {
    return String.valueOf(file.get("read"));
  }

  /** The regions the table holds prices for. */
  public List<String> regions() {
    return List.copyOf(section(file, "regions").keySet());
  }

  /** The instance types priced in {@code region} (empty for a region the table does not hold). */
  public List<String> instanceTypes(String region) {
    return List.copyOf(section(regionPrices(region), "instanceHour").keySet());
  }

  /** What every cost leaves out. */
  public List<String> notPriced() {
    return ((List<?>) file.get("notPriced")).stream().map(String::valueOf).toList();
  }

  /**
   * The monthly cost of one resource in {@code region}. {@code properties} are evaluated ({@link Evaluation});
   * {@code elasticIpAttached}: an Elastic IP of the template is associated with this instance, so the address
   * assigned at launch is released and only the Elastic IP is billed.
   */
  MonthlyCost of(String region, String type, Map<String, Object> properties, boolean elasticIpAttached) {
    if (section(file, "noCharge").containsKey(type)) {
      return MonthlyCost.priced(BigDecimal.ZERO, "no charge of its own");
    }
    Map<String, Object> prices = regionPrices(region);
    if (prices.isEmpty()) {
      return MonthlyCost.unpriced(type + " in " + (region == null ? "an unknown region" : region)
          + " (prices.yaml holds " + String.join(", ", regions()) + ")");
    }
    return switch (type) {
      case "AWS::EC2::Instance" -> instance(prices, properties, elasticIpAttached);
      case "AWS::EC2::EIP" -> hours(price(prices, "publicIpv4Hour"), "Elastic IP");
      case "AWS::S3::Bucket" -> MonthlyCost.unpriced("what the bucket stores ("
          + "$" + price(prices, "s3StandardGbMonth").toPlainString() + " per GB-month)");
      default -> MonthlyCost.unpriced(type + " (not in prices.yaml)");
    };
  }

  private MonthlyCost instance(Map<String, Object> prices, Map<String, Object> properties, boolean elasticIpAttached) {
    Object type = properties.get("InstanceType");
    BigDecimal hourly = type instanceof String t ? priceOrNull(section(prices, "instanceHour"), t) : null;
    MonthlyCost cost = hourly == null
        ? MonthlyCost.unpriced("instance type " + (type instanceof String ? type + " (not in prices.yaml)"
            : type == null ? "(the launch template's)" : "known after apply"))
        : hours(hourly, String.valueOf(type));
    if (properties.get("BlockDeviceMappings") instanceof List<?> mappings) {
      for (Object mapping : mappings) {
        cost = cost.plus(volume(prices, Evaluation.asMap(mapping)));
      }
    }
    if (publicAddressAtLaunch(properties) && !elasticIpAttached) {
      cost = cost.plus(hours(price(prices, "publicIpv4Hour"), "public IPv4"));
    }
    return cost;
  }

  private MonthlyCost volume(Map<String, Object> prices, Map<String, Object> mapping) {
    Map<String, Object> ebs = mapping == null ? null : Evaluation.asMap(mapping.get("Ebs"));
    if (ebs == null) {
      return MonthlyCost.NONE;
    }
    Object device = mapping.get("DeviceName");
    Object size = ebs.get("VolumeSize");
    if (!"gp3".equals(ebs.get("VolumeType")) || !(size instanceof Number || size instanceof String)) {
      return MonthlyCost.unpriced("volume " + device + " (type " + ebs.getOrDefault("VolumeType", "from the image")
          + ", size " + (size == null ? "from the image" : size) + ")");
    }
    BigDecimal gb = new BigDecimal(String.valueOf(size));
    BigDecimal perGb = price(prices, "gp3GbMonth");
    MonthlyCost storage = MonthlyCost.priced(gb.multiply(perGb), gb.toPlainString() + " GB gp3 x $"
        + perGb.toPlainString());
    boolean beyondBaseline = ebs.get("Iops") != null || ebs.get("Throughput") != null;
    return beyondBaseline ? storage.plus(MonthlyCost.unpriced("gp3 IOPS or throughput set on " + device)) : storage;
  }

  /** Whether the instance gets a public IPv4 address at launch (one of its interfaces asks for one). */
  private static boolean publicAddressAtLaunch(Map<String, Object> properties) {
    if (properties.get("NetworkInterfaces") instanceof List<?> interfaces) {
      return interfaces.stream().map(Evaluation::asMap)
          .anyMatch(i -> i != null && "true".equals(String.valueOf(i.get("AssociatePublicIpAddress"))));
    }
    return false;
  }

  private MonthlyCost hours(BigDecimal hourly, String what) {
    BigDecimal hoursPerMonth = new BigDecimal(String.valueOf(file.get("hoursPerMonth")));
    return MonthlyCost.priced(hourly.multiply(hoursPerMonth), what + " " + hoursPerMonth + " h x $"
        + hourly.toPlainString());
  }

  private Map<String, Object> regionPrices(String region) {
    Map<String, Object> regions = section(file, "regions");
    return region == null ? Map.of() : section(regions, region);
  }

  private static BigDecimal price(Map<String, Object> prices, String key) {
    BigDecimal p = priceOrNull(prices, key);
    if (p == null) {
      throw new IllegalStateException(RESOURCE + " has no " + key);
    }
    return p;
  }

  private static BigDecimal priceOrNull(Map<String, Object> prices, String key) {
    Object p = prices.get(key);
    return p == null ? null : new BigDecimal(String.valueOf(p));
  }

  private static Map<String, Object> section(Map<String, Object> parent, String key) {
    Map<String, Object> s = Evaluation.asMap(parent.get(key));
    return s == null ? Map.of() : new LinkedHashMap<>(s);
  }
}
