package io.sparkmlp.driver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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

    /**
     * A SparkContext of {@link #conf}. For a standalone master ({@code spark://HOST:PORT[,HOST:PORT]})
     * it first checks that a master accepts connections, because Spark itself retries an
     * unreachable master for a minute and then leaves the application waiting.
     *
     * @throws ClusterException when no standalone master answers within {@link #MASTER_CONNECT_TIMEOUT_MILLIS}
     */
    public static JavaSparkContext start(String appName, Map<String, String> sparkKeys) {
        SparkConf conf = conf(appName, sparkKeys);
        requireReachableMaster(conf.get("spark.master"), MASTER_CONNECT_TIMEOUT_MILLIS);
        return new JavaSparkContext(conf);
    }

    /** How long {@link #start} tries to reach a standalone master. */
    static final int MASTER_CONNECT_TIMEOUT_MILLIS = 5000;
    /** The connect timeout of one attempt. */
    private static final int CONNECT_ATTEMPT_MILLIS = 1000;

    /**
     * Returns when a TCP connection to one of the standalone master's addresses succeeds, trying
     * them in turn (each attempt with a 1 s connect timeout, a pause of 0.5 s between rounds) until
     * {@code timeoutMillis} have passed; does nothing for other masters.
     *
     * @throws ClusterException naming the master URL, the last error and what was expected
     */
    static void requireReachableMaster(String master, int timeoutMillis) {
        if (master == null || !master.startsWith("spark://")) return;
        String[] addresses = master.substring("spark://".length()).split(",");
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        String last = "";
        while (true) {
            for (String address : addresses) {
                int colon = address.lastIndexOf(':');
                String host = colon < 0 ? address : address.substring(0, colon);
                int port;
                try {
                    port = colon < 0 ? 7077 : Integer.parseInt(address.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new ClusterException("spark.master = " + master + ": \"" + address
                            + "\" has no valid port; expected spark://HOST:PORT");
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(host, port), CONNECT_ATTEMPT_MILLIS);
                    return;
                } catch (IOException e) {
                    last = host + ":" + port + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
                }
            }
            if (System.nanoTime() > deadline) {
                throw new ClusterException("spark.master = " + master + ": cannot connect to the Spark master within "
                        + timeoutMillis / 1000.0 + " s (" + last + "); expected a running standalone master at that"
                        + " address (check the host, the port and that the master is up)");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterException("interrupted while connecting to the Spark master " + master, e);
            }
        }
    }
}
