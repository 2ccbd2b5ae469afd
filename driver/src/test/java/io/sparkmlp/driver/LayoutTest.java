package io.sparkmlp.driver;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layout of docs/ARCHITECTURE.md, checked on the compiled main classes of worker-lib and
 * the driver: no two packages depend on each other in a cycle, the kernel never reaches into the
 * driver, and every package says its job in a package-info.java.
 */
class LayoutTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sparkmlp");
    }

    @Test
    void importedTheMainClassesOfBothModules() {
        assertTrue(classes.contain("io.sparkmlp.driver.train.Trainer"), "driver classes imported");
        assertTrue(classes.contain("io.sparkmlp.kernel.MlpKernel"), "worker-lib classes imported");
    }

    @Test
    void packagesFormNoCycle() {
        // Each package is its own slice: io.sparkmlp.driver.transport and .transport.persistent are two.
        slices().matching("io.sparkmlp.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theKernelKnowsNothingOfTheDriver() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().resideInAPackage("io.sparkmlp.kernel..")
                .should().dependOnClassesThat().resideInAPackage("io.sparkmlp.driver..")
                .check(classes);
    }

    @Test
    void everyPackageHasAPackageInfo() throws IOException {
        TreeSet<String> missing = new TreeSet<>();
        for (Path root : List.of(Path.of("src/main/java"), Path.of("../worker-lib/src/main/java"))) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java"))
                        .map(Path::getParent)
                        .distinct()
                        .filter(dir -> !Files.exists(dir.resolve("package-info.java")))
                        .forEach(dir -> missing.add(root.relativize(dir).toString()));
            }
        }
        assertEquals(new TreeSet<String>(), missing, "packages without a package-info.java");
    }
}
