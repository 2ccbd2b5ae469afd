package io.sparkmlp.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class NumbersTest {

    private static float parse(String s) throws Numbers.Malformed {
        byte[] b = ("xx" + s + "yy").getBytes(StandardCharsets.ISO_8859_1);
        return Numbers.parseFloat(b, 2, b.length - 2);
    }

    @Test
    void agreesBitForBitWithTheJdkOnRandomDecimals() throws Exception {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            if (r.nextInt(4) == 0) {
                sb.append(r.nextBoolean() ? '-' : '+');
            }
            int intDigits = r.nextInt(0, 12);
            int fracDigits = r.nextInt(0, 14);
            for (int k = 0; k < intDigits; k++) {
                sb.append((char) ('0' + r.nextInt(10)));
            }
            if (fracDigits > 0 || intDigits == 0) {
                sb.append('.');
                for (int k = 0; k < Math.max(1, fracDigits); k++) {
                    sb.append((char) ('0' + r.nextInt(10)));
                }
            }
            if (r.nextInt(3) == 0) {
                sb.append(r.nextBoolean() ? 'e' : 'E').append(r.nextBoolean() ? "-" : "").append(r.nextInt(0, 45));
            }
            String s = sb.toString();
            assertEquals(Float.floatToRawIntBits(Float.parseFloat(s)), Float.floatToRawIntBits(parse(s)), s);
        }
    }

    @Test
    void agreesOnShortestReprsOfRandomFloats() throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (!Float.isFinite(f)) {
                continue;
            }
            for (String s : new String[] {Float.toString(f), Double.toString(f), String.format("%.9g", f)}) {
                assertEquals(Float.floatToRawIntBits(Float.parseFloat(s)), Float.floatToRawIntBits(parse(s)), s);
            }
        }
    }

    @Test
    void halfwayCasesAreCorrectlyRounded() throws Exception {
        // 1 + 2^-24 is exactly halfway between the floats 1 and 1 + 2^-23: ties to even → 1
        assertEquals(1.0f, parse("1.000000059604644775390625"));
        assertEquals(Math.nextUp(1.0f), parse("1.000000059604644775390626"));
        // 16777217 = 2^24 + 1: halfway, ties to even → 2^24
        assertEquals(16777216f, parse("16777217"));
        assertEquals(16777220f, parse("16777219"));
    }

    @Test
    void specialWordsAndOverflow() throws Exception {
        assertTrue(Float.isNaN(parse("NaN")));
        assertTrue(Float.isNaN(parse("nan")));
        assertEquals(Float.POSITIVE_INFINITY, parse("inf"));
        assertEquals(Float.NEGATIVE_INFINITY, parse("-Infinity"));
        assertEquals(Float.POSITIVE_INFINITY, parse("1e39"));
        assertEquals(0f, parse("1e-50"));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(parse("-0")));
        assertEquals(12f, parse("12."));
        assertEquals(0.5f, parse(".5"));
        assertEquals(1.5e-7f, parse("00000.00000015"));
    }

    @Test
    void rejectsWhatIsNotAStrictDecimal() {
        for (String s : new String[] {"", "-", "+", ".", "e5", "1e", "1e+", "1f", "1d", "0x1p3", "1.2.3", " 1",
                "1 ", "1,5", "abc", "--1", "1e5.5", "infinit", "nana", "١"}) {
            assertThrows(Numbers.Malformed.class, () -> parse(s), s);
        }
    }

    @Test
    void parseDoubleForLabels() throws Exception {
        assertEquals(0.1, Numbers.parseDouble("0.1"));
        assertEquals(1e300, Numbers.parseDouble("1e300"));
        assertTrue(Double.isNaN(Numbers.parseDouble("NaN")));
        assertEquals(Double.NEGATIVE_INFINITY, Numbers.parseDouble("-inf"));
        assertTrue(Numbers.isNumber("+1"));
        assertTrue(!Numbers.isNumber("x1"));
        assertTrue(!Numbers.isNumber("1f"));
    }
}
