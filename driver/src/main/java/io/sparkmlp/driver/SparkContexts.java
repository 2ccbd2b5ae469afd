package io.sparkmlp.driver;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Creates the SparkContext of a command: spark-submit's settings first, then the job's spark.* keys. */
public final class SparkContexts {

    private SparkContexts() {
    }

    /**
     * A SparkConf from the system properties spark-submit sets, completed with the job's
     * {@code spark.*} keys (which win) and local-mode defaults: {@code local[*]} when no master is
     * given, the driver bound to 127.0.0.1, Spark's console progress bar off (sparkmlp prints its own).
     */
    public static SparkConf conf(String appName, Map<String, String> sparkKeys) {
        SparkConf conf = new SparkConf();
        conf.setIfMissing("spark.app.name", appName);
        sparkKeys.forEach(conf::set);
        conf.setIfMissing("spark.master", "local[*]");
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        return conf;
    }

    public static JavaSparkContext start(String appName, Map<String, String> sparkKeys) {
        return new JavaSparkContext(conf(appName, sparkKeys));
    }
}
