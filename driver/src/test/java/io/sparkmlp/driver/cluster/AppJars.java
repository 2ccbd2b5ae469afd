package io.sparkmlp.driver.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Application jars for spark-submit, made at test time from compiled test classes. */
public final class AppJars {

    private AppJars() {
    }

    /**
     * Writes a jar holding {@code mainClass} and its nested classes, with {@code mainClass} as the
     * manifest's Main-Class. The class may use Spark's API only (Spark is on the cluster's classpath).
     *
     * @param jar where to write it. Modified.
     */
    public static Path build(Path jar, Class<?> mainClass) throws IOException {
        Path classesRoot;
        try {
            classesRoot = Path.of(mainClass.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("location of " + mainClass.getName(), e);
        }
        String packageDir = mainClass.getPackageName().replace('.', '/');
        Path dir = classesRoot.resolve(packageDir);
        String simple = mainClass.getSimpleName();
        List<Path> classFiles;
        try (Stream<Path> files = Files.list(dir)) {
            classFiles = files.filter(f -> {
                String n = f.getFileName().toString();
                return n.equals(simple + ".class") || n.startsWith(simple + "$") && n.endsWith(".class");
            }).sorted().toList();
        }
        if (classFiles.isEmpty()) {
            throw new IllegalStateException("no class files of " + mainClass.getName() + " in " + dir);
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass.getName());
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out, manifest)) {
            for (Path f : classFiles) {
                jos.putNextEntry(new JarEntry(packageDir + "/" + f.getFileName()));
                Files.copy(f, jos);
                jos.closeEntry();
            }
        }
        return jar;
    }
}
