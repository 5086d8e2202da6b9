package com.benchsci.deployer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.benchsci.deployer.testing.MainCodeOnly;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The deployer's layers (docs/deployer.md), each depending only on those below: types, the per-stack engine, the
 * two-stack orchestration, the adapters, the library's entry ({@code api}), and the entry points that parse input.
 * Main code only: tests may reach across.
 */
@AnalyzeClasses(packages = "com.benchsci.deployer", importOptions = MainCodeOnly.class)
class LayersTest {

  private static final String[] ENTRY_POINTS = {"com.benchsci.deployer.cli..", "com.benchsci.deployer.launch.."};

  @ArchTest
  static final ArchRule eachLayerDependsOnlyOnThoseBelow = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("Types").definedBy("com.benchsci.deployer.core..", "com.benchsci.deployer.template..")
      .layer("Engine").definedBy("com.benchsci.deployer.stack..", "com.benchsci.deployer.live..",
          "com.benchsci.deployer.impact..")
      .layer("Orchestration").definedBy("com.benchsci.deployer.deploy..", "com.benchsci.deployer.rehearsal..")
      .layer("Adapters").definedBy("com.benchsci.deployer.aws..", "com.benchsci.deployer.emulator..",
          "com.benchsci.deployer.tools..", "com.benchsci.deployer.check..", "com.benchsci.deployer.report..")
      .layer("Library entry").definedBy("com.benchsci.deployer.api..")
      .layer("Entry points").definedBy(ENTRY_POINTS)
      .whereLayer("Entry points").mayNotBeAccessedByAnyLayer()
      .whereLayer("Library entry").mayOnlyBeAccessedByLayers("Entry points")
      .whereLayer("Adapters").mayOnlyBeAccessedByLayers("Library entry", "Entry points")
      .whereLayer("Orchestration").mayOnlyBeAccessedByLayers("Adapters", "Library entry", "Entry points")
      .whereLayer("Engine").mayOnlyBeAccessedByLayers("Orchestration", "Adapters", "Library entry", "Entry points");

  @ArchTest
  static final ArchRule noPackageCycles = slices().matching("com.benchsci.deployer.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule theLibraryKnowsNeitherTheCliNorMaven = noClasses().that()
      .resideOutsideOfPackages(ENTRY_POINTS)
      .should().dependOnClassesThat().resideInAnyPackage("com.benchsci.maven..", "org.apache.maven..", "picocli..",
          "com.benchsci.deployer.cli..", "com.benchsci.deployer.launch..");

  @ArchTest
  static final ArchRule theLibraryNeitherReadsTheEnvironmentNorExits = noClasses().that()
      .resideOutsideOfPackages(ENTRY_POINTS)
      .should().callMethod(System.class, "getenv")
      .orShould().callMethod(System.class, "getenv", String.class)
      .orShould().callMethod(System.class, "exit", int.class)
      .orShould().callMethod(Runtime.class, "exit", int.class)
      .orShould().callMethod(Runtime.class, "halt", int.class);

  /** Processes are the tools (cfn-lint, cfn-guard, pip, npm), moto, and git for the entry points' run id. */
  @ArchTest
  static final ArchRule onlyToolsMotoAndTheEntryPointsStartProcesses = noClasses().that()
      .resideOutsideOfPackages("com.benchsci.deployer.tools..", "com.benchsci.deployer.emulator..",
          "com.benchsci.deployer.launch..")
      .should().callConstructor(ProcessBuilder.class, String[].class)
      .orShould().callConstructor(ProcessBuilder.class, java.util.List.class);
}
