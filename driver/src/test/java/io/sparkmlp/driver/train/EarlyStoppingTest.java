package io.sparkmlp.driver.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.checkpoint.Checkpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Early stopping and keep-best: best loss, step and weights, patience, which weights a run ends with. */
class EarlyStoppingTest {

    @Test
    void stopsAfterPatienceEvaluationsWithoutImprovement() {
        EarlyStopping s = new EarlyStopping(2, false);
        s.evaluated(10, 0.9, new float[] {1});
        s.evaluated(20, 0.7, new float[] {2});
        assertEquals(0, s.evaluationsWithoutImprovement());
        s.evaluated(30, 0.7, new float[] {3}); // equal is no improvement
        assertFalse(s.shouldStop());
        s.evaluated(40, 0.8, new float[] {4});
        assertTrue(s.shouldStop());
        assertEquals(20, s.bestStep());
        assertEquals(0.7, s.bestLoss());
        assertArrayEquals(new float[] {2}, s.bestWeights());
        assertTrue(s.keepsBest(40, true), "stopped early: the best weights");
        assertFalse(s.keepsBest(40, false), "ran to the end without keepBest: the last weights");
    }

    @Test
    void anImprovementResetsTheCount() {
        EarlyStopping s = new EarlyStopping(2, false);
        s.evaluated(1, 0.5, new float[] {1});
        s.evaluated(2, 0.6, new float[] {2});
        s.evaluated(3, 0.4, new float[] {3});
        s.evaluated(4, 0.6, new float[] {4});
        assertFalse(s.shouldStop());
        assertEquals(1, s.evaluationsWithoutImprovement());
        assertEquals(3, s.bestStep());
    }

    @Test
    void aNanLossNeverImproves() {
        EarlyStopping s = new EarlyStopping(1, false);
        s.evaluated(5, Double.NaN, new float[] {1});
        assertTrue(s.shouldStop());
        assertEquals(Double.POSITIVE_INFINITY, s.bestLoss());
        assertNull(s.bestWeights());
        assertFalse(s.keepsBest(5, true), "nothing to keep");
    }

    @Test
    void keepBestWithoutPatienceNeverStopsAndKeepsACopy() {
        EarlyStopping s = new EarlyStopping(0, true);
        float[] w = {1, 2};
        s.evaluated(3, 0.2, w);
        w[0] = 9; // the loop updates its weights in place
        for (int i = 0; i < 50; i++) s.evaluated(4 + i, 0.3, w);
        assertFalse(s.shouldStop());
        assertArrayEquals(new float[] {1, 2}, s.bestWeights());
        assertTrue(s.keepsBest(60, false));
        assertFalse(s.keepsBest(3, false), "the best step is the last one: its weights are the last weights");
    }

    @Test
    void neitherOptionRemembersNoWeights() {
        EarlyStopping s = new EarlyStopping(0, false);
        s.evaluated(1, 0.2, new float[] {1});
        s.evaluated(2, 0.3, new float[] {2});
        assertEquals(1, s.bestStep());
        assertNull(s.bestWeights());
        assertFalse(s.keepsBest(2, false));
    }

    @Test
    void continuesFromACheckpointsState() {
        EarlyStopping s = new EarlyStopping(3, false);
        s.restore(new Checkpoint.Loop(100, 0, 0, 0.1, 0.25, 40, 2, new float[] {7}, null, 1.5, List.of()));
        assertEquals(0.25, s.bestLoss());
        assertEquals(40, s.bestStep());
        assertEquals(2, s.evaluationsWithoutImprovement());
        s.evaluated(60, 0.3, new float[] {8});
        assertTrue(s.shouldStop());
        assertArrayEquals(new float[] {7}, s.bestWeights());
    }

    @Test
    void negativePatienceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EarlyStopping(-1, false));
        assertEquals("patience -1: expected ≥ 0", e.getMessage());
    }
}
