package io.sparkmlp.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * The local-mode SparkContext keeps its web UI to this machine: bound to 127.0.0.1 (reachable there, refused on the
 * machine's other addresses), kill links off unless the user turns them on.
 */
class SparkContextsTest {

    @Test
    void killLinksAreOffUnlessSet() {
        assertEquals("false", SparkContexts.conf("t", Map.of()).get("spark.ui.killEnabled"));
        assertEquals("true", SparkContexts.conf("t", Map.of("spark.ui.killEnabled", "true")).get("spark.ui.killEnabled"));
        assertEquals("false", SparkContexts.conf("t", Map.of("spark.master", "spark://h:7077")).get("spark.ui.killEnabled"));
    }

    /**
     * In a JVM of its own without {@code SPARK_LOCAL_IP} (the build sets it for tests), a local-mode context's UI
     * answers on 127.0.0.1 and refuses connections on the machine's other addresses.
     */
    @Test
    void theLocalModeUiListensOnLoopbackOnly() throws Exception {
        List<InetAddress> others = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).toList();
        assumeFalse(others.isEmpty(), "no address other than loopback to probe");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), UiMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("SPARK_LOCAL_IP");
        Process p = pb.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("port "), "child said: " + line);
            int port = Integer.parseInt(line.substring(5));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
            for (InetAddress a : others) {
                assertThrows(ConnectException.class, () -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(a, port), 2000);
                    }
                }, "the UI answers on " + a.getHostAddress() + ":" + port);
            }
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    /** Starts a local-mode context with its UI, prints the UI's port, and stops when stdin closes. */
    public static final class UiMain {
        public static void main(String[] args) throws IOException {
            try (JavaSparkContext sc = SparkContexts.start("ui test", Map.of("spark.master", "local[1]",
                    "spark.ui.enabled", "true", "spark.ui.port", "0"))) {
                System.out.println("port " + sc.sc().ui().get().boundPort());
                System.out.flush();
                while (System.in.read() >= 0) {
                    // wait for the test to close stdin
                }
            }
        }
    }
}
