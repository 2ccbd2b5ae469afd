package io.sparkmlp.driver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpellingTest {

    @Test
    void distanceCountsEditsAndAdjacentTranspositions() {
        assertEquals(0, Spelling.distance("abc", "abc"));
        assertEquals(1, Spelling.distance("abc", "acb"), "one transposition");
        assertEquals(1, Spelling.distance("abc", "abxc"), "one insertion");
        assertEquals(1, Spelling.distance("abc", "ab"), "one deletion");
        assertEquals(1, Spelling.distance("abc", "abd"), "one substitution");
        assertEquals(3, Spelling.distance("", "abc"));
        assertEquals(3, Spelling.distance("kitten", "sitting"));
        assertEquals(3, Spelling.distance("ca", "abc"), "optimal string alignment, not unrestricted Damerau");
    }

    @Test
    void suggestsNothingForFarKeys() {
        assertNull(Spelling.suggest("zzzzzzzz", List.of("data.train", "train.seed")));
        assertEquals("train.seed", Spelling.suggest("train.sed", List.of("data.train", "train.seed")));
    }
}
