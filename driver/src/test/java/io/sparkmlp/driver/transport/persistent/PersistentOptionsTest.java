package io.sparkmlp.driver.transport.persistent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.config.TransportOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/**
 * The persistent transport's options from the {@code transport.*} keys and Spark's configuration:
 * timeouts follow {@code spark.network.timeout} unless set; frames are encrypted when Spark's own
 * security is on; dynamic allocation makes the transport unavailable where Spark applies it.
 */
class PersistentOptionsTest {

    private static SparkConf conf(String... keyValues) {
        SparkConf c = new SparkConf(false).setMaster("spark://master:7077");
        for (int i = 0; i < keyValues.length; i += 2) c.set(keyValues[i], keyValues[i + 1]);
        return c;
    }

    /** The transport options of a synthetic-data configuration with these keys set. */
    private static TransportOptions keys(Map<String, String> set) {
        Map<String, String> all = new HashMap<>(set);
        all.put("data.format", "synthetic");
        return TrainConfig.fromMap(all, "test").transport();
    }

    @Test
    void timeoutsFollowSparksNetworkTimeoutUnlessSet() {
        PersistentTransport.Options spark = PersistentTransport.Options.from(TransportOptions.defaults(), conf());
        assertEquals(Duration.ofSeconds(120), spark.connect());
        assertEquals(Duration.ofSeconds(120), spark.handshake());
        assertEquals(Duration.ofMinutes(30), spark.step());
        assertEquals(Duration.ofMinutes(15), spark.start());
        assertEquals(spark, PersistentTransport.Options.defaults());

        PersistentTransport.Options slow = PersistentTransport.Options.from(TransportOptions.defaults(),
                conf("spark.network.timeout", "10s"));
        assertEquals(Duration.ofSeconds(10), slow.connect());
        assertEquals(Duration.ofSeconds(10), slow.handshake());
        assertEquals(Duration.ofSeconds(150), slow.step());
        assertEquals(Duration.ofSeconds(75), slow.start());

        TransportOptions set = keys(Map.of("transport.handshakeTimeout", "3", "transport.stepTimeout", "42",
                "transport.port", "40000-40100", "transport.maxHandshakes", "8"));
        PersistentTransport.Options explicit = PersistentTransport.Options.from(set, conf("spark.network.timeout", "10s"));
        assertEquals(Duration.ofSeconds(10), explicit.connect());
        assertEquals(Duration.ofSeconds(3), explicit.handshake());
        assertEquals(Duration.ofSeconds(42), explicit.step());
        assertEquals(40000, explicit.portLow());
        assertEquals(40100, explicit.portHigh());
        assertEquals(8, explicit.maxHandshakes());
    }

    @Test
    void framesAreEncryptedWhenSparksSecurityIsOnOrWhenAskedFor() {
        assertFalse(PersistentTransport.Options.from(TransportOptions.defaults(), conf()).encrypt());
        for (String key : new String[] {"spark.authenticate", "spark.network.crypto.enabled", "spark.ssl.enabled", "spark.ssl.rpc.enabled"}) {
            SparkConf c = conf(key, "true");
            assertTrue(PersistentTransport.Options.from(TransportOptions.defaults(), c).encrypt(), key);
            assertEquals(key + " = true", PersistentTransport.sparkSecured(c));
        }
        assertNull(PersistentTransport.sparkSecured(conf("spark.authenticate", "false")));
        TransportOptions asked = keys(Map.of("transport.encrypt", "true"));
        assertTrue(PersistentTransport.Options.from(asked, conf()).encrypt());
    }

    /** As Spark decides: dynamic allocation applies outside local mode, and in local mode only with its testing flag. */
    @Test
    void dynamicAllocationMakesThePersistentTransportUnavailable() {
        assertNull(PersistentTransport.unavailable(conf()));
        assertTrue(PersistentTransport.unavailable(conf("spark.dynamicAllocation.enabled", "true")).startsWith(
                "spark.dynamicAllocation.enabled = true"));
        assertNull(PersistentTransport.unavailable(conf("spark.dynamicAllocation.enabled", "true").setMaster("local[4]")));
        assertTrue(PersistentTransport.unavailable(conf("spark.dynamicAllocation.enabled", "true",
                "spark.dynamicAllocation.testing", "true").setMaster("local[4]")) != null);
        assertTrue(PersistentTransport.unavailable(conf("spark.dynamicAllocation.enabled", "true").setMaster("local-cluster[2,1,1024]"))
                != null, "local-cluster runs executors: dynamic allocation applies");
    }
}
