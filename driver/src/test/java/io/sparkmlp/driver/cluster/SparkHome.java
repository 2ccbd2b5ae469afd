package io.sparkmlp.driver.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Spark home made from the jars Maven resolved, laid out as a Spark distribution is:
 * {@code jars/} (one symbolic link per jar of Spark's classpath) and {@code conf/} (log4j2 settings).
 * A Worker needs one: it starts executors through Spark's launcher, which builds their classpath
 * from {@code $SPARK_HOME/conf} and {@code $SPARK_HOME/jars/*}.
 */
public final class SparkHome {

    /** The Scala version of the Spark artifacts; Spark's launcher needs it in SPARK_SCALA_VERSION. */
    public static final String SCALA_VERSION = "2.13";

    private final Path dir;

    private SparkHome(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates {@code dir/jars} and {@code dir/conf} from a classpath file (entries separated by the
     * path separator, as maven-dependency-plugin's build-classpath writes it). Entries that are not
     * jar files (class directories) are skipped.
     *
     * @param dir           the new Spark home; must not exist yet. Modified.
     * @param classpathFile Spark's classpath. Not modified.
     */
    public static SparkHome create(Path dir, Path classpathFile) throws IOException {
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException("Spark's classpath file " + classpathFile
                    + " does not exist; maven-dependency-plugin writes it at generate-resources (driver/pom.xml)");
        }
        Path jars = Files.createDirectories(dir.resolve("jars"));
        Map<String, Path> byName = new LinkedHashMap<>();
        String classpath = Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry.trim());
            if (!entry.endsWith(".jar") || !Files.isRegularFile(jar)) {
                continue;
            }
            Path earlier = byName.putIfAbsent(jar.getFileName().toString(), jar);
            if (earlier != null) {
                throw new IllegalStateException("two jars of Spark's classpath (" + classpathFile + ") have the name "
                        + jar.getFileName() + ": " + earlier + " and " + jar);
            }
            Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
        }
        if (!byName.containsKey("spark-core_" + SCALA_VERSION + "-" + sparkVersion(byName) + ".jar")) {
            throw new IllegalStateException("no spark-core_" + SCALA_VERSION + " jar in " + classpathFile
                    + " (found " + byName.size() + " jars)");
        }
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("log4j2.properties"), LOG4J2, StandardCharsets.UTF_8);
        return new SparkHome(dir);
    }

    private static String sparkVersion(Map<String, Path> jarsByName) {
        String prefix = "spark-core_" + SCALA_VERSION + "-";
        return jarsByName.keySet().stream().filter(n -> n.startsWith(prefix))
                .map(n -> n.substring(prefix.length(), n.length() - ".jar".length()))
                .findFirst().orElse("?");
    }

    public Path dir() {
        return dir;
    }

    /** The classpath of a Spark JVM started from this home, as Spark's launcher writes it. */
    public String classpath() {
        return dir.resolve("conf") + "/" + java.io.File.pathSeparator + dir.resolve("jars") + "/*";
    }

    /**
     * The environment of a Spark process on this home: SPARK_HOME, SPARK_CONF_DIR, SPARK_SCALA_VERSION
     * (without it the launcher looks for build directories and fails with "Cannot find any build
     * directories"), SPARK_LOCAL_IP=127.0.0.1 (web UIs and services bind to loopback only), JAVA_HOME
     * (executors run with the java of this JVM) and SPARK_LOCAL_DIRS (scratch space).
     */
    public Map<String, String> environment(Path localDirs) {
        Map<String, String> env = new HashMap<>();
        env.put("SPARK_HOME", dir.toString());
        env.put("SPARK_CONF_DIR", dir.resolve("conf").toString());
        env.put("SPARK_SCALA_VERSION", SCALA_VERSION);
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_LOCAL_DIRS", localDirs.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return env;
    }

    /** Sets a child's environment: this JVM's, without Spark or Hadoop settings of the host, plus {@code env}. */
    static void applyEnvironment(Map<String, String> childEnv, Map<String, String> env) {
        childEnv.keySet().removeIf(k -> k.startsWith("SPARK_") || k.startsWith("PYSPARK_")
                || k.equals("HADOOP_CONF_DIR") || k.equals("YARN_CONF_DIR") || k.equals("CLASSPATH"));
        childEnv.putAll(env);
    }

    // Spark's INFO log (task starts and ends, executor registrations) into each process's log file,
    // without the web servers' and RPC layer's chatter.
    private static final String LOG4J2 = String.join("\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.stderr.ref = console",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.target = SYSTEM_ERR",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n",
            "logger.jetty.name = org.sparkproject.jetty",
            "logger.jetty.level = WARN",
            "logger.netty.name = io.netty",
            "logger.netty.level = WARN",
            "logger.hadoop.name = org.apache.hadoop",
            "logger.hadoop.level = WARN",
            "logger.security.name = org.apache.spark.SecurityManager",
            "logger.security.level = WARN",
            "");
}
