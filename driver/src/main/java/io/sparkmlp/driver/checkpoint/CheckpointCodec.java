package io.sparkmlp.driver.checkpoint;

import io.sparkmlp.driver.eval.EvalMetrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.kernel.io.FramedFile;
import io.sparkmlp.kernel.io.ModelFormatException;
import io.sparkmlp.kernel.optim.OptimizerState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checkpoint file format, version 1: bytes ⇄ {@link Checkpoint}. The container is the model
 * file's ({@link FramedFile}: magic {@value #MAGIC}, version, JSON header, little-endian data,
 * CRC-32 over everything); never Java serialization.
 *
 * <p>Header (compact JSON, keys in this order): {@code step}, {@code total_steps},
 * {@code config_sha256} (SHA-256 of the {@code config} entries as {@code key=value\n} lines in key
 * order), {@code config}, {@code settings}, {@code partition_rows}, {@code sizes},
 * {@code optimizer} ({@code kind}, {@code steps}), {@code loop} (the counters of
 * {@link Checkpoint.Loop}), {@code metrics_rows}, {@code tensors} (each {@code name},
 * {@code dtype} "float32", {@code shape}, {@code byte_offset}, {@code byte_length}). Tensors:
 * {@code weights}, {@code optimizer.0} ... (one per optimizer state array), and {@code best}
 * when present, each of the parameter count. Doubles are JSON numbers (their shortest decimal
 * form, which reads back to the same bits), or the strings {@code NaN}, {@code Infinity},
 * {@code -Infinity}; so encode → decode is bit-exact.
 */
public final class CheckpointCodec {

    /** The first 8 bytes of every checkpoint file. */
    public static final String MAGIC = "SPMLPCKP";
    /** The format version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final String KIND = "sparkmlp checkpoint";
    private static final String DTYPE = "float32";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CheckpointCodec() {
    }

    /** SHA-256 (hex) of {@code config} as {@code key=value\n} lines in key order. */
    public static String fingerprint(Map<String, String> config) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(config).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private record Tensor(String name, float[] values) {
    }

    private static List<Tensor> tensors(Checkpoint c) {
        List<Tensor> list = new ArrayList<>();
        list.add(new Tensor("weights", c.weights()));
        float[][] arrays = c.optimizer().arrays();
        for (int i = 0; i < arrays.length; i++) list.add(new Tensor("optimizer." + i, arrays[i]));
        if (c.loop().best() != null) list.add(new Tensor("best", c.loop().best()));
        return list;
    }

    /** The file bytes of a checkpoint. Same checkpoint ⇒ same bytes. */
    public static byte[] encode(Checkpoint c) {
        ObjectNode h = NODES.objectNode();
        h.put("step", c.step());
        h.put("total_steps", c.totalSteps());
        h.put("config_sha256", fingerprint(c.config()));
        h.set("config", stringMap(c.config()));
        h.set("settings", stringMap(c.settings()));
        ArrayNode rows = h.putArray("partition_rows");
        for (long r : c.partitionRows()) rows.add(r);
        ArrayNode sizes = h.putArray("sizes");
        for (int s : c.sizes()) sizes.add(s);
        ObjectNode opt = h.putObject("optimizer");
        opt.put("kind", c.optimizer().kind());
        opt.put("steps", c.optimizer().steps());

        Checkpoint.Loop l = c.loop();
        ObjectNode loop = h.putObject("loop");
        loop.put("samples", l.samples());
        loop.set("running_loss", number(l.runningLoss()));
        loop.put("running_count", l.runningCount());
        loop.set("last_grad_norm", number(l.lastGradNorm()));
        loop.set("best_validation_loss", number(l.bestValidationLoss()));
        loop.put("best_step", l.bestStep());
        loop.put("evaluations_without_improvement", l.evaluationsWithoutImprovement());
        loop.set("elapsed_seconds", number(l.elapsedSeconds()));
        EvalMetrics v = l.lastValidation();
        if (v == null) {
            loop.putNull("last_validation");
        } else {
            ObjectNode vn = loop.putObject("last_validation");
            vn.set("loss_sum", number(v.lossSum()));
            vn.put("count", v.count());
            vn.put("correct", v.correct());
            vn.set("squared_error_sum", number(v.squaredErrorSum()));
            if (v.confusion() == null) {
                vn.putNull("confusion");
            } else {
                ArrayNode conf = vn.putArray("confusion");
                for (long x : v.confusion()) conf.add(x);
            }
        }
        ArrayNode metricsRows = h.putArray("metrics_rows");
        l.metricsRows().forEach(metricsRows::add);

        List<Tensor> tensors = tensors(c);
        ArrayNode tn = h.putArray("tensors");
        long dataBytes = 0;
        for (Tensor t : tensors) {
            ObjectNode e = tn.addObject();
            e.put("name", t.name());
            e.put("dtype", DTYPE);
            e.putArray("shape").add(t.values().length);
            e.put("byte_offset", dataBytes);
            e.put("byte_length", 4L * t.values().length);
            dataBytes += 4L * t.values().length;
        }
        return FramedFile.encode(MAGIC, FORMAT_VERSION, h, dataBytes, buf -> {
            for (Tensor t : tensors) {
                buf.asFloatBuffer().put(t.values());
                buf.position(buf.position() + 4 * t.values().length);
            }
        }, "checkpoint at step " + c.step());
    }

    /**
     * The checkpoint in {@code bytes}.
     *
     * @param bytes a whole checkpoint file. Not modified.
     * @param source where the bytes came from (a path), for messages
     * @throws CheckpointException ({@link CheckpointException#damaged()}) when the bytes are not a
     *         complete, undamaged version-1 checkpoint; the message names the source and the problem
     */
    public static Checkpoint decode(byte[] bytes, String source) {
        FramedFile.Frame frame;
        try {
            frame = FramedFile.decode(bytes, MAGIC, FORMAT_VERSION, KIND, source);
        } catch (ModelFormatException e) {
            throw CheckpointException.damaged(e.source(), e.problem(), e);
        }
        return new Reader(source, frame).read();
    }

    private static JsonNode number(double v) {
        if (Double.isNaN(v)) return NODES.textNode("NaN");
        if (Double.isInfinite(v)) return NODES.textNode(v > 0 ? "Infinity" : "-Infinity");
        return NODES.numberNode(v);
    }

    private static ObjectNode stringMap(Map<String, String> map) {
        ObjectNode o = NODES.objectNode();
        new TreeMap<>(map).forEach(o::put);
        return o;
    }

    /** Reads the header and data of a decoded container; every problem names the source. */
    private static final class Reader {
        private final String src;
        private final FramedFile.Frame frame;

        Reader(String src, FramedFile.Frame frame) {
            this.src = src;
            this.frame = frame;
        }

        private CheckpointException bad(String problem) {
            return CheckpointException.damaged(src, problem, null);
        }

        Checkpoint read() {
            ObjectNode h = frame.header();
            long step = longValue(h, "step", "header");
            long totalSteps = longValue(h, "total_steps", "header");
            Map<String, String> config = strings(object(h, "config", "header"), "config");
            Map<String, String> settings = strings(object(h, "settings", "header"), "settings");
            String sha = text(h, "config_sha256", "header");
            if (!sha.equals(fingerprint(config))) {
                throw bad("header config_sha256 is " + sha + ", the config entries give " + fingerprint(config));
            }
            ArrayNode rowsNode = array(h, "partition_rows", "header");
            long[] partitionRows = new long[rowsNode.size()];
            for (int i = 0; i < partitionRows.length; i++) partitionRows[i] = longOf(rowsNode.get(i), "header partition_rows[" + i + "]");
            ArrayNode sizesNode = array(h, "sizes", "header");
            int[] sizes = new int[sizesNode.size()];
            for (int i = 0; i < sizes.length; i++) {
                long s = longOf(sizesNode.get(i), "header sizes[" + i + "]");
                if (s < 1 || s > Integer.MAX_VALUE) throw bad("header sizes[" + i + "] is " + s + ", expected a layer size >= 1");
                sizes[i] = (int) s;
            }
            if (sizes.length < 2) throw bad("header sizes has " + sizes.length + " entries, expected at least 2");
            long count = Checkpoint.parameterCount(sizes);

            Map<String, float[]> tensors = tensors(array(h, "tensors", "header"), count);
            ObjectNode opt = object(h, "optimizer", "header");
            String kind = text(opt, "kind", "header optimizer");
            long optSteps = longValue(opt, "steps", "header optimizer");
            List<float[]> arrays = new ArrayList<>();
            while (tensors.containsKey("optimizer." + arrays.size())) arrays.add(tensors.remove("optimizer." + arrays.size()));
            float[] weights = tensors.remove("weights");
            if (weights == null) throw bad("tensor 'weights' missing");
            float[] best = tensors.remove("best");
            if (!tensors.isEmpty()) {
                throw bad("unexpected tensor(s) " + tensors.keySet() + "; expected weights, optimizer.0.." + (arrays.size() - 1)
                        + " and best");
            }

            ObjectNode l = object(h, "loop", "header");
            String where = "header loop";
            EvalMetrics validation = null;
            JsonNode vn = l.get("last_validation");
            if (vn == null) throw bad(where + " lacks key 'last_validation'");
            if (!vn.isNull()) {
                if (!vn.isObject()) throw bad(where + " key 'last_validation' is " + FramedFile.describeNode(vn) + ", expected an object or null");
                String w = where + ".last_validation";
                JsonNode conf = vn.get("confusion");
                long[] confusion = null;
                if (conf == null) throw bad(w + " lacks key 'confusion'");
                if (!conf.isNull()) {
                    if (!conf.isArray()) throw bad(w + " key 'confusion' is " + FramedFile.describeNode(conf) + ", expected an array or null");
                    confusion = new long[conf.size()];
                    for (int i = 0; i < confusion.length; i++) confusion[i] = longOf(conf.get(i), w + ".confusion[" + i + "]");
                }
                validation = new EvalMetrics(doubleValue(vn, "loss_sum", w), longValue(vn, "count", w),
                        longValue(vn, "correct", w), doubleValue(vn, "squared_error_sum", w), confusion);
            }
            ArrayNode rowsArray = array(h, "metrics_rows", "header");
            List<String> metricsRows = new ArrayList<>(rowsArray.size());
            for (int i = 0; i < rowsArray.size(); i++) {
                JsonNode r = rowsArray.get(i);
                if (!r.isTextual()) throw bad("header metrics_rows[" + i + "] is " + FramedFile.describeNode(r) + ", expected a string");
                metricsRows.add(r.textValue());
            }
            long evaluations = longValue(l, "evaluations_without_improvement", where);
            Checkpoint.Loop loop = new Checkpoint.Loop(longValue(l, "samples", where), doubleValue(l, "running_loss", where),
                    longValue(l, "running_count", where), doubleValue(l, "last_grad_norm", where),
                    doubleValue(l, "best_validation_loss", where), longValue(l, "best_step", where),
                    (int) Math.min(Integer.MAX_VALUE, evaluations), best, validation,
                    doubleValue(l, "elapsed_seconds", where), metricsRows);
            try {
                return new Checkpoint(step, totalSteps, config, settings, partitionRows, sizes, weights,
                        new OptimizerState(kind, optSteps, arrays.toArray(new float[0][])), loop);
            } catch (IllegalArgumentException e) {
                throw CheckpointException.damaged(src, "contents invalid: " + e.getMessage(), e);
            }
        }

        private Map<String, float[]> tensors(ArrayNode list, long count) {
            Map<String, float[]> values = new LinkedHashMap<>();
            for (int i = 0; i < list.size(); i++) {
                String where = "header tensors[" + i + "]";
                JsonNode tn = list.get(i);
                if (!tn.isObject()) throw bad(where + " is " + FramedFile.describeNode(tn) + ", expected an object");
                String name = text(tn, "name", where);
                where = "tensor '" + name + "'";
                if (values.containsKey(name)) throw bad(where + " is listed twice");
                String dtype = text(tn, "dtype", where);
                if (!dtype.equals(DTYPE)) throw bad(where + " has dtype '" + dtype + "', expected '" + DTYPE + "'");
                ArrayNode shape = array(tn, "shape", where);
                if (shape.size() != 1 || longOf(shape.get(0), where + " shape[0]") != count) {
                    throw bad(where + " has shape " + shape + ", expected [" + count + "] (the parameter count)");
                }
                long offset = longValue(tn, "byte_offset", where);
                long length = longValue(tn, "byte_length", where);
                if (length != 4L * count) {
                    throw bad(where + " has byte_length " + length + ", expected " + 4L * count);
                }
                if (offset < 0 || offset % 4 != 0 || offset > frame.dataBytes() - length) {
                    throw bad(where + " has byte_offset " + offset + ", expected a multiple of 4 in [0, "
                            + (frame.dataBytes() - length) + "] (data section of " + frame.dataBytes() + " bytes)");
                }
                float[] v = new float[(int) count];
                ByteBuffer buf = frame.buffer();
                buf.position((int) (frame.dataStart() + offset));
                buf.asFloatBuffer().get(v);
                values.put(name, v);
            }
            return values;
        }

        private Map<String, String> strings(ObjectNode node, String where) {
            Map<String, String> out = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getValue().isTextual()) {
                    throw bad("header " + where + "." + e.getKey() + " is " + FramedFile.describeNode(e.getValue())
                            + ", expected a string");
                }
                out.put(e.getKey(), e.getValue().textValue());
            }
            return out;
        }

        private ObjectNode object(JsonNode node, String key, String where) {
            JsonNode v = node.get(key);
            if (v == null || !v.isObject()) throw bad(where + " key '" + key + "' is " + FramedFile.describeNode(v) + ", expected an object");
            return (ObjectNode) v;
        }

        private ArrayNode array(JsonNode node, String key, String where) {
            JsonNode v = node.get(key);
            if (v == null || !v.isArray()) throw bad(where + " key '" + key + "' is " + FramedFile.describeNode(v) + ", expected an array");
            return (ArrayNode) v;
        }

        private String text(JsonNode node, String key, String where) {
            JsonNode v = node.get(key);
            if (v == null || !v.isTextual()) throw bad(where + " key '" + key + "' is " + FramedFile.describeNode(v) + ", expected a string");
            return v.textValue();
        }

        private long longValue(JsonNode node, String key, String where) {
            return longOf(node.get(key), where + " key '" + key + "'");
        }

        private long longOf(JsonNode v, String what) {
            if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw bad(what + " is " + FramedFile.describeNode(v) + ", expected an integer >= 0");
            }
            return v.longValue();
        }

        private double doubleValue(JsonNode node, String key, String where) {
            JsonNode v = node.get(key);
            if (v != null && v.isNumber()) return v.doubleValue();
            if (v != null && v.isTextual()) {
                switch (v.textValue()) {
                    case "NaN": return Double.NaN;
                    case "Infinity": return Double.POSITIVE_INFINITY;
                    case "-Infinity": return Double.NEGATIVE_INFINITY;
                    default: break;
                }
            }
            throw bad(where + " key '" + key + "' is " + FramedFile.describeNode(v)
                    + ", expected a number or \"NaN\", \"Infinity\", \"-Infinity\"");
        }
    }
}
