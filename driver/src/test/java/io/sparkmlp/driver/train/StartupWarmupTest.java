package io.sparkmlp.driver.train;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Backend;
import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up runs the step's code (kernel, merge, norms, optimizers, evaluation) without failing, for every
 * activation; one that ran to its end is not started again in the same JVM; closing it stops it.
 */
class StartupWarmupTest {

    @Test
    void runsTheStepCodeOfEveryActivationAndOnlyOncePerJvm() throws InterruptedException {
        for (Activation a : Activation.values()) {
            StartupWarmup w = StartupWarmup.start(a, Backend.AUTO);
            if (w == null) continue; // another test of this JVM warmed it already
            w.join();
            assertTrue(w.rounds() > 0, a + ": no round done");
            if (w.rounds() == StartupWarmup.ROUNDS) {
                assertNull(StartupWarmup.start(a, Backend.AUTO), a + ": warmed again after a complete warm-up");
            }
        }
    }

    @Test
    void closingStopsIt() throws InterruptedException {
        StartupWarmup w = StartupWarmup.start(Activation.SIGMOID, Backend.JAVA);
        assertNotNull(w);
        w.close();
        w.join();
        assertTrue(w.rounds() < StartupWarmup.ROUNDS, w.rounds() + " rounds after close");
    }
}
