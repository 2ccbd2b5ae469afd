package io.sparkmlp.driver.config;

import static io.sparkmlp.driver.config.Keys.TRANSPORT_CONNECT_TIMEOUT;
import static io.sparkmlp.driver.config.Keys.TRANSPORT_ENCRYPT;
import static io.sparkmlp.driver.config.Keys.TRANSPORT_FANOUT;
import static io.sparkmlp.driver.config.Keys.TRANSPORT_HANDSHAKE_TIMEOUT;
import static io.sparkmlp.driver.config.Keys.TRANSPORT_MAX_HANDSHAKES;
import static io.sparkmlp.driver.config.Keys.TRANSPORT_PORT;
import static io.sparkmlp.driver.config.Keys.TRANSPORT_START_TIMEOUT;
import static io.sparkmlp.driver.config.Keys.TRANSPORT_STEP_TIMEOUT;

import java.io.Serializable;

/**
 * The persistent transport's network settings ({@code transport.*} keys). Timeouts are in seconds;
 * {@link #AUTO} means derived from Spark's {@code spark.network.timeout} when the transport starts.
 *
 * @param portLow first port the step server may listen on; 0 (with {@code portHigh} 0): any free port
 * @param portHigh last port of the range
 * @param connectTimeout seconds a task may take to connect, or AUTO
 * @param handshakeTimeout seconds from accept to an authenticated hello, or AUTO
 * @param stepTimeout seconds to wait for one task's answer, or AUTO
 * @param startTimeout seconds to wait for all tasks of the stage to connect, or AUTO
 * @param maxHandshakes connections authenticated at once
 * @param encrypt encrypt every frame even when Spark's security is off
 * @param fanout tasks the driver exchanges each step with directly (the others are reached along a tree), or AUTO
 */
public record TransportOptions(int portLow, int portHigh, long connectTimeout, long handshakeTimeout, long stepTimeout,
                               long startTimeout, int maxHandshakes, boolean encrypt, int fanout) implements Serializable {

    /** A timeout derived from {@code spark.network.timeout}. */
    public static final long AUTO = 0;

    /** Every {@code transport.*} key at its default. */
    public static TransportOptions defaults() {
        return of(Keys.DEFAULTS);
    }

    static TransportOptions of(Keys.Resolver r) {
        int[] port = r.get(TRANSPORT_PORT);
        return new TransportOptions(port[0], port[1], r.get(TRANSPORT_CONNECT_TIMEOUT), r.get(TRANSPORT_HANDSHAKE_TIMEOUT),
                r.get(TRANSPORT_STEP_TIMEOUT), r.get(TRANSPORT_START_TIMEOUT), r.get(TRANSPORT_MAX_HANDSHAKES),
                r.get(TRANSPORT_ENCRYPT), r.get(TRANSPORT_FANOUT));
    }
}
