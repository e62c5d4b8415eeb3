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

    /**
     * JTA commits a transaction that ends in a checked exception: a method that can fail with an IOException (a chain
     * read) half-way through its writes would keep the half it wrote (it did: a payout proposal marked superseded with
     * no new proposal when the node timed out). Such a method must say rollbackOn.
     */
    @Test
    void aTransactionThatCanEndInACheckedExceptionRollsBackOnIt() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods()
                .that().areAnnotatedWith(jakarta.transaction.Transactional.class)
                .and(new com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaMethod>(
                        "declare a checked exception") {
                    @Override
                    public boolean test(com.tngtech.archunit.core.domain.JavaMethod method) {
                        return method.getThrowsClause().getTypes().stream().anyMatch(t -> t.isAssignableTo(Exception.class)
                                && !t.isAssignableTo(RuntimeException.class));
                    }
                })
                .should(new com.tngtech.archunit.lang.ArchCondition<com.tngtech.archunit.core.domain.JavaMethod>(
                        "roll back on every exception") {
                    @Override
                    public void check(com.tngtech.archunit.core.domain.JavaMethod method,
                                      com.tngtech.archunit.lang.ConditionEvents events) {
                        Class<?>[] on = method.getAnnotationOfType(jakarta.transaction.Transactional.class).rollbackOn();
                        if (!java.util.Arrays.asList(on).contains(Exception.class)) {
                            events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(method,
                                    method.getFullName() + " throws a checked exception and commits on it"));
                        }
                    }
                })
                .check(MERIT);
    }
}
