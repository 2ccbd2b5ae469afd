package io.sparkmlp.driver.cluster;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the integration tests find what the build made, from system properties the failsafe
 * configuration of driver/pom.xml sets. Each has a default relative to the module directory, so that
 * an IT also runs from an IDE after {@code mvn package}:
 * <ul>
 *   <li>{@code sparkmlp.it.sparkJavaOpts}: the JVM flags Spark 4 needs on Java 17 (the parent pom's
 *       {@code spark.java.opts}); default: those flags among the running JVM's own arguments.</li>
 *   <li>{@code sparkmlp.it.sparkClasspath}: Spark's classpath file, default {@code target/spark-classpath.txt}.</li>
 *   <li>{@code sparkmlp.it.appJar}: the spark-submit jar, default {@code target/sparkmlp.jar}.</li>
 *   <li>{@code sparkmlp.it.workDir}: where clusters put their files, default {@code target/it}.</li>
 * </ul>
 */
public record ItSettings(List<String> sparkJavaOpts, Path sparkClasspathFile, Path appJar, Path workDir) {

    public static ItSettings fromSystemProperties() {
        Path base = Path.of(System.getProperty("basedir", "."));
        Path target = base.resolve("target");
        return new ItSettings(
                javaOpts(System.getProperty("sparkmlp.it.sparkJavaOpts")),
                path("sparkmlp.it.sparkClasspath", target.resolve("spark-classpath.txt")),
                path("sparkmlp.it.appJar", target.resolve("sparkmlp.jar")),
                path("sparkmlp.it.workDir", target.resolve("it")));
    }

    /** The project version the build stamped, or "unknown" outside Maven. */
    public static String projectVersion() {
        return System.getProperty("sparkmlp.it.version", "unknown");
    }

    /** The spark-submit jar; fails naming the path and the build step that makes it when it is missing. */
    public Path requireAppJar() {
        if (!Files.isRegularFile(appJar)) {
            throw new IllegalStateException("the spark-submit jar " + appJar.toAbsolutePath()
                    + " does not exist; it is built by `mvn package` (maven-shade-plugin in driver/pom.xml)");
        }
        return appJar;
    }

    private static Path path(String key, Path fallback) {
        String v = System.getProperty(key);
        return (v == null || v.isBlank() ? fallback : Path.of(v)).toAbsolutePath().normalize();
    }

    private static List<String> javaOpts(String property) {
        if (property != null && !property.isBlank()) {
            return List.of(property.trim().split("\\s+"));
        }
        // Outside failsafe: reuse the module and reflection flags this JVM was started with (the parent
        // pom gives them to every test JVM).
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-modules")
                        || a.equals("-XX:+IgnoreUnrecognizedVMOptions")
                        || a.startsWith("-Djdk.reflect.useDirectMethodHandle")
                        || a.startsWith("-Dio.netty.tryReflectionSetAccessible"))
                .toList();
    }
}
