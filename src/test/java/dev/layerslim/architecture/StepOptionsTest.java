package dev.layerslim.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.layerslim.pipeline.BuildContext;
import org.junit.jupiter.api.Test;

/**
 * A step says by its constructor what it reads of the options (its group, or the few values it
 * needs); cli's Workflows hands them over. So no class in a step package reads
 * {@link BuildContext#options()}: the output folder is {@link BuildContext#outputDir()} /
 * {@link BuildContext#workDir()}, the wording of messages {@link BuildContext#vocabulary()}. No
 * exceptions today; one added later belongs here with its reason.
 */
class StepOptionsTest {
  @Test
  void noStepPackage_readsTheWholeOptionsFromTheContext() {
    JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.layerslim");
    String[] steps = LayeringTest.STEPS.stream().map(s -> "dev.layerslim." + s + "..").toArray(String[]::new);
    noClasses().that().resideInAnyPackage(steps)
        .should().callMethod(BuildContext.class, "options")
        .because("a step takes what it reads by constructor, so Workflows shows each step's inputs")
        .check(classes);
  }
}
