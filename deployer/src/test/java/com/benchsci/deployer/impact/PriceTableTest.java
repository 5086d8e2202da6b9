package com.benchsci.deployer.impact;

import static org.assertj.core.api.Assertions.assertThat;

import com.benchsci.deployer.impact.Impact.Row;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The monthly cost against figures worked out by hand from prices.yaml (us-east-1, 730 hours a month): t4g.nano
 * $0.0042/h, t4g.small $0.0168/h, t3.small $0.0208/h, gp3 $0.08/GB-month, a public IPv4 address $0.005/h.
 * The app stack as deployed: t4g.nano 3.066 + 8 GB gp3 0.64 + Elastic IP 3.65 = $7.356.
 */
@Tag("emulator")
class PriceTableTest {

  private final Map<String, Object> app = Stacks.app();

  @Test
  void theTableIsDatedAndSaysWhichRegionsItHolds() {
    assertThat(LocalDate.parse(PriceTable.standard().read())).isBeforeOrEqualTo(LocalDate.now());
    assertThat(PriceTable.standard().regions()).containsExactly("us-east-1");
  }

  @Test
  void everyInstanceTypeTheAppTemplateAllowsHasAPrice() {
    Map<String, Object> declared = Evaluation.asMap(Evaluation.asMap(app.get("Parameters")).get("InstanceType"));
    List<String> allowed = ((List<?>) declared.get("AllowedValues")).stream().map(String::valueOf).toList();
    assertThat(PriceTable.standard().instanceTypes(Stacks.REGION)).containsAll(allowed);
  }

  @Test
  void aLargerInstanceTypeCostsTheDifferenceOfTheHourlyPrices() {
    Impact small = withInstanceType("t4g.small");
    Row host = small.rows().get(0);
    assertThat(host.costBefore().usd()).isEqualByComparingTo("3.706"); // 0.0042 x 730 + 8 x 0.08
    assertThat(host.costAfter().usd()).isEqualByComparingTo("12.904"); // 0.0168 x 730 + 8 x 0.08
    assertThat(host.costAfter().basis()).isEqualTo("t4g.small 730 h x $0.0168 + 8 GB gp3 x $0.08");
    assertThat(small.summary().before().usd()).isEqualByComparingTo("7.356");
    assertThat(small.summary().after().usd()).isEqualByComparingTo("16.554");
    assertThat(small.summary().firstLine()).contains("Cost: $7.36 -> $16.55 a month (+$9.20); not priced: ");

    Impact x86 = withInstanceType("t3.small");
    assertThat(x86.summary().after().usd()).isEqualByComparingTo("19.474"); // 0.0208 x 730 + 0.64 + 3.65
  }

  @Test
  void aLargerVolumeCostsItsGigabytes() {
    Map<String, Object> larger = Mutations.deepCopy(app);
    Map<String, Object> mapping = Evaluation.asMap(((List<?>) Evaluation.asMap(Stacks.declaration(larger,
        "WebServer").get("Properties")).get("BlockDeviceMappings")).get(0));
    Evaluation.asMap(mapping.get("Ebs")).put("VolumeSize", 20);
    Impact impact = Stacks.analysis().of(app, Stacks.appParameters(), larger, Stacks.appParameters(), List.of());
    Row host = impact.rows().get(0);
    assertThat(host.costAfter().usd()).isEqualByComparingTo("4.666"); // 3.066 + 20 x 0.08
    assertThat(impact.summary().firstLine()).contains("Cost: $7.36 -> $8.32 a month (+$0.96)");
  }

  @Test
  void aSecondElasticIpCostsAnAddressForEveryHour() {
    Map<String, Object> second = Mutations.deepCopy(app);
    Map<String, Object> resources = Evaluation.asMap(second.get("Resources"));
    resources.put("SecondIp", Map.of("Type", "AWS::EC2::EIP", "Properties", Map.of("Domain", "vpc")));
    Impact impact = Stacks.analysis().of(app, Stacks.appParameters(), second, Stacks.appParameters(), List.of());
    Row added = impact.rows().get(0);
    assertThat(added.action()).isEqualTo("Add");
    assertThat(added.costAfter().usd()).isEqualByComparingTo("3.65"); // 0.005 x 730
    assertThat(impact.summary().after().usd()).isEqualByComparingTo("11.006");
  }

  @Test
  void aHostWithoutItsElasticIpPaysForItsOwnPublicAddressAndTheRetainedOneStillCosts() {
    Map<String, Object> without = Mutations.deepCopy(app);
    Evaluation.asMap(without.get("Resources")).remove("ElasticIp");
    Evaluation.asMap(without.get("Outputs")).clear();
    Impact impact = Stacks.analysis().of(app, Stacks.appParameters(), without, Stacks.appParameters(), List.of());
    // The host asks for a public IPv4 address at launch (AssociatePublicIpAddress), released while the Elastic IP
    // is associated: 3.706 + 3.65; the Elastic IP, retained outside the stack, 3.65 more.
    assertThat(impact.summary().after().usd()).isEqualByComparingTo("11.006");
    assertThat(impact.summary().after().basis()).contains("public IPv4 730 h x $0.005", "ElasticIp kept outside the"
        + " stack");
  }

  @Test
  void aRegionThePriceTableDoesNotHoldIsNotPriced() {
    Analysis ireland = Analysis.standard(Stacks.cfnLintPackage(), "eu-west-1");
    Impact impact = ireland.of(app, Stacks.appParameters(), app, Stacks.appParameters(), List.of());
    assertThat(impact.summary().before().usd()).isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(impact.summary().notPriced()).contains("AWS::EC2::Instance in eu-west-1 (prices.yaml holds"
        + " us-east-1)", "AWS::EC2::EIP in eu-west-1 (prices.yaml holds us-east-1)");
  }

  @Test
  void anInstanceTypeKnownOnlyAfterApplyIsNotPriced() {
    Map<String, Object> imported = Stacks.withProperty(app, "WebServer", "InstanceType",
        Map.of("Fn::ImportValue", "SharedInstanceType"));
    Impact impact = Stacks.analysis().of(app, Stacks.appParameters(), imported, Stacks.appParameters(), List.of());
    assertThat(impact.summary().after().usd()).isEqualByComparingTo("4.29"); // the volume and the Elastic IP
    assertThat(impact.summary().notPriced()).contains("instance type known after apply");
    assertThat(impact.summary().notPriced()).containsAll(PriceTable.standard().notPriced());
  }

  private Impact withInstanceType(String type) {
    Map<String, String> after = Stacks.appParameters();
    after.put("InstanceType", type);
    return Stacks.analysis().of(app, Stacks.appParameters(), app, after, List.of());
  }
}
