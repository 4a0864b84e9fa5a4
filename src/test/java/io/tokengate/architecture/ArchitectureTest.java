package io.tokengate.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keeps the shape of the design true (design.md §1): the stages stand side by side. Stage packages exchange the
 * records of {@code request} and may use the shared base packages, never each other (except dispatch, which takes
 * routing's plan); no two packages import each other, directly or around a cycle; only ingress, pipeline and relay
 * see the client connection; the records package depends on nothing but configuration and errors.
 */
class ArchitectureTest {
    private static final String ROOT = "io.tokengate";
    private static final List<String> SHARED = List.of("request", "error", "config", "storage", "tenant", "observability");
    private static JavaClasses gateway;

    @BeforeAll
    static void importProductionClasses() {
        gateway = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void noPackageImportsAPackageThatImportsItBack() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(gateway);
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth", "protocol", "budget", "routing", "upstream", "relay"})
    void stagePackagesUseOnlyRecordsAndSharedPackages(String stage) {
        List<String> allowed = new ArrayList<>(SHARED);
        allowed.add(stage);
        if (stage.equals("upstream")) {
            allowed.add("routing"); // dispatch takes routing's plan: the one dependency the design names
        }
        onlyDependsOnGatewayPackages(stage, allowed).check(gateway);
    }

    @Test
    void requestRecordsDependOnConfigurationAndErrorsOnly() {
        onlyDependsOnGatewayPackages("request", List.of("request", "config", "error")).check(gateway);
    }

    @Test
    void onlyIngressPipelineAndRelaySeeTheClientConnection() {
        noClasses().that().resideInAnyPackage(packages("auth", "protocol", "budget", "routing", "upstream",
                        "observability", "request", "tenant", "storage", "error", "config", "health"))
                .should().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".ingress.Exchange")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.vertx.core.http.HttpServerRequest")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.vertx.core.http.HttpServerResponse")
                .check(gateway);
    }

    private static ArchRule onlyDependsOnGatewayPackages(String owner, List<String> allowed) {
        return classes().that().resideInAPackage(ROOT + "." + owner + "..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(ROOT + "..")
                        .or(resideInAnyPackage(packages(allowed.toArray(String[]::new)))))
                .as(owner + " depends only on " + allowed + " of the gateway's packages");
    }

    private static String[] packages(String... names) {
        String[] out = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = ROOT + "." + names[i] + "..";
        }
        return out;
    }
}
