package dev.merit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Data flows one way: each layer uses only the layers below it (ARCHITECTURE.md, docs/architecture.md). A lower
 * layer that must tell a higher one something publishes an event or calls a port it owns (an interface the higher
 * layer implements, such as security.ChainIdentity).
 */
class LayersTest {

    private static final JavaClasses MERIT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.merit");

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("entry points").definedBy("dev.merit", "dev.merit.web..", "dev.merit.cli..", "dev.merit.ci..")
                .layer("governance").definedBy("dev.merit.governance..")
                .layer("payroll").definedBy("dev.merit.payroll..")
                .layer("scoring").definedBy("dev.merit.scoring..")
                .layer("ingest").definedBy("dev.merit.ingest..")
                .layer("epoch").definedBy("dev.merit.epoch..")
                .layer("contributor").definedBy("dev.merit.contributor..")
                .layer("security and events").definedBy("dev.merit.security..", "dev.merit.events..", "dev.merit.cluster..")
                .layer("audit").definedBy("dev.merit.audit..")
                .layer("problem").definedBy("dev.merit.problem..")
                .whereLayer("entry points").mayNotBeAccessedByAnyLayer()
                .whereLayer("governance").mayOnlyBeAccessedByLayers("entry points")
                .whereLayer("payroll").mayOnlyBeAccessedByLayers("entry points", "governance")
                .whereLayer("scoring").mayOnlyBeAccessedByLayers("entry points", "governance", "payroll")
                .whereLayer("ingest").mayOnlyBeAccessedByLayers("entry points", "governance", "payroll", "scoring")
                .whereLayer("epoch").mayOnlyBeAccessedByLayers("entry points", "governance", "payroll", "scoring", "ingest")
                .whereLayer("contributor").mayOnlyBeAccessedByLayers("entry points", "governance", "payroll", "scoring",
                        "ingest", "epoch")
                .whereLayer("security and events").mayOnlyBeAccessedByLayers("entry points", "governance", "payroll",
                        "scoring", "ingest", "epoch", "contributor")
                .whereLayer("audit").mayOnlyBeAccessedByLayers("entry points", "governance", "payroll", "scoring",
                        "ingest", "epoch", "contributor", "security and events")
                .check(MERIT);
    }

    @Test
    void noTwoTopLevelPackagesReachEachOther() {
        slices().matching("dev.merit.(*)..").should().beFreeOfCycles().check(MERIT);
    }
}
