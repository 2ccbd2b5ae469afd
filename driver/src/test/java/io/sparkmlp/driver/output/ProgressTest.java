package io.sparkmlp.driver.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void barFillsWithTheStepsAndFitsTheWidth() {
        String half = Progress.barLine("step 50/100", 50, 100, 60);
        assertEquals(59, half.length(), half);
        assertTrue(half.startsWith("["), half);
        int open = half.indexOf('['), close = half.indexOf(']');
        String bar = half.substring(open + 1, close);
        long hashes = bar.chars().filter(c -> c == '#').count();
        assertEquals(bar.length() / 2.0, hashes, 0.5, bar);
        assertTrue(half.contains(" 50% step 50/100"), half);
        String full = Progress.barLine("x".repeat(200), 100, 100, 80);
        assertEquals(79, full.length(), "cut to the width");
        assertTrue(full.contains("100%"), full);
    }

    @Test
    void barRedrawsInPlaceAndFinishEndsTheLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Progress p = new Progress(out, 10, 0, true, 100);
        p.validation("accuracy 0.9000");
        p.step(5, 0.5, 0.25, 500, false);
        p.step(10, 1.0, 0.125, 1000, true);
        p.finish();
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, s.chars().filter(c -> c == '\r').count(), s);
        assertEquals(1, s.chars().filter(c -> c == '\n').count(), "one line, redrawn: " + s);
        assertTrue(s.endsWith(System.lineSeparator()), s);
        assertTrue(s.contains("step 10/10  epoch 1.00  loss 0.1250  val accuracy 0.9000"), s);
    }

    @Test
    void logModePrintsPlainLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Progress p = Progress.forStream(out, 4);
        p.step(4, 2.0, 0.5, 40, true);
        p.finish();
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(s.contains("\r"), s);
        assertTrue(s.startsWith("step 4/4  epoch 2.00  loss 0.5000  val -  "), s);
        assertTrue(s.trim().endsWith("ETA 0s"), s);
    }
}
