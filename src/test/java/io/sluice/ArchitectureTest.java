package io.sluice;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Keeps the layers honest: the engine is framework-free and knows nothing of the application. */
@AnalyzeClasses(packages = "io.sluice", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule engineImportsNoSpring = noClasses().that().resideInAPackage("io.sluice.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..",
                    "jakarta.servlet..", "org.hibernate..")
            .because("the engine is tested and embedded on its own");

    @ArchTest
    static final ArchRule engineKnowsNoApplicationCode = noClasses().that().resideInAPackage("io.sluice.engine..")
            .should().dependOnClassesThat(resideInAPackage("io.sluice..").and(not(resideInAPackage("io.sluice.engine.."))))
            .because("the application calls the engine through its SPI, never the other way round");

    @ArchTest
    static final ArchRule protocolDoesNotReachIntoSessionsOrStreams = noClasses().that()
            .resideInAPackage("io.sluice.engine.protocol..")
            .should().dependOnClassesThat().resideInAnyPackage("io.sluice.engine.session..", "io.sluice.engine.stream..",
                    "io.sluice.engine.client..")
            .because("codecs never take the connection object");
}
