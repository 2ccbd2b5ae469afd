package io.sparkmlp.kernel.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sparkmlp model file format, version 1: bytes ⇄ {@link Model}. The layout (all integers
 * little-endian; specified in {@code docs/MODEL_FORMAT.md}):
 *
 * <pre>
 * offset        size  content
 * 0             8     magic "SPMLPMDL" (ASCII)
 * 8             4     u32 format version = 1
 * 12            4     u32 header length H (16 + H is a multiple of 8)
 * 16            H     header: UTF-8 JSON object, padded with spaces (0x20)
 * 16+H          8     u64 data length D
 * 24+H          D     data: float32 little-endian tensors, at the byte offsets the header lists
 * 24+H+D        4     u32 CRC-32 (zlib/PNG polynomial) of bytes [0, 24+H+D)
 * </pre>
 *
 * <p>Header keys, in this order: {@code architecture} ({@code sizes}, {@code hidden_activation},
 * {@code output_loss}), {@code class_labels}, {@code feature_names}, {@code tensors} (each
 * {@code name}, {@code dtype} = "float32", {@code shape}, {@code byte_offset}, {@code byte_length}),
 * {@code info}. Tensors, in this order: {@code layer{l}.weight} (n_out, n_in) row-major and
 * {@code layer{l}.bias} (n_out) for each layer, then optionally {@code standardize.mean},
 * {@code standardize.std} (n_in) and {@code target.mean}, {@code target.std} (1).
 *
 * <p>The container (magic, version, header, data, checksum) is {@link FramedFile}'s, shared
 * with the training checkpoints.
 *
 * <p>Encoding is deterministic: equal models give equal bytes (info keys are sorted, JSON is
 * compact, floats are copied bit for bit). Decoding checks, in order: magic, version, length,
 * checksum, JSON, then every key and tensor against the architecture; any failure is a
 * {@link ModelFormatException} naming the source.
 */
public final class ModelCodec {

    /** The first 8 bytes of every model file. */
    public static final String MAGIC = "SPMLPMDL";
    /** The format version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /** Largest Java array the codec builds. */
    static final long MAX_BYTES = FramedFile.MAX_BYTES;

    private static final String DTYPE = "float32";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final Set<String> HEADER_KEYS = keys("architecture", "class_labels", "feature_names", "tensors", "info");
    private static final Set<String> ARCH_KEYS = keys("sizes", "hidden_activation", "output_loss");
    private static final Set<String> TENSOR_KEYS = keys("name", "dtype", "shape", "byte_offset", "byte_length");

    private ModelCodec() {
    }

    /** One tensor of the data section: a slice of a float array. */
    private record Tensor(String name, int[] shape, float[] values, int from) {
        int count() {
            int n = 1;
            for (int d : shape) n *= d;
            return n;
        }
    }

    /** The tensors of a model, in file order. */
    private static List<Tensor> tensors(Model model) {
        Architecture arch = model.architecture();
        float[] flat = model.parameters().flat();
        List<Tensor> list = new ArrayList<>();
        for (int l = 0; l < arch.numLayers(); l++) {
            int in = arch.layerInputs(l), out = arch.layerOutputs(l);
            list.add(new Tensor("layer" + l + ".weight", new int[] {out, in}, flat, arch.weightOffset(l)));
            list.add(new Tensor("layer" + l + ".bias", new int[] {out}, flat, arch.biasOffset(l)));
        }
        if (model.hasFeatureStandardization()) {
            list.add(new Tensor("standardize.mean", new int[] {arch.inputSize()}, model.featureMean(), 0));
            list.add(new Tensor("standardize.std", new int[] {arch.inputSize()}, model.featureStd(), 0));
        }
        if (model.targetScaling() != null) {
            list.add(new Tensor("target.mean", new int[] {1}, new float[] {model.targetScaling().mean()}, 0));
            list.add(new Tensor("target.std", new int[] {1}, new float[] {model.targetScaling().std()}, 0));
        }
        return list;
    }

    /**
     * The file bytes of a model. Same model ⇒ same bytes.
     *
     * @throws IllegalArgumentException when the file would exceed {@value #MAX_BYTES} bytes
     */
    public static byte[] encode(Model model) {
        Architecture arch = model.architecture();
        List<Tensor> tensors = tensors(model);

        ObjectNode header = NODES.objectNode();
        ObjectNode archNode = header.putObject("architecture");
        ArrayNode sizes = archNode.putArray("sizes");
        for (int s : arch.sizes()) sizes.add(s);
        archNode.put("hidden_activation", arch.hidden().configName());
        archNode.put("output_loss", arch.output().configName());
        ArrayNode labels = header.putArray("class_labels");
        model.classLabels().forEach(labels::add);
        ArrayNode names = header.putArray("feature_names");
        model.featureNames().forEach(names::add);
        ArrayNode tensorNodes = header.putArray("tensors");
        long dataBytes = 0;
        for (Tensor t : tensors) {
            long length = 4L * t.count();
            ObjectNode tn = tensorNodes.addObject();
            tn.put("name", t.name());
            tn.put("dtype", DTYPE);
            ArrayNode shape = tn.putArray("shape");
            for (int d : t.shape()) shape.add(d);
            tn.put("byte_offset", dataBytes);
            tn.put("byte_length", length);
            dataBytes += length;
        }
        header.set("info", JsonValues.toJson(model.info()));

        return FramedFile.encode(MAGIC, FORMAT_VERSION, header, dataBytes, buf -> {
            for (Tensor t : tensors) {
                buf.asFloatBuffer().put(t.values(), t.from(), t.count());
                buf.position(buf.position() + 4 * t.count());
            }
        }, "model " + arch.shape());
    }

    /**
     * The model in {@code bytes}.
     *
     * @param bytes a whole model file. Not modified.
     * @param sourceName where the bytes came from (a path), used in error messages
     * @throws ModelFormatException when the bytes are not a valid version-1 model; the message is
     *         one line naming the source, the problem, the value found and what was expected
     */
    public static Model decode(byte[] bytes, String sourceName) {
        String src = sourceName == null ? "<bytes>" : sourceName;
        FramedFile.Frame frame = FramedFile.decode(bytes, MAGIC, FORMAT_VERSION, "sparkmlp model file", src);
        return new HeaderReader(src, frame.buffer(), frame.dataStart(), frame.dataBytes()).read(frame.header());
    }

    /** Reads the decoded header and the data section it describes. */
    private static final class HeaderReader {
        private final String src;
        private final ByteBuffer buf;
        private final long dataStart;
        private final long dataBytes;

        HeaderReader(String src, ByteBuffer buf, long dataStart, long dataBytes) {
            this.src = src;
            this.buf = buf;
            this.dataStart = dataStart;
            this.dataBytes = dataBytes;
        }

        private ModelFormatException bad(String problem) {
            return new ModelFormatException(src, problem);
        }

        Model read(ObjectNode header) {
            checkKeys(header, HEADER_KEYS, "header");
            ObjectNode archNode = object(header, "architecture", "header");
            checkKeys(archNode, ARCH_KEYS, "header architecture");
            Architecture arch = architecture(archNode);
            List<String> labels = strings(header, "class_labels");
            List<String> names = strings(header, "feature_names");
            Map<String, float[]> values = tensors(array(header, "tensors", "header"), arch);
            JsonNode infoNode = header.get("info");
            if (infoNode == null || !infoNode.isObject()) {
                throw bad("header key 'info' is " + describeNode(infoNode) + ", expected an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> info = (Map<String, Object>) JsonValues.fromJson(infoNode, "info");

            float[] flat = new float[arch.parameterCount()];
            for (int l = 0; l < arch.numLayers(); l++) {
                float[] w = values.get("layer" + l + ".weight");
                float[] b = values.get("layer" + l + ".bias");
                System.arraycopy(w, 0, flat, arch.weightOffset(l), w.length);
                System.arraycopy(b, 0, flat, arch.biasOffset(l), b.length);
            }
            Model.TargetScaling target = null;
            try {
                if (values.containsKey("target.mean")) {
                    target = new Model.TargetScaling(values.get("target.mean")[0], values.get("target.std")[0]);
                }
                return new Model(Parameters.wrap(arch, flat), labels, values.get("standardize.mean"),
                        values.get("standardize.std"), target, names, info);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(src, "model contents invalid: " + e.getMessage(), e);
            }
        }

        private Architecture architecture(ObjectNode node) {
            ArrayNode sizesNode = array(node, "sizes", "header architecture");
            int[] sizes = new int[sizesNode.size()];
            for (int i = 0; i < sizes.length; i++) {
                JsonNode s = sizesNode.get(i);
                if (!s.isIntegralNumber() || !s.canConvertToInt()) {
                    throw bad("header architecture.sizes[" + i + "] is " + describeNode(s) + ", expected an integer");
                }
                sizes[i] = s.intValue();
            }
            String hidden = text(node, "hidden_activation", "header architecture");
            String output = text(node, "output_loss", "header architecture");
            try {
                return new Architecture(sizes, Activation.parse(hidden), OutputLoss.parse(output));
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(src, "header architecture invalid: " + e.getMessage(), e);
            }
        }

        /** Expected tensor shapes, in file order; optional pairs included. */
        private static Map<String, int[]> expectedShapes(Architecture arch) {
            Map<String, int[]> m = new java.util.LinkedHashMap<>();
            for (int l = 0; l < arch.numLayers(); l++) {
                m.put("layer" + l + ".weight", new int[] {arch.layerOutputs(l), arch.layerInputs(l)});
                m.put("layer" + l + ".bias", new int[] {arch.layerOutputs(l)});
            }
            m.put("standardize.mean", new int[] {arch.inputSize()});
            m.put("standardize.std", new int[] {arch.inputSize()});
            m.put("target.mean", new int[] {1});
            m.put("target.std", new int[] {1});
            return m;
        }

        private Map<String, float[]> tensors(ArrayNode list, Architecture arch) {
            Map<String, int[]> expected = expectedShapes(arch);
            Map<String, float[]> values = new HashMap<>();
            for (int i = 0; i < list.size(); i++) {
                String where = "header tensors[" + i + "]";
                JsonNode tn = list.get(i);
                if (!tn.isObject()) throw bad(where + " is " + describeNode(tn) + ", expected an object");
                checkKeys((ObjectNode) tn, TENSOR_KEYS, where);
                String name = text(tn, "name", where);
                where = "tensor '" + name + "'";
                int[] shape = expected.get(name);
                if (shape == null) {
                    throw bad("unexpected " + where + " (header tensors[" + i + "]); version 1 has layer{l}.weight and"
                            + " layer{l}.bias for l < " + arch.numLayers() + ", standardize.mean/std, target.mean/std");
                }
                if (values.containsKey(name)) throw bad(where + " is listed twice");
                String dtype = text(tn, "dtype", where);
                if (!dtype.equals(DTYPE)) throw bad(where + " has dtype '" + dtype + "', expected '" + DTYPE + "'");
                ArrayNode shapeNode = array(tn, "shape", where);
                int[] found = new int[shapeNode.size()];
                for (int d = 0; d < found.length; d++) {
                    JsonNode s = shapeNode.get(d);
                    found[d] = s.isIntegralNumber() && s.canConvertToInt() ? s.intValue() : -1;
                }
                if (!Arrays.equals(found, shape)) {
                    throw bad(where + " has shape " + shapeNode + ", expected " + JsonValues.toJson(
                            Arrays.stream(shape).mapToObj(d -> (Object) (long) d).toList()) + " for architecture " + arch);
                }
                int count = 1;
                for (int d : shape) count *= d;
                long offset = longValue(tn, "byte_offset", where);
                long length = longValue(tn, "byte_length", where);
                if (length != 4L * count) {
                    throw bad(where + " has byte_length " + length + ", expected " + 4L * count + " (" + count
                            + " float32 values)");
                }
                if (offset < 0 || offset % 4 != 0 || offset > dataBytes - length) {
                    throw bad(where + " has byte_offset " + offset + ", expected a multiple of 4 in [0, "
                            + (dataBytes - length) + "] (data section of " + dataBytes + " bytes)");
                }
                float[] v = new float[count];
                buf.position((int) (dataStart + offset));
                buf.asFloatBuffer().get(v);
                values.put(name, v);
            }
            for (String name : expected.keySet()) {
                if (name.startsWith("layer") && !values.containsKey(name)) {
                    throw bad("tensor '" + name + "' missing; architecture " + arch + " needs it");
                }
            }
            pair(values, "standardize.mean", "standardize.std");
            pair(values, "target.mean", "target.std");
            return values;
        }

        private void pair(Map<String, float[]> values, String a, String b) {
            if (values.containsKey(a) != values.containsKey(b)) {
                String has = values.containsKey(a) ? a : b;
                String lacks = values.containsKey(a) ? b : a;
                throw bad("tensor '" + has + "' present without '" + lacks + "'; expected both or neither");
            }
        }

        private List<String> strings(ObjectNode header, String key) {
            ArrayNode a = array(header, key, "header");
            List<String> out = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).isTextual()) {
                    throw bad("header " + key + "[" + i + "] is " + describeNode(a.get(i)) + ", expected a string");
                }
                out.add(a.get(i).textValue());
            }
            return out;
        }

        private void checkKeys(ObjectNode node, Set<String> allowed, String where) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!allowed.contains(k)) throw bad(where + " has unknown key '" + k + "', expected only " + allowed);
            }
            for (String k : allowed) {
                if (!node.has(k)) throw bad(where + " lacks key '" + k + "'");
            }
        }

        private ObjectNode object(JsonNode node, String key, String where) {
            JsonNode v = node.get(key);
            if (v == null || !v.isObject()) throw bad(where + " key '" + key + "' is " + describeNode(v) + ", expected an object");
            return (ObjectNode) v;
        }

        private ArrayNode array(JsonNode node, String key, String where) {
            JsonNode v = node.get(key);
            if (v == null || !v.isArray()) throw bad(where + " key '" + key + "' is " + describeNode(v) + ", expected an array");
            return (ArrayNode) v;
        }

        private String text(JsonNode node, String key, String where) {
            JsonNode v = node.get(key);
            if (v == null || !v.isTextual()) throw bad(where + " key '" + key + "' is " + describeNode(v) + ", expected a string");
            return v.textValue();
        }

        private long longValue(JsonNode node, String key, String where) {
            JsonNode v = node.get(key);
            if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
                throw bad(where + " key '" + key + "' is " + describeNode(v) + ", expected an integer");
            }
            return v.longValue();
        }
    }

    private static Set<String> keys(String... names) {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
    }

    private static String describeNode(JsonNode v) {
        return FramedFile.describeNode(v);
    }
}
