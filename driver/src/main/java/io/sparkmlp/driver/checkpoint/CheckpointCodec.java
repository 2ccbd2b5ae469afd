package io.sparkmlp.driver.checkpoint;

import io.sparkmlp.driver.eval.EvalMetrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.io.FramedFile;
import io.sparkmlp.kernel.io.ModelFormatException;
import io.sparkmlp.kernel.io.TensorFile;
import io.sparkmlp.kernel.optim.LbfgsState;
import io.sparkmlp.kernel.optim.OptimizerState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The checkpoint file format, version 1: bytes ⇄ {@link Checkpoint}. The container and the tensor
 * table are the model file's ({@link TensorFile} on {@link FramedFile}: magic {@value #MAGIC},
 * version, JSON header with a tensor table, float32 little-endian data, CRC-32 over everything);
 * never Java serialization. This class keeps the checkpoint's own header keys and tensors.
 *
 * <p>Header (compact JSON, keys in this order): {@code step}, {@code total_steps},
 * {@code config_sha256} (SHA-256 of the {@code config} entries as {@code key=value\n} lines in key
 * order), {@code config}, {@code settings}, {@code partition_rows}, {@code sizes},
 * {@code optimizer} ({@code kind}, {@code steps}), {@code lbfgs} (only in checkpoints of
 * {@code train.optimizer = lbfgs}: the scalars of {@link LbfgsState}: {@code stage}, {@code status},
 * {@code iterations}, {@code evaluations}, {@code search_evaluations}, {@code loss}, {@code search}
 * (its 10 line-search numbers) and {@code pairs}, the number of curvature pairs), {@code loop}
 * (the counters of {@link Checkpoint.Loop}), {@code metrics_rows}, {@code tensors} (each
 * {@code name}, {@code dtype} "float32", {@code shape}, {@code byte_offset}, {@code byte_length}).
 * Tensors: {@code weights}, {@code optimizer.0} ... (one per optimizer state array), {@code best}
 * when present, and with {@code lbfgs} its arrays {@code lbfgs.point}, {@code lbfgs.gradient},
 * {@code lbfgs.s.0}, {@code lbfgs.y.0}, ... (pairs oldest first), each of the parameter count. A
 * checkpoint without the {@code lbfgs} key (every one written before it existed) reads as one of a
 * first-order optimizer. Doubles are JSON numbers (their shortest decimal
 * form, which reads back to the same bits), or the strings {@code NaN}, {@code Infinity},
 * {@code -Infinity}; so encode → decode is bit-exact.
 */
public final class CheckpointCodec {

    /** The first 8 bytes of every checkpoint file. */
    public static final String MAGIC = "SPMLPCKP";
    /** The format version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final String KIND = "sparkmlp checkpoint";
    /** The names of the tensors a checkpoint may hold. */
    private static final Pattern TENSOR_NAME =
            Pattern.compile("weights|best|optimizer\\.(0|[1-9][0-9]*)|lbfgs\\.(point|gradient|[sy]\\.(0|[1-9][0-9]*))");
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

    /** The tensors of a checkpoint, in file order. */
    private static List<TensorFile.Tensor> tensors(Checkpoint c) {
        List<TensorFile.Tensor> list = new ArrayList<>();
        list.add(new TensorFile.Tensor("weights", c.weights()));
        float[][] arrays = c.optimizer().arrays();
        for (int i = 0; i < arrays.length; i++) list.add(new TensorFile.Tensor("optimizer." + i, arrays[i]));
        if (c.loop().best() != null) list.add(new TensorFile.Tensor("best", c.loop().best()));
        LbfgsState l = c.lbfgs();
        if (l != null) {
            list.add(new TensorFile.Tensor("lbfgs.point", l.point()));
            list.add(new TensorFile.Tensor("lbfgs.gradient", l.gradient()));
            for (int i = 0; i < l.steps().length; i++) {
                list.add(new TensorFile.Tensor("lbfgs.s." + i, l.steps()[i]));
                list.add(new TensorFile.Tensor("lbfgs.y." + i, l.gradientChanges()[i]));
            }
        }
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
        if (c.lbfgs() != null) {
            LbfgsState s = c.lbfgs();
            ObjectNode lb = h.putObject("lbfgs");
            lb.put("stage", s.stage());
            lb.put("status", s.status());
            lb.put("iterations", s.iterations());
            lb.put("evaluations", s.evaluations());
            lb.put("search_evaluations", s.searchEvaluations());
            lb.set("loss", number(s.loss()));
            ArrayNode search = lb.putArray("search");
            for (double x : s.search()) search.add(number(x));
            lb.put("pairs", s.steps().length);
        }

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

        return TensorFile.encode(MAGIC, FORMAT_VERSION, h, tensors(c), "checkpoint at step " + c.step());
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
        try {
            return read(TensorFile.decode(bytes, MAGIC, FORMAT_VERSION, KIND, source));
        } catch (ModelFormatException e) {
            throw CheckpointException.damaged(e.source(), e.problem(), e);
        }
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

    /** The checkpoint in a decoded container; every problem names the source. */
    private static Checkpoint read(TensorFile.Reader r) {
        ObjectNode h = r.header();
        long step = count(r, h, "step", "header");
        long totalSteps = count(r, h, "total_steps", "header");
        Map<String, String> config = strings(r, r.object(h, "config", "header"), "config");
        Map<String, String> settings = strings(r, r.object(h, "settings", "header"), "settings");
        String sha = r.text(h, "config_sha256", "header");
        if (!sha.equals(fingerprint(config))) {
            throw r.bad("header config_sha256 is " + sha + ", the config entries give " + fingerprint(config));
        }
        ArrayNode rowsNode = r.array(h, "partition_rows", "header");
        long[] partitionRows = new long[rowsNode.size()];
        for (int i = 0; i < partitionRows.length; i++) partitionRows[i] = count(r, rowsNode.get(i), "header partition_rows[" + i + "]");
        ArrayNode sizesNode = r.array(h, "sizes", "header");
        int[] sizes = new int[sizesNode.size()];
        for (int i = 0; i < sizes.length; i++) {
            long s = count(r, sizesNode.get(i), "header sizes[" + i + "]");
            if (s < 1 || s > Integer.MAX_VALUE) throw r.bad("header sizes[" + i + "] is " + s + ", expected a layer size >= 1");
            sizes[i] = (int) s;
        }
        if (sizes.length < 2) throw r.bad("header sizes has " + sizes.length + " entries, expected at least 2");
        long count = Architecture.parameterCount(sizes);
        if (count > FramedFile.MAX_BYTES / 4) {
            throw r.bad("header sizes " + Arrays.toString(sizes) + " give " + count + " parameters, expected at most "
                    + FramedFile.MAX_BYTES / 4 + " (what a file holds)");
        }

        int[] shape = {(int) count};
        Map<String, float[]> tensors = r.tensors(name -> TENSOR_NAME.matcher(name).matches() ? shape : null,
                "expected weights, optimizer.0, optimizer.1, ... (the optimizer's state arrays), best and lbfgs.point,"
                        + " lbfgs.gradient, lbfgs.s.0, lbfgs.y.0, ... (the L-BFGS state)", "(the parameter count)");
        ObjectNode opt = r.object(h, "optimizer", "header");
        String kind = r.text(opt, "kind", "header optimizer");
        long optSteps = count(r, opt, "steps", "header optimizer");
        List<float[]> arrays = new ArrayList<>();
        while (tensors.containsKey("optimizer." + arrays.size())) arrays.add(tensors.remove("optimizer." + arrays.size()));
        float[] weights = tensors.remove("weights");
        if (weights == null) throw r.bad("tensor 'weights' missing");
        float[] best = tensors.remove("best");
        LbfgsState lbfgs = h.has("lbfgs") ? lbfgs(r, r.object(h, "lbfgs", "header"), tensors) : null;
        if (!tensors.isEmpty()) {
            throw r.bad("unexpected tensor(s) " + tensors.keySet() + "; expected weights, optimizer.0.." + (arrays.size() - 1)
                    + (lbfgs == null ? " and best" : ", best and the lbfgs header's " + (2 + 2 * lbfgs.steps().length)
                    + " lbfgs.* tensors"));
        }

        ObjectNode l = r.object(h, "loop", "header");
        String where = "header loop";
        EvalMetrics validation = null;
        JsonNode vn = l.get("last_validation");
        if (vn == null) throw r.bad(where + " lacks key 'last_validation'");
        if (!vn.isNull()) {
            if (!vn.isObject()) throw r.bad(where + " key 'last_validation' is " + FramedFile.describeNode(vn) + ", expected an object or null");
            String w = where + ".last_validation";
            JsonNode conf = vn.get("confusion");
            long[] confusion = null;
            if (conf == null) throw r.bad(w + " lacks key 'confusion'");
            if (!conf.isNull()) {
                if (!conf.isArray()) throw r.bad(w + " key 'confusion' is " + FramedFile.describeNode(conf) + ", expected an array or null");
                confusion = new long[conf.size()];
                for (int i = 0; i < confusion.length; i++) confusion[i] = count(r, conf.get(i), w + ".confusion[" + i + "]");
            }
            validation = new EvalMetrics(doubleValue(r, vn, "loss_sum", w), count(r, vn, "count", w),
                    count(r, vn, "correct", w), doubleValue(r, vn, "squared_error_sum", w), confusion);
        }
        ArrayNode rowsArray = r.array(h, "metrics_rows", "header");
        List<String> metricsRows = new ArrayList<>(rowsArray.size());
        for (int i = 0; i < rowsArray.size(); i++) {
            JsonNode row = rowsArray.get(i);
            if (!row.isTextual()) throw r.bad("header metrics_rows[" + i + "] is " + FramedFile.describeNode(row) + ", expected a string");
            metricsRows.add(row.textValue());
        }
        long evaluations = count(r, l, "evaluations_without_improvement", where);
        Checkpoint.Loop loop = new Checkpoint.Loop(count(r, l, "samples", where), doubleValue(r, l, "running_loss", where),
                count(r, l, "running_count", where), doubleValue(r, l, "last_grad_norm", where),
                doubleValue(r, l, "best_validation_loss", where), count(r, l, "best_step", where),
                (int) Math.min(Integer.MAX_VALUE, evaluations), best, validation,
                doubleValue(r, l, "elapsed_seconds", where), metricsRows);
        try {
            return new Checkpoint(step, totalSteps, config, settings, partitionRows, sizes, weights,
                    new OptimizerState(kind, optSteps, arrays.toArray(new float[0][])), lbfgs, loop);
        } catch (IllegalArgumentException e) {
            throw r.bad("contents invalid: " + e.getMessage(), e);
        }
    }

    /** The L-BFGS state of header object {@code lb}, its arrays taken out of {@code tensors}. */
    private static LbfgsState lbfgs(TensorFile.Reader r, ObjectNode lb, Map<String, float[]> tensors) {
        String where = "header lbfgs";
        ArrayNode searchNode = r.array(lb, "search", where);
        double[] search = new double[searchNode.size()];
        for (int i = 0; i < search.length; i++) search[i] = doubleValue(r, searchNode, i, where + ".search");
        long pairs = count(r, lb, "pairs", where);
        if (pairs > Integer.MAX_VALUE) throw r.bad(where + " key 'pairs' is " + pairs + ", expected a history size");
        float[][] steps = new float[(int) pairs][], changes = new float[(int) pairs][];
        for (int i = 0; i < pairs; i++) {
            steps[i] = lbfgsTensor(r, tensors, "lbfgs.s." + i);
            changes[i] = lbfgsTensor(r, tensors, "lbfgs.y." + i);
        }
        long searchEvaluations = count(r, lb, "search_evaluations", where);
        try {
            return new LbfgsState(r.text(lb, "stage", where), r.text(lb, "status", where),
                    count(r, lb, "iterations", where), count(r, lb, "evaluations", where),
                    (int) Math.min(Integer.MAX_VALUE, searchEvaluations), doubleValue(r, lb, "loss", where), search,
                    lbfgsTensor(r, tensors, "lbfgs.point"), lbfgsTensor(r, tensors, "lbfgs.gradient"), steps, changes);
        } catch (IllegalArgumentException e) {
            throw r.bad("contents invalid: " + e.getMessage(), e);
        }
    }

    private static float[] lbfgsTensor(TensorFile.Reader r, Map<String, float[]> tensors, String name) {
        float[] t = tensors.remove(name);
        if (t == null) throw r.bad("tensor '" + name + "' missing (the header has an lbfgs state)");
        return t;
    }

    /** A string-valued object of the header, sorted by key. */
    private static Map<String, String> strings(TensorFile.Reader r, ObjectNode node, String where) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw r.bad("header " + where + "." + e.getKey() + " is " + FramedFile.describeNode(e.getValue())
                        + ", expected a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    /** The integer {@code >= 0} under {@code key} of {@code node}, which lies at {@code where}. */
    private static long count(TensorFile.Reader r, JsonNode node, String key, String where) {
        return count(r, node.get(key), where + " key '" + key + "'");
    }

    /** {@code v} as an integer {@code >= 0}; {@code what} names it in the message. */
    private static long count(TensorFile.Reader r, JsonNode v, String what) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw r.bad(what + " is " + FramedFile.describeNode(v) + ", expected an integer >= 0");
        }
        return v.longValue();
    }

    /** The double under {@code key}: a JSON number, or one of the strings {@code NaN}, {@code Infinity}, {@code -Infinity}. */
    private static double doubleValue(TensorFile.Reader r, JsonNode node, String key, String where) {
        return doubleValue(r, node.get(key), where + " key '" + key + "'");
    }

    /** Entry {@code i} of the array {@code node}, a double as {@link #doubleValue(TensorFile.Reader, JsonNode, String, String)} reads it. */
    private static double doubleValue(TensorFile.Reader r, ArrayNode node, int i, String where) {
        return doubleValue(r, node.get(i), where + "[" + i + "]");
    }

    private static double doubleValue(TensorFile.Reader r, JsonNode v, String what) {
        if (v != null && v.isNumber()) return v.doubleValue();
        if (v != null && v.isTextual()) {
            switch (v.textValue()) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default: break;
            }
        }
        throw r.bad(what + " is " + FramedFile.describeNode(v)
                + ", expected a number or \"NaN\", \"Infinity\", \"-Infinity\"");
    }
}
