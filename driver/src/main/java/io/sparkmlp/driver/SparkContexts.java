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
     * {@code spark.*} keys (which win) and defaults: the UI's kill links off unless
     * {@code spark.ui.killEnabled} is set, Spark's console progress bar off (sparkmlp prints its own);
     * {@code local[*]} when no master is given; in local mode the driver and its web UI bound to
     * 127.0.0.1 (a local run is not a service for the network).
     *
     * <p>Spark binds its UI to {@code SPARK_LOCAL_IP}, or else to all interfaces, whatever
     * {@code spark.driver.bindAddress} says; so in local mode the returned conf answers {@code 127.0.0.1}
     * for {@code SPARK_LOCAL_IP} when the environment does not set it ({@link LocalConf}).
     */
    public static SparkConf conf(String appName, Map<String, String> sparkKeys) {
        SparkConf conf = new SparkConf();
        conf.setIfMissing("spark.app.name", appName);
        sparkKeys.forEach(conf::set);
        conf.setIfMissing("spark.master", "local[*]");
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        conf.setIfMissing("spark.ui.killEnabled", "false");
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", LOOPBACK);
            conf.setIfMissing("spark.driver.bindAddress", LOOPBACK);
            return new LocalConf().with(conf.getAll());
        }
        return conf;
    }

    private static final String LOOPBACK = "127.0.0.1";

    /**
     * The conf of a local-mode context: a SparkConf, except that the environment variable {@code SPARK_LOCAL_IP},
     * which decides the address of Spark's web UI, reads as 127.0.0.1 when it is unset. Its copies
     * ({@code SparkContext} works on a clone) are LocalConfs too.
     */
    static final class LocalConf extends SparkConf {
        private static final long serialVersionUID = 1L;

        LocalConf() {
            super(false);
        }

        @Override
        public String getenv(String name) {
            String value = super.getenv(name);
            return value == null && name.equals("SPARK_LOCAL_IP") ? LOOPBACK : value;
        }

        @Override
        public LocalConf clone() {
            return new LocalConf().with(getAll());
        }

        private LocalConf with(scala.Tuple2<String, String>[] settings) {
            for (scala.Tuple2<String, String> kv : settings) set(kv._1(), kv._2());
            return this;
        }
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
