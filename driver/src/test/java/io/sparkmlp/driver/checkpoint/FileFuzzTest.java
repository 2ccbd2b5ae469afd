package io.sparkmlp.driver.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.io.ModelCodec;
import io.sparkmlp.kernel.io.ModelFormatException;
import io.sparkmlp.kernel.optim.OptimizerState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Damaged model and checkpoint files, mutated from valid ones with deterministic seeds: bit flips, byte
 * insertions and deletions, truncations, edits of the header JSON (numbers, strings, keys, brackets) and of the
 * tensor table, and replaced float values; most mutations recompute the CRC-32 so that they reach the header and
 * tensor checks behind it. Each file either decodes into something that re-encodes to an equal value, or is
 * refused with the format's one-line error ({@link ModelFormatException}, {@link CheckpointException}); any other
 * exception, or a message of more than one line, fails the test with the seed that made the file.
 */
class FileFuzzTest {

    static final int FILES = 600;

    /** Values a crafted header may hold where a number or string is expected. */
    private static final String[] NUMBERS = {"0", "-1", "1", "3", "4", "2147483647", "2147483648", "-2147483648",
        "4294967295", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1e309", "-0", "0.5",
        "1E2", "null", "true", "\"7\"", "[]", "{}", "[[[[1]]]]", "46341", "1000000000"};
    private static final String[] STRINGS = {"\"\"", "\"float64\"", "\"layer0.weight\"", "\"layer9.bias\"",
        "\"weights\"", "\"optimizer.0\"", "\"best\"", "\"relu\"", "\"softmax_cross_entropy\"", "\"x\\u0000\\n\\u2028y\"",
        "\"NaN\"", "\"Infinity\"", "\"ADAM\"", "\"\\ud800\"", "1", "null", "{}", "[\"a\",\"a\"]"};
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    // ------------------------------------------------------------------------------ valid files

    static Model model() {
        Architecture arch = Architecture.of(Activation.TANH, OutputLoss.SOFTMAX_CROSS_ENTROPY, 4, 5, 3);
        float[] w = new float[arch.parameterCount()];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        return Model.of(Parameters.wrap(arch, w))
                .withClassLabels(List.of("setosa", "versi,color", "virgínica 🌸"))
                .withFeatureStandardization(new float[] {5.8f, -0f, 1e-30f, 3f}, new float[] {0.8f, Float.MIN_VALUE, 2f, 1f})
                .withFeatureNames(List.of("a", "b,c", "\"d\"", ""))
                .withInfo(Map.of("seed", 42, "metrics", Map.of("test_accuracy", 0.97), "hidden", List.of(5)));
    }

    static Checkpoint checkpoint() {
        int[] sizes = {3, 4, 2};
        int n = (int) Architecture.parameterCount(sizes);
        float[] w = new float[n];
        float[] m = new float[n];
        float[] v = new float[n];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            w[i] = (float) r.nextGaussian();
            m[i] = (float) r.nextGaussian() * 1e-3f;
            v[i] = (float) Math.abs(r.nextGaussian()) * 1e-6f;
        }
        EvalMetrics val = new EvalMetrics(12.5, 40, 31, 0.3, new long[] {10, 2, 3, 25});
        Checkpoint.Loop loop = new Checkpoint.Loop(640, 1.0 / 3.0, 128, 0.25, 0.5, 10, 3, w.clone(), val, 0.0125,
                List.of("10,0.5,0.69,,,0.001", "\"quoted\",ünï 🌸"));
        return new Checkpoint(10, 400, Map.of("train.learningRate", "0.01", "model.hidden", "4"),
                Map.of("data.format", "csv", "data.train", "a path, with comma"), new long[] {501, 499}, sizes, w,
                new OptimizerState("ADAM", 10, new float[][] {m, v}), null, loop);
    }

    // ------------------------------------------------------------------------------ the fuzzers

    @Test
    @Timeout(60)
    void mutatedModelFilesLoadOrAreRefusedInOneLine() {
        byte[] valid = ModelCodec.encode(model());
        int refused = fuzz(seed -> {
            byte[] bytes = mutate(valid, seed);
            try {
                Model m = ModelCodec.decode(bytes, "fuzz/model-" + seed);
                assertEquals(m, ModelCodec.decode(ModelCodec.encode(m), "re-encoded"), "seed " + seed + " round trip");
                return null;
            } catch (ModelFormatException e) {
                return e.getMessage();
            }
        });
        assertTrue(refused > FILES / 2, "most mutations are refused, found " + refused + " of " + FILES);
    }

    @Test
    @Timeout(60)
    void mutatedCheckpointFilesLoadOrAreRefusedInOneLine() {
        byte[] valid = CheckpointCodec.encode(checkpoint());
        int refused = fuzz(seed -> {
            byte[] bytes = mutate(valid, seed);
            try {
                Checkpoint c = CheckpointCodec.decode(bytes, "fuzz/step-" + seed + ".ckpt");
                byte[] again = CheckpointCodec.encode(c);
                assertArrayEquals(again, CheckpointCodec.encode(CheckpointCodec.decode(again, "re-encoded")),
                        "seed " + seed + " round trip");
                return null;
            } catch (CheckpointException e) {
                return e.getMessage();
            }
        });
        assertTrue(refused > FILES / 2, "most mutations are refused, found " + refused + " of " + FILES);
    }

    /**
     * Runs {@code decode} on {@link #FILES} seeds: null when the file decoded, else the message of the expected
     * exception; anything else thrown fails with the seed.
     *
     * @return how many files were refused
     */
    private static int fuzz(Function<Long, String> decode) {
        int refused = 0;
        for (long seed = 1; seed <= FILES; seed++) {
            String message;
            try {
                message = decode.apply(seed);
            } catch (AssertionError e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError("seed " + seed + " (" + KINDS[(int) (seed % KINDS.length)] + "): unexpected " + t, t);
            }
            if (message != null) {
                refused++;
                assertTrue(message.chars().noneMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029'),
                        "seed " + seed + ": one line without control characters, found " + message);
                assertTrue(message.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF), "seed " + seed + ": no unpaired surrogate");
            }
        }
        return refused;
    }

    // ------------------------------------------------------------------------------ mutations

    private static final String[] KINDS = {"bit flips", "bit flips, CRC fixed", "byte inserted, CRC fixed",
        "bytes deleted, CRC fixed", "truncated", "header number replaced", "header string replaced",
        "header bytes edited", "header key dropped or doubled", "data floats replaced", "header length changed"};

    /** The mutation of {@code valid} that {@code seed} chooses (the kind is {@code seed mod KINDS}). */
    static byte[] mutate(byte[] valid, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L);
        byte[] b = valid.clone();
        int headerLength = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        String header = new String(valid, 16, headerLength, StandardCharsets.UTF_8);
        byte[] data = java.util.Arrays.copyOfRange(valid, 24 + headerLength, valid.length - 4);
        switch ((int) (seed % KINDS.length)) {
            case 0 -> {
                for (int k = 1 + r.nextInt(3); k > 0; k--) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                return b;
            }
            case 1 -> {
                for (int k = 1 + r.nextInt(3); k > 0; k--) b[r.nextInt(b.length - 4)] ^= (byte) (1 << r.nextInt(8));
                return withCrc(b);
            }
            case 2 -> {
                // anywhere (the lengths then disagree), or in the data section with its length adjusted
                boolean inData = r.nextBoolean();
                byte[] in = inData ? data : b;
                int at = r.nextInt(in.length - (inData ? 0 : 4));
                byte[] out = new byte[in.length + 1];
                System.arraycopy(in, 0, out, 0, at);
                out[at] = (byte) r.nextInt(256);
                System.arraycopy(in, at, out, at + 1, in.length - at);
                return inData ? frame(b, header, out) : withCrc(out);
            }
            case 3 -> {
                boolean inData = r.nextBoolean();
                byte[] in = inData ? data : b;
                int n = 1 + r.nextInt(8);
                int at = r.nextInt(in.length - (inData ? 0 : 4) - n);
                byte[] out = new byte[in.length - n];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(in, at + n, out, at, in.length - at - n);
                return inData ? frame(b, header, out) : withCrc(out);
            }
            case 4 -> {
                return java.util.Arrays.copyOf(b, r.nextInt(b.length));
            }
            case 5 -> {
                return frame(b, replaceRandom(header, NUMBER, NUMBERS, r), data);
            }
            case 6 -> {
                return frame(b, replaceRandom(header, STRING, STRINGS, r), data);
            }
            case 7 -> {
                StringBuilder h = new StringBuilder(header.strip());
                String chars = "{}[]:,\"\\ 0-e.9";
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    int at = r.nextInt(h.length());
                    switch (r.nextInt(3)) {
                        case 0 -> h.deleteCharAt(at);
                        case 1 -> h.insert(at, chars.charAt(r.nextInt(chars.length())));
                        default -> h.setCharAt(at, chars.charAt(r.nextInt(chars.length())));
                    }
                }
                return frame(b, h.toString(), data);
            }
            case 8 -> {
                Matcher m = Pattern.compile("\"[a-z_0-9.]+\":").matcher(header);
                List<int[]> keys = new ArrayList<>();
                while (m.find()) keys.add(new int[] {m.start(), m.end()});
                int[] k = keys.get(r.nextInt(keys.size()));
                String key = header.substring(k[0], k[1]);
                String edited = r.nextBoolean()
                        ? header.substring(0, k[0]) + "\"unknown_key\":" + header.substring(k[1])
                        : header.substring(0, k[0]) + key + "1," + header.substring(k[0]);
                return frame(b, edited, data);
            }
            case 9 -> {
                ByteBuffer d = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
                float[] odd = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, -1f,
                    Float.MAX_VALUE, Float.MIN_VALUE};
                for (int k = 1 + r.nextInt(2); k > 0 && data.length >= 4; k--) {
                    d.putFloat(4 * r.nextInt(data.length / 4), odd[r.nextInt(odd.length)]);
                }
                return frame(b, header, data);
            }
            default -> {
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                int[] lengths = {0, 1, headerLength - 8, headerLength + 8, -1, Integer.MAX_VALUE, b.length};
                bb.putInt(12, lengths[r.nextInt(lengths.length)]);
                if (r.nextBoolean()) bb.putLong(16 + headerLength, r.nextBoolean() ? -1L : r.nextLong(1L << 40));
                return withCrc(b);
            }
        }
    }

    /** {@code text} with one random match of {@code p} replaced by one of {@code values}. */
    private static String replaceRandom(String text, Pattern p, String[] values, SplittableRandom r) {
        Matcher m = p.matcher(text);
        List<int[]> at = new ArrayList<>();
        while (m.find()) at.add(new int[] {m.start(), m.end()});
        int[] pick = at.get(r.nextInt(at.size()));
        return text.substring(0, pick[0]) + values[r.nextInt(values.length)] + text.substring(pick[1]);
    }

    /** A container with the magic and version of {@code original}, this header (padded) and data, and its CRC. */
    private static byte[] frame(byte[] original, String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        int h = json.length + Math.floorMod(-(16 + json.length), 8);
        ByteBuffer b = ByteBuffer.allocate(28 + h + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(original, 0, 12).putInt(h).put(json);
        while (b.position() < 16 + h) b.put((byte) ' ');
        b.putLong(data.length).put(data);
        return withCrc(b.array());
    }

    private static byte[] withCrc(byte[] file) {
        CRC32 crc = new CRC32();
        crc.update(file, 0, file.length - 4);
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(file.length - 4, (int) crc.getValue());
        return file;
    }

    @Test
    void theStartingFilesAreValidAndTheMutationsReproducible() {
        byte[] valid = ModelCodec.encode(model());
        assertEquals(model(), ModelCodec.decode(valid, "valid"));
        assertEquals(10, CheckpointCodec.decode(CheckpointCodec.encode(checkpoint()), "valid").step());
        for (long seed = 1; seed <= 50; seed++) assertArrayEquals(mutate(valid, seed), mutate(valid, seed));
    }
}
