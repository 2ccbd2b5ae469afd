package io.sparkmlp.driver.transport.persistent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/** Waiting sides spin only while the serving in-process tasks and the driver fit on the processors. */
class LocalLinkTest {

    @Test
    void spinningStopsWhenTheTasksAndTheDriverOutnumberTheProcessorsAndResumesWhenTheyEnd() throws Exception {
        int processors = Runtime.getRuntime().availableProcessors();
        assertTrue(LocalLink.spinning(), "no task serving: the driver alone fits");
        List<StepChannel.TaskEnd> ends = new ArrayList<>();
        for (int p = 0; p < processors; p++) {
            assertEquals(p + 1 <= processors, LocalLink.spinning(), p + " tasks serving");
            ends.add(new LocalLink(p).taskEnd(10, 1000, () -> { }));
        }
        assertFalse(LocalLink.spinning(), processors + " tasks and the driver on " + processors + " processors");
        for (StepChannel.TaskEnd e : ends) {
            e.ended("stopped");
            e.ended("told twice: counted out once");
        }
        assertTrue(LocalLink.spinning());
        // parking at once: an empty queue answers null without waiting for the spin window
        ends.clear();
        for (int p = 0; p < processors; p++) ends.add(new LocalLink(p).taskEnd(10, 1000, () -> { }));
        long start = System.nanoTime();
        assertEquals(null, LocalLink.pollSpinning(new LinkedBlockingQueue<>(), 50_000_000L));
        assertTrue(System.nanoTime() - start < 40_000_000L, "waited for a spin window while not spinning");
        for (StepChannel.TaskEnd e : ends) e.ended("stopped");
    }
}
