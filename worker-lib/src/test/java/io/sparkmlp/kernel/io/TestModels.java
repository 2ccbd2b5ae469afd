package io.sparkmlp.kernel.io;

import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;

/** Models and byte surgery shared by the model-file tests. */
final class TestModels {

    private TestModels() {
    }

    /** Float values at the edges of float32: signed zeros, subnormals, extremes, infinities, NaN. */
    static final float[] EXTREMES = {
        0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
        Float.MIN_NORMAL / 2, Float.intBitsToFloat(0x007fffff), Float.MAX_VALUE, -Float.MAX_VALUE,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1f, -1f, Math.nextUp(1f), 1e-30f,
        -123456.789f, (float) Math.PI,
    };

    /** {@link #EXTREMES} without the non-finite values (a model file holds finite values only). */
    static float[] finiteExtremes() {
        float[] v = new float[EXTREMES.length];
        int n = 0;
        for (float f : EXTREMES) if (Float.isFinite(f)) v[n++] = f;
        return Arrays.copyOf(v, n);
    }

    /** Parameters of {@code arch}: the given edge values first, then reproducible random values. */
    static Parameters parameters(Architecture arch, float[] edges, long seed) {
        float[] flat = new float[arch.parameterCount()];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < flat.length; i++) {
            flat[i] = i < edges.length ? edges[i] : (float) (rnd.nextGaussian() * 0.5);
        }
        return Parameters.wrap(arch, flat);
    }

    static Map<String, Object> info() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("learning_rate", 0.05);
        config.put("batch_size", 256);
        config.put("hidden", List.of(8, 4));
        config.put("optimizer", "adam");
        config.put("momentum", null);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("version", "0.1.0-SNAPSHOT");
        info.put("seed", 42L);
        info.put("data", "data/iris, with commas.csv");
        info.put("steps", 1200);
        info.put("config", config);
        info.put("metrics", Map.of("test_accuracy", 0.9666666666666667, "test_loss", 0.0812f, "converged", true));
        info.put("unicode", "naïve — 日本語 🌸 \"quoted\" \\ \n tab\t");
        return info;
    }

    /** A 3-class classifier with every optional part: labels with unicode and commas, standardisation, names, info. */
    static Model classifier() {
        Architecture arch = Architecture.of(Activation.TANH, OutputLoss.SOFTMAX_CROSS_ENTROPY, 4, 5, 3);
        return Model.of(parameters(arch, finiteExtremes(), 11))
                .withClassLabels(List.of("Iris-setosa", "versi,color", "virgínica 🌸"))
                .withFeatureStandardization(new float[] {5.84f, -0f, Float.MIN_VALUE, 1e-30f},
                        new float[] {0.83f, Float.MIN_VALUE, Float.MAX_VALUE, 1f})
                .withFeatureNames(List.of("sepal length", "sepal,width", "pétale \"long\"", ""))
                .withInfo(info());
    }

    /** A regressor with target scaling and no other optional part. */
    static Model regressor() {
        Architecture arch = Architecture.of(Activation.RELU, OutputLoss.IDENTITY_MSE, 2, 3, 1);
        return Model.of(parameters(arch, new float[0], 5)).withTargetScaling(new Model.TargetScaling(-0f, 2.5f));
    }

    /** Header length H, data length D and data start of a well-formed file. */
    record Layout(int headerLength, long dataLength, int dataStart, int crcAt) {
        static Layout of(byte[] file) {
            ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
            int h = b.getInt(12);
            long d = b.getLong(16 + h);
            return new Layout(h, d, 24 + h, (int) (24 + h + d));
        }
    }

    static String header(byte[] file) {
        return new String(file, 16, Layout.of(file).headerLength(), StandardCharsets.UTF_8);
    }

    /** The file with its header text replaced by {@code edit(header)} and a correct checksum. */
    static byte[] withHeader(byte[] file, UnaryOperator<String> edit) {
        Layout at = Layout.of(file);
        byte[] json = edit.apply(header(file)).getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(28 + json.length + (int) at.dataLength()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(file, 0, 12).putInt(json.length).put(json).putLong(at.dataLength());
        b.put(file, at.dataStart(), (int) at.dataLength());
        return withChecksum(b.array());
    }

    /** The file with a float32 of the data section replaced and a correct checksum. */
    static byte[] withDataFloat(byte[] file, int dataByteOffset, float value) {
        byte[] copy = file.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putFloat(Layout.of(file).dataStart() + dataByteOffset, value);
        return withChecksum(copy);
    }

    /** Recomputes the trailing CRC-32 over everything before it. Modified: file. */
    static byte[] withChecksum(byte[] file) {
        CRC32 crc = new CRC32();
        crc.update(file, 0, file.length - 4);
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(file.length - 4, (int) crc.getValue());
        return file;
    }

    static int[] rawBits(float[] v) {
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) bits[i] = Float.floatToRawIntBits(v[i]);
        return bits;
    }
}
