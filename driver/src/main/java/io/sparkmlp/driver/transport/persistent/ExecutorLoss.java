package io.sparkmlp.driver.transport.persistent;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.status.api.v1.ExecutorSummary;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Tells the step server the host of each executor Spark reports removed (lost, killed or
 * decommissioned), so that the generation with a task there is closed at once instead of at the
 * step timeout. Executor hosts are learnt from Spark's status store when the listener is made and
 * from every later executor registration.
 */
final class ExecutorLoss extends SparkListener {

    private final Map<String, String> hosts = new ConcurrentHashMap<>();
    private final Consumer<String> hostLost;

    /** @param hostLost called with the host of each executor removed */
    ExecutorLoss(SparkContext sc, Consumer<String> hostLost) {
        this.hostLost = hostLost;
        for (ExecutorSummary e : CollectionConverters.asJava(sc.statusStore().executorList(true))) {
            hosts.put(e.id(), hostOf(e.hostPort()));
        }
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded added) {
        hosts.put(added.executorId(), added.executorInfo().executorHost());
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        String host = hosts.remove(removed.executorId());
        if (host != null) hostLost.accept(host);
    }

    /** "host:port" → host (an IPv6 literal keeps its colons). */
    private static String hostOf(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        boolean portAfterHost = colon > 0 && (hostPort.startsWith("[") || hostPort.indexOf(':') == colon);
        return portAfterHost ? hostPort.substring(0, colon) : hostPort;
    }
}
