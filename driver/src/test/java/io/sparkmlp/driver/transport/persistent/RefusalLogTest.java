package io.sparkmlp.driver.transport.persistent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Refusal lines at most once per interval, each counting the ones held back since the last. */
class RefusalLogTest {

    @Test
    void aFloodOfRefusalsGivesOneLinePerIntervalWithTheCountHeldBack() {
        RefusalLog log = new RefusalLog(10);
        assertEquals("a", log.admit("a", 1000));
        assertNull(log.admit("b", 1001));
        assertNull(log.admit("c", 1009));
        assertEquals("d (and 2 more since the last such line)", log.admit("d", 1010));
        assertNull(log.admit("e", 1015));
        assertEquals("f (and 1 more since the last such line)", log.admit("f", 5000));
        assertEquals("g", log.admit("g", 5010));
    }

    @Test
    void theFirstRefusalIsLoggedWhateverTheClockSays() {
        assertEquals("a", new RefusalLog(10).admit("a", Long.MIN_VALUE));
    }
}
