package io.sparkmlp.kernel.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * <p>The container (magic, version, header, data, checksum) is {@link FramedFile}'s and the tensor
 * table and data are {@link TensorFile}'s, both shared with the training checkpoints; this class
 * keeps what is the model file's own: its header keys, its tensors and their shapes, and {@link Model}.
 *
 * <p>Encoding is deterministic: equal models give equal bytes (info keys are sorted, JSON is
 * compact, floats are copied bit for bit). Decoding checks, in order: magic, version, length,
 * checksum, JSON, then every key and tensor against the architecture, then that every tensor value is
 * finite; any failure is a {@link ModelFormatException} naming the source.
 */
public final class ModelCodec {

    /** The first 8 bytes of every model file. */
    public static final String MAGIC = "SPMLPMDL";
    /** The format version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /** Largest Java array the codec builds. */
    static final long MAX_BYTES = FramedFile.MAX_BYTES;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final Set<String> HEADER_KEYS = TensorFile.keys("architecture", "class_labels", "feature_names",
            TensorFile.TABLE_KEY, "info");
    private static final Set<String> ARCH_KEYS = TensorFile.keys("sizes", "hidden_activation", "output_loss");
    private static final String TENSOR_NAMES = "version 1 has layer{l}.weight and layer{l}.bias for l < %d,"
            + " standardize.mean/std, target.mean/std";

    private ModelCodec() {
    }

    /** The tensors of a model, in file order. */
    private static List<TensorFile.Tensor> tensors(Model model) {
        Architecture arch = model.architecture();
        float[] flat = model.parameters().flat();
        List<TensorFile.Tensor> list = new ArrayList<>();
        for (int l = 0; l < arch.numLayers(); l++) {
            int in = arch.layerInputs(l), out = arch.layerOutputs(l);
            list.add(new TensorFile.Tensor("layer" + l + ".weight", new int[] {out, in}, flat, arch.weightOffset(l)));
            list.add(new TensorFile.Tensor("layer" + l + ".bias", new int[] {out}, flat, arch.biasOffset(l)));
        }
        if (model.hasFeatureStandardization()) {
            list.add(new TensorFile.Tensor("standardize.mean", model.featureMean()));
            list.add(new TensorFile.Tensor("standardize.std", model.featureStd()));
        }
        if (model.targetScaling() != null) {
            list.add(new TensorFile.Tensor("target.mean", new float[] {model.targetScaling().mean()}));
            list.add(new TensorFile.Tensor("target.std", new float[] {model.targetScaling().std()}));
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
        header.putNull(TensorFile.TABLE_KEY);
        header.set("info", JsonValues.toJson(model.info()));
        return TensorFile.encode(MAGIC, FORMAT_VERSION, header, tensors(model), "model " + arch.shape());
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
        TensorFile.Reader r = TensorFile.decode(bytes, MAGIC, FORMAT_VERSION, "sparkmlp model file", sourceName);
        ObjectNode header = r.header();
        r.checkKeys(header, HEADER_KEYS, "header");
        ObjectNode archNode = r.object(header, "architecture", "header");
        r.checkKeys(archNode, ARCH_KEYS, "header architecture");
        Architecture arch = architecture(r, archNode);
        List<String> labels = strings(r, header, "class_labels");
        List<String> names = strings(r, header, "feature_names");
        Map<String, int[]> shapes = shapes(arch);
        Map<String, float[]> values = r.tensors(shapes::get, String.format(Locale.ROOT, TENSOR_NAMES, arch.numLayers()),
                "for architecture " + arch);
        for (String name : shapes.keySet()) {
            if (name.startsWith("layer") && !values.containsKey(name)) {
                throw r.bad("tensor '" + name + "' missing; architecture " + arch + " needs it");
            }
        }
        pair(r, values, "standardize.mean", "standardize.std");
        pair(r, values, "target.mean", "target.std");
        for (Map.Entry<String, float[]> e : values.entrySet()) requireFinite(r, e.getKey(), shapes.get(e.getKey()), e.getValue());
        JsonNode infoNode = header.get("info");
        if (infoNode == null || !infoNode.isObject()) {
            throw r.bad("header key 'info' is " + FramedFile.describeNode(infoNode) + ", expected an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) JsonValues.fromJson(infoNode, "info");

        float[] flat = new float[arch.parameterCount()];
        int offset = 0;                       // layer by layer, not weightOffset(l): O(layers), not O(layers²)
        for (int l = 0; l < arch.numLayers(); l++) {
            float[] w = values.get("layer" + l + ".weight");
            float[] b = values.get("layer" + l + ".bias");
            System.arraycopy(w, 0, flat, offset, w.length);
            System.arraycopy(b, 0, flat, offset + w.length, b.length);
            offset += w.length + b.length;
        }
        try {
            Model.TargetScaling target = values.containsKey("target.mean")
                    ? new Model.TargetScaling(values.get("target.mean")[0], values.get("target.std")[0]) : null;
            return new Model(Parameters.wrap(arch, flat), labels, values.get("standardize.mean"),
                    values.get("standardize.std"), target, names, info);
        } catch (IllegalArgumentException e) {
            throw r.bad("model contents invalid: " + e.getMessage(), e);
        }
    }

    private static Architecture architecture(TensorFile.Reader r, ObjectNode node) {
        ArrayNode sizesNode = r.array(node, "sizes", "header architecture");
        int[] sizes = new int[sizesNode.size()];
        for (int i = 0; i < sizes.length; i++) {
            JsonNode s = sizesNode.get(i);
            if (!s.isIntegralNumber() || !s.canConvertToInt()) {
                throw r.bad("header architecture.sizes[" + i + "] is " + FramedFile.describeNode(s) + ", expected an integer");
            }
            sizes[i] = s.intValue();
        }
        String hidden = r.text(node, "hidden_activation", "header architecture");
        String output = r.text(node, "output_loss", "header architecture");
        try {
            return new Architecture(sizes, Activation.parse(hidden), OutputLoss.parse(output));
        } catch (IllegalArgumentException e) {
            throw r.bad("header architecture invalid: " + e.getMessage(), e);
        }
    }

    /** The shape of every tensor a model of {@code arch} may hold, in file order; optional pairs included. */
    private static Map<String, int[]> shapes(Architecture arch) {
        Map<String, int[]> m = new LinkedHashMap<>();
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

    /**
     * Refuses a tensor that holds NaN or an infinity: such a model would predict class 0 with probability NaN.
     * The message names the tensor and the value's index in its shape.
     */
    private static void requireFinite(TensorFile.Reader r, String name, int[] shape, float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw r.bad("tensor '" + name + "' holds " + v[i] + " at index " + index(shape, i)
                        + ", expected finite float32 values");
            }
        }
    }

    /** The row-major index {@code [i0, i1, ...]} of flat position {@code flat} in {@code shape}. */
    private static String index(int[] shape, int flat) {
        int[] at = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = flat % shape[d];
            flat /= shape[d];
        }
        return Arrays.toString(at);
    }

    private static void pair(TensorFile.Reader r, Map<String, float[]> values, String a, String b) {
        if (values.containsKey(a) != values.containsKey(b)) {
            String has = values.containsKey(a) ? a : b;
            String lacks = values.containsKey(a) ? b : a;
            throw r.bad("tensor '" + has + "' present without '" + lacks + "'; expected both or neither");
        }
    }

    private static List<String> strings(TensorFile.Reader r, ObjectNode header, String key) {
        ArrayNode a = r.array(header, key, "header");
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).isTextual()) {
                throw r.bad("header " + key + "[" + i + "] is " + FramedFile.describeNode(a.get(i)) + ", expected a string");
            }
            out.add(a.get(i).textValue());
        }
        return out;
    }
}
