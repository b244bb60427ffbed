package dev.vigil.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module boundaries of ARCHITECTURE.md, enforced. */
class ArchitectureTest {
  private static final JavaClasses VIGIL =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.vigil");

  @Test
  void theRuleEngineSeesNoCliHttpJsonOrNativeMemory() {
    noClasses()
        .that()
        .resideInAPackage("dev.vigil.rules..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "picocli..",
            "com.fasterxml..",
            "tools.jackson..",
            "java.lang.foreign..",
            "java.net.http..",
            "com.sun.net.httpserver..",
            "org.eclipse.jetty..",
            "dev.vigil.cli..",
            "dev.vigil.output..",
            "dev.vigil.kernel..",
            "dev.vigil.k8saudit..")
        .check(VIGIL);
  }

  @Test
  void postureStandsAloneAndKnowsNoCommandLine() {
    noClasses()
        .that()
        .resideInAPackage("dev.vigil.posture..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "picocli..",
            "dev.vigil.event..",
            "dev.vigil.rules..",
            "dev.vigil.output..",
            "dev.vigil.kernel..",
            "dev.vigil.k8saudit..",
            "dev.vigil.cli..",
            "org.eclipse.jetty..",
            "ch.qos.logback..")
        .check(VIGIL);
  }

  @Test
  void theEventModelDependsOnNothingElse() {
    noClasses()
        .that()
        .resideInAPackage("dev.vigil.event..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.vigil.rules..",
            "dev.vigil.cli..",
            "dev.vigil.output..",
            "dev.vigil.kernel..",
            "dev.vigil.k8saudit..",
            "picocli..",
            "com.fasterxml..",
            "org.snakeyaml..",
            "com.google.re2j..")
        .check(VIGIL);
  }

  @Test
  void sourcesDoNotDependOnEachOtherOrOnOutputsOrTheCli() {
    noClasses()
        .that()
        .resideInAPackage("dev.vigil.kernel..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.vigil.k8saudit..", "dev.vigil.output..", "dev.vigil.cli..")
        .check(VIGIL);
    noClasses()
        .that()
        .resideInAPackage("dev.vigil.k8saudit..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.vigil.kernel..", "dev.vigil.cli..")
        .check(VIGIL);
    noClasses()
        .that()
        .resideInAPackage("dev.vigil.output..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.vigil.kernel..", "dev.vigil.k8saudit..", "dev.vigil.cli..")
        .check(VIGIL);
  }

  @Test
  void onlyOneKernelPackageTouchesNativeMemory() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.vigil.kernel.ffi..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("java.lang.foreign..")
        .check(VIGIL);
  }

  @Test
  void onlyTheCliAndOutputsWriteToTheConsole() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.vigil.cli..", "dev.vigil.output..")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(VIGIL);
  }

  @Test
  void theLoggingBackendLivesOnlyInTheCli() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.vigil.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("ch.qos.logback..")
        .check(VIGIL);
  }
}
