package io.sparkmlp.ml;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The layout rules of the driver's LayoutTest for spark-ml: no package cycle, nobody else uses it, a package-info each. */
class LayoutTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // the driver's test-jar is on this module's test class path (its cluster harness): main classes only
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.sparkmlp");

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.sparkmlp.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theDriverAndTheKernelDoNotUseSparkMl() {
        ArchRuleDefinition.noClasses().that().resideOutsideOfPackage("io.sparkmlp.ml..")
                .should().dependOnClassesThat().resideInAPackage("io.sparkmlp.ml..").check(CLASSES);
    }

    @Test
    void everyPackageHasAPackageInfo() throws IOException {
        TreeSet<String> missing = new TreeSet<>();
        Path root = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> f.toString().endsWith(".java")).map(Path::getParent).distinct()
                    .filter(dir -> !Files.exists(dir.resolve("package-info.java")))
                    .forEach(dir -> missing.add(root.relativize(dir).toString()));
        }
        assertEquals(new TreeSet<String>(), missing, "packages without a package-info.java");
    }
}
