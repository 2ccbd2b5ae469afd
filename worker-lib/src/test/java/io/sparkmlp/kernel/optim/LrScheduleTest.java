package io.sparkmlp.kernel.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LrScheduleTest {

    static final double EXACT = 1e-15;

    @Test
    void constantWithWarmup() {
        LrSchedule s = LrSchedule.constant(0.1, 4);
        // 0.1·(t+1)/4 for t < 4
        assertEquals(0.025, s.rate(0), EXACT);
        assertEquals(0.05, s.rate(1), EXACT);
        assertEquals(0.075, s.rate(2), EXACT);
        assertEquals(0.1, s.rate(3), EXACT); // warm-up ends at the base rate
        assertEquals(0.1, s.rate(4), EXACT);
        assertEquals(0.1, s.rate(1_000_000), EXACT);
    }

    @Test
    void constantWithoutWarmup() {
        LrSchedule s = LrSchedule.constant(0.3);
        assertEquals(0.3, s.rate(0), 0.0);
        assertEquals(0.3, s.rate(12345), 0.0);
        assertEquals(ScheduleKind.CONSTANT, s.kind());
    }

    @Test
    void stepDecayCountsFromTheEndOfWarmup() {
        LrSchedule s = LrSchedule.step(1.0, 2, 3, 0.5);
        assertEquals(0.5, s.rate(0), EXACT);  // warm-up 1·1/2
        assertEquals(1.0, s.rate(1), EXACT);  // warm-up 1·2/2
        assertEquals(1.0, s.rate(2), EXACT);  // t−W = 0 → γ⁰
        assertEquals(1.0, s.rate(4), EXACT);  // t−W = 2 → ⌊2/3⌋ = 0
        assertEquals(0.5, s.rate(5), EXACT);  // t−W = 3 → γ¹
        assertEquals(0.5, s.rate(7), EXACT);  // t−W = 5 → ⌊5/3⌋ = 1
        assertEquals(0.25, s.rate(8), EXACT); // t−W = 6 → γ²
        assertEquals(Math.pow(0.5, 10), s.rate(2 + 30), EXACT);
    }

    @Test
    void stepWithGammaOneIsConstant() {
        LrSchedule s = LrSchedule.step(0.2, 0, 1, 1.0);
        assertEquals(0.2, s.rate(0), 0.0);
        assertEquals(0.2, s.rate(999), 0.0);
    }

    @Test
    void cosineFromBaseToMin() {
        LrSchedule s = LrSchedule.cosine(1.0, 10, 110, 0.1);
        assertEquals(0.1, s.rate(0), EXACT);  // warm-up 1·1/10
        assertEquals(1.0, s.rate(9), EXACT);  // last warm-up step reaches the base
        assertEquals(1.0, s.rate(10), EXACT); // cos(0) = 1 → base
        // t = 35: progress 25/100, 0.1 + 0.45·(1 + cos(π/4)) = 0.1 + 0.45·1.7071067812 = 0.8681980515
        assertEquals(0.8681980515, s.rate(35), 1e-10);
        // t = 60: progress 1/2, 0.1 + 0.45·(1 + 0) = 0.55
        assertEquals(0.55, s.rate(60), 1e-15);
        // t = 109: progress 99/100, 0.1 + 0.45·(1 + cos(0.99π)) = 0.1 + 0.45·0.0004934396 = 0.1002220478
        assertEquals(0.1002220478, s.rate(109), 1e-10);
        assertEquals(0.1, s.rate(110), EXACT); // cos(π) = −1 → min
        assertEquals(0.1, s.rate(5000), EXACT); // stays at min past the end
    }

    @Test
    void cosineToZeroWithoutWarmup() {
        LrSchedule s = LrSchedule.cosine(0.2, 0, 4, 0.0);
        assertEquals(0.2, s.rate(0), EXACT);
        // t = 1: 0.1·(1 + cos(π/4)) = 0.1707106781
        assertEquals(0.1707106781, s.rate(1), 1e-10);
        assertEquals(0.1, s.rate(2), EXACT);
        assertEquals(0.0, s.rate(4), EXACT);
    }

    @Test
    void negativeStepIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(0.1).rate(-1));
        assertEquals("step must be >= 0, found -1", e.getMessage());
    }

    @Test
    void validationNamesTheFieldAndValue() {
        assertMessage("baseRate must be a finite number > 0, found 0.0", () -> LrSchedule.constant(0.0));
        assertMessage("baseRate must be a finite number > 0, found -0.1", () -> LrSchedule.constant(-0.1));
        assertMessage("baseRate must be a finite number > 0, found NaN", () -> LrSchedule.constant(Double.NaN));
        assertMessage("baseRate must be a finite number > 0, found Infinity", () -> LrSchedule.constant(Double.POSITIVE_INFINITY));
        assertMessage("warmupSteps must be >= 0, found -3", () -> LrSchedule.constant(0.1, -3));
        assertMessage("decaySteps must be >= 1, found 0", () -> LrSchedule.step(0.1, 0, 0, 0.5));
        assertMessage("gamma must be in (0, 1], found 0.0", () -> LrSchedule.step(0.1, 0, 10, 0.0));
        assertMessage("gamma must be in (0, 1], found 1.5", () -> LrSchedule.step(0.1, 0, 10, 1.5));
        assertMessage("minRate must be a finite number >= 0, found -0.001", () -> LrSchedule.cosine(0.1, 0, 10, -0.001));
        assertMessage("cosine schedule needs totalSteps > warmupSteps, found totalSteps=10, warmupSteps=10",
                () -> LrSchedule.cosine(0.1, 10, 10, 0.0));
        assertMessage("cosine schedule needs minRate <= baseRate, found minRate=0.2, baseRate=0.1",
                () -> LrSchedule.cosine(0.1, 0, 10, 0.2));
        assertMessage("totalSteps must be >= 0, found -1",
                () -> new LrSchedule(ScheduleKind.CONSTANT, 0.1, 0, 1, 1.0, -1, 0.0));
        assertMessage("learning-rate schedule kind is required, found null",
                () -> new LrSchedule(null, 0.1, 0, 1, 1.0, 0, 0.0));
    }

    @Test
    void parseAndDescribe() {
        assertEquals(ScheduleKind.COSINE, ScheduleKind.parse(" Cosine "));
        assertEquals(ScheduleKind.STEP, ScheduleKind.parse("step"));
        assertEquals(ScheduleKind.CONSTANT, ScheduleKind.parse("CONSTANT"));
        assertMessage("unknown learning-rate schedule 'linear', expected one of constant, step, cosine",
                () -> ScheduleKind.parse("linear"));
        assertMessage("unknown learning-rate schedule 'null', expected one of constant, step, cosine",
                () -> ScheduleKind.parse(null));
        assertEquals("cosine(base_rate=0.1, warmup_steps=5, total_steps=100, min_rate=0.0)",
                LrSchedule.cosine(0.1, 5, 100, 0).describe());
        assertEquals("step(base_rate=0.1, decay_steps=10, gamma=0.5)", LrSchedule.step(0.1, 0, 10, 0.5).describe());
        assertEquals("constant(base_rate=0.1)", LrSchedule.constant(0.1).describe());
    }

    static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
