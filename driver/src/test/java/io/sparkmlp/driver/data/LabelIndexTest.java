package io.sparkmlp.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LabelIndexTest {

    @Test
    void numericLabelsInNumericOrder() {
        LabelIndex idx = LabelIndex.of(Set.of("10", "9", "-1", "2.5"), "f");
        assertEquals(List.of("-1", "2.5", "9", "10"), idx.labels());
        assertTrue(idx.numeric());
        assertEquals(3, idx.indexOf("10"));
        assertEquals(3, idx.indexOf("10.0"));
        assertEquals(3, idx.indexOf("1e1"));
        assertEquals(-1, idx.indexOf("11"));
        assertEquals(-1, idx.indexOf("ten"));
    }

    @Test
    void equalValuesAreOneClassNamedByTheirSmallestSpelling() {
        LabelIndex idx = LabelIndex.of(Set.of("+1", "1.0", "1", "-1", "0"), "f");
        assertEquals(List.of("-1", "0", "+1"), idx.labels());   // "+1" < "1" < "1.0" as strings
        assertEquals(2, idx.indexOf("1"));
        assertEquals(2, idx.indexOf("1.0"));
        assertEquals(1, idx.indexOf("-0"));
    }

    @Test
    void stringLabelsInStringOrder() {
        LabelIndex idx = LabelIndex.of(Set.of("dog", "cat", "Bird", "10"), "f");
        assertEquals(List.of("10", "Bird", "cat", "dog"), idx.labels());
        assertFalse(idx.numeric());
        assertEquals(2, idx.indexOf("cat"));
        assertEquals(-1, idx.indexOf("10.0"));       // string index: exact match only
    }

    @Test
    void oneClassIsAnError() {
        DataException e = assertThrows(DataException.class, () -> LabelIndex.of(Set.of("yes"), "data/a.csv"));
        assertEquals("data/a.csv: found 1 class ['yes'], expected at least 2 classes for classification"
                + " (real-valued targets need a regression loss)", e.getMessage());
    }

    @Test
    void orderedKeepsOrderAndDescribeTruncates() {
        LabelIndex idx = LabelIndex.ofOrdered(List.of("b", "a", "c"));
        assertEquals(0, idx.indexOf("b"));
        assertEquals("['b', 'a', ... (3 in all)]", idx.describe(2));
        assertThrows(IllegalArgumentException.class, () -> LabelIndex.ofOrdered(List.of("a", "a")));
    }
}
