package dev.layerslim.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import dev.layerslim.github.GitHubHttp;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph points one way. From the top:
 *
 * <pre>
 * cli                      commands, the wiring of steps (Workflows), exit codes
 *  ├─ github               the GitHub API and the Actions runner files
 *  └─ step packages        install audit prune stage strip smoke bytecode compat archive report cold
 *       └─ pipeline        Step, Pipeline, BuildContext, BuildOptions, the step results
 *            ├─ python     running an interpreter: pip, imports, compile
 *            └─ elf        reading and validating ELF objects
 * reportfile               report.json: its model (Report) and its one reader and writer (ReportJson);
 *                          steps hand their sections to the pipeline's BuildContext as its values
 * redact                   credentials in URLs and pip's settings, and the Redactor that blanks them
 * layer                    the model: trees, distributions, targets, sizes
 * error                    LayerslimException and the exit codes
 * </pre>
 *
 * Step packages never import each other; github imports no step package. docs/architecture.md
 * shows the same picture.
 */
class LayeringTest {
  static final List<String> STEPS = List.of("install", "audit", "prune", "stage", "strip", "smoke",
      "bytecode", "compat", "archive", "report", "cold");

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.layerslim");
  }

  @Test
  void packages_dependOnlyDownwards_andStepPackagesNeverOnEachOther() {
    LayeredArchitecture arch = layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("cli").definedBy("dev.layerslim.cli..")
        .layer("github").definedBy("dev.layerslim.github..")
        .layer("pipeline").definedBy("dev.layerslim.pipeline..")
        .layer("python").definedBy("dev.layerslim.python..")
        .layer("elf").definedBy("dev.layerslim.elf..")
        .layer("reportfile").definedBy("dev.layerslim.reportfile..")
        .layer("layer").definedBy("dev.layerslim.layer..")
        .layer("error").definedBy("dev.layerslim.error..")
        .layer("redact").definedBy("dev.layerslim.redact..");
    for (String step : STEPS) {
      arch = arch.layer(step).definedBy("dev.layerslim." + step + "..");
    }
    String[] steps = STEPS.toArray(String[]::new);
    String[] aboveSteps = {"cli"};
    arch = arch.whereLayer("cli").mayNotBeAccessedByAnyLayer()
        .whereLayer("github").mayOnlyBeAccessedByLayers(aboveSteps);
    for (String step : STEPS) {
      arch = arch.whereLayer(step).mayOnlyBeAccessedByLayers(aboveSteps);
    }
    arch = arch.whereLayer("pipeline").mayOnlyBeAccessedByLayers(concat(steps, "cli", "github"))
        .whereLayer("python").mayOnlyBeAccessedByLayers(concat(steps, "cli", "pipeline"))
        .whereLayer("elf").mayOnlyBeAccessedByLayers(concat(steps, "cli", "pipeline"))
        .whereLayer("reportfile").mayOnlyBeAccessedByLayers(concat(steps, "cli", "github", "pipeline"))
        .whereLayer("layer").mayOnlyBeAccessedByLayers(concat(steps, "cli", "github", "pipeline", "python", "elf",
            "reportfile"))
        .whereLayer("redact").mayOnlyBeAccessedByLayers(concat(steps, "cli", "github", "pipeline"));
    arch.check(classes);
  }

  @Test
  void packages_haveNoCycles() {
    slices().matching("dev.layerslim.(*)..").should().beFreeOfCycles().check(classes);
  }

  /**
   * Every HTTP request layerslim makes goes through {@link GitHubHttp}, the one hub4j connector: it
   * holds the timeouts and keeps the token from the URLs GitHub redirects to. A second HTTP client
   * elsewhere would have neither.
   */
  @Test
  void onlyTheGitHubConnector_makesHttpRequests() {
    DescribedPredicate<JavaClass> connector = DescribedPredicate.describe("the connector GitHubHttp",
        c -> c.getName().equals(GitHubHttp.class.getName()) || c.getName().startsWith(GitHubHttp.class.getName() + "$"));
    noClasses().that(DescribedPredicate.not(connector))
        .should().dependOnClassesThat().areAssignableTo(java.net.http.HttpClient.class)
        .orShould().dependOnClassesThat().areAssignableTo(java.net.HttpURLConnection.class)
        .orShould().callMethod(java.net.URL.class, "openConnection")
        .orShould().callMethod(java.net.URL.class, "openConnection", java.net.Proxy.class)
        .orShould().callMethod(java.net.URL.class, "openStream")
        .because("GitHubHttp is the one connector, with the timeouts and the token kept from redirect targets")
        .check(classes);
  }

  private static String[] concat(String[] a, String... more) {
    String[] out = new String[a.length + more.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(more, 0, out, a.length, more.length);
    return out;
  }
}
