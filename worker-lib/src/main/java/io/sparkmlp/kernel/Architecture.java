package io.sparkmlp.kernel;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The description of a network apart from its numbers: layer sizes, hidden activation and the
 * output/loss pair. Layer {@code l} maps {@code sizes[l]} inputs to {@code sizes[l+1]} outputs
 * with a weight matrix {@code W_l} (sizes[l+1] × sizes[l], row-major: row = output unit) and a
 * bias {@code b_l}; it holds {@code n_out·(n_in+1)} parameters.
 *
 * @param sizes input size, hidden layer sizes, output size (at least two entries, all ≥ 1)
 * @param hidden activation of every hidden layer
 * @param output output activation and loss
 */
public record Architecture(int[] sizes, Activation hidden, OutputLoss output) implements java.io.Serializable {

    public Architecture {
        if (sizes == null || sizes.length < 2) {
            throw new IllegalArgumentException("a network needs an input and an output size, found "
                    + Arrays.toString(sizes));
        }
        sizes = sizes.clone();
        for (int l = 0; l < sizes.length; l++) {
            if (sizes[l] < 1) {
                String what = l == 0 ? "input size" : l == sizes.length - 1 ? "output size" : "hidden layer " + l + " size";
                throw new IllegalArgumentException(what + " must be at least 1, found " + sizes[l]);
            }
        }
        if (hidden == null || output == null) {
            throw new IllegalArgumentException("activation and output/loss are required");
        }
        output.checkOutputs(sizes[sizes.length - 1]);
        long total = parameterCount(sizes);
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("network has " + (total == Long.MAX_VALUE ? "more than 2^63" : total)
                    + " parameters, more than one float[] holds");
        }
    }

    /** Convenience: {@code of(act, loss, 784, 256, 128, 10)}. */
    public static Architecture of(Activation hidden, OutputLoss output, int... sizes) {
        return new Architecture(sizes, hidden, output);
    }

    @Override
    public int[] sizes() {
        return sizes.clone();
    }

    public int numLayers() {
        return sizes.length - 1;
    }

    public int inputSize() {
        return sizes[0];
    }

    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    public int layerInputs(int layer) {
        return sizes[layer];
    }

    public int layerOutputs(int layer) {
        return sizes[layer + 1];
    }

    /** Widest layer (inputs included), which sizes the kernel's scratch buffers. */
    public int maxWidth() {
        return IntStream.of(sizes).max().orElseThrow();
    }

    /** Parameters of one layer: {@code n_out·(n_in+1)}. */
    public int layerParameterCount(int layer) {
        return sizes[layer + 1] * (sizes[layer] + 1);
    }

    /** {@code Σ n_out·(n_in+1)} over the layers: the length of the flat parameter vector. */
    public int parameterCount() {
        return (int) parameterCount(sizes);
    }

    /**
     * {@code Σ n_out·(n_in+1)} of a network with these layer sizes, input first, whatever its
     * activations (for a description that has only the sizes, such as a checkpoint's header).
     * Not bounded by what one array holds, unlike {@link #parameterCount()}; a sum beyond
     * {@code Long.MAX_VALUE} (layer sizes near 2³¹ in a crafted file) is {@code Long.MAX_VALUE}, never a
     * wrapped-around small or negative count.
     */
    public static long parameterCount(int[] sizes) {
        long total = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            // each term is below 2^62, so only the sum can overflow
            long term = (long) sizes[l + 1] * ((long) sizes[l] + 1);
            if (term < 0 || total > Long.MAX_VALUE - term) return Long.MAX_VALUE;
            total += term;
        }
        return total;
    }

    /** Offset of layer {@code l}'s weights in the flat parameter vector. */
    public int weightOffset(int layer) {
        int off = 0;
        for (int l = 0; l < layer; l++) off += layerParameterCount(l);
        return off;
    }

    /** Offset of layer {@code l}'s biases in the flat parameter vector (right after its weights). */
    public int biasOffset(int layer) {
        return weightOffset(layer) + sizes[layer + 1] * sizes[layer];
    }

    /** The shape as people write it, e.g. {@code 784-256-128-10}. */
    public String shape() {
        return IntStream.of(sizes).mapToObj(Integer::toString).collect(Collectors.joining("-"));
    }

    /** One line per layer with its parameter count, then the total. */
    public List<String> describeLayers() {
        List<String> lines = new java.util.ArrayList<>();
        for (int l = 0; l < numLayers(); l++) {
            String act = l == numLayers() - 1 ? output.configName() : hidden.configName();
            lines.add(String.format(java.util.Locale.ROOT, "layer %d: %d -> %d (%s), %,d parameters (%d x %d weights + %d biases)",
                    l, sizes[l], sizes[l + 1], act, layerParameterCount(l), sizes[l + 1], sizes[l], sizes[l + 1]));
        }
        lines.add(String.format(java.util.Locale.ROOT, "total: %,d parameters", parameterCount()));
        return lines;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Architecture a && Arrays.equals(sizes, a.sizes) && hidden == a.hidden && output == a.output;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sizes) * 31 + hidden.hashCode() * 7 + output.hashCode();
    }

    @Override
    public String toString() {
        return shape() + " " + hidden.configName() + " " + output.configName();
    }
}
