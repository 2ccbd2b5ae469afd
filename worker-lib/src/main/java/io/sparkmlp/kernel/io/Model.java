package io.sparkmlp.kernel.io;

import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Parameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a trained network needs to make predictions on raw inputs, and where it came from.
 * This is the content of a model file ({@link ModelCodec}, {@link ModelFile}).
 *
 * <p>Prediction on a raw feature row {@code x}: {@code x' = (x − featureMean) / featureStd}
 * (element-wise, float32, only when standardisation is on), network outputs
 * {@code o = MlpKernel.predict(x')}; for classification the predicted class index {@code c}
 * names the original label {@code classLabels[c]}; for regression with target scaling the
 * prediction is {@code o·targetStd + targetMean}.
 *
 * <p>Immutable apart from {@link #parameters()}, which is kept as given (not copied): do not
 * modify it after building a model. Arrays are copied in and out.
 *
 * @param parameters the network's architecture and float32 weights
 * @param classLabels original label values in class-index order: {@code k} labels for
 *        {@code k > 1} outputs, 2 labels (class 0, class 1) for one output; empty for regression
 *        (null is taken as empty). Distinct, not null.
 * @param featureMean per-input mean subtracted before the network, or null when standardisation
 *        is off (then {@code featureStd} is null too)
 * @param featureStd per-input divisor, each finite and {@code > 0} (a trainer replaces the 0 of a
 *        constant feature by 1), or null
 * @param targetScaling regression target scaling, or null when off
 * @param featureNames one name per input, or empty when unknown (null is taken as empty)
 * @param info provenance and metrics as JSON values (see {@link #info()}); null is taken as empty
 */
public record Model(Parameters parameters, List<String> classLabels, float[] featureMean, float[] featureStd,
                    TargetScaling targetScaling, List<String> featureNames, Map<String, Object> info) {

    /**
     * Regression target scaling: the network was trained on {@code t = (y − mean) / std}, so a
     * prediction is {@code y = o·std + mean}.
     *
     * @param mean finite
     * @param std finite and {@code > 0}
     */
    public record TargetScaling(float mean, float std) {
        public TargetScaling {
            if (!Float.isFinite(mean)) {
                throw new IllegalArgumentException("target mean must be finite, found " + mean);
            }
            if (!(std > 0f) || !Float.isFinite(std)) {
                throw new IllegalArgumentException("target std must be finite and > 0, found " + std);
            }
        }

        /** {@code (y − mean) / std}: the value the network is trained on. */
        public float scale(float y) {
            return (y - mean) / std;
        }

        /** {@code o·std + mean}: a network output back in target units. */
        public float unscale(float o) {
            return o * std + mean;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TargetScaling t && Float.floatToRawIntBits(mean) == Float.floatToRawIntBits(t.mean)
                    && Float.floatToRawIntBits(std) == Float.floatToRawIntBits(t.std);
        }

        @Override
        public int hashCode() {
            return Float.floatToRawIntBits(mean) * 31 + Float.floatToRawIntBits(std);
        }
    }

    public Model {
        Objects.requireNonNull(parameters, "parameters");
        Architecture arch = parameters.architecture();
        classLabels = checkedStrings(classLabels, "class label");
        if (!classLabels.isEmpty()) {
            int k = arch.outputSize();
            int expected = k == 1 ? 2 : k;
            if (classLabels.size() != expected) {
                throw new IllegalArgumentException(classLabels.size() + " class labels for " + k + " output unit"
                        + (k == 1 ? "" : "s") + " of " + arch.shape() + ", expected " + expected
                        + (k == 1 ? " (class 0 and class 1)" : "") + " or none for regression");
            }
            Set<String> seen = new HashSet<>();
            for (int c = 0; c < classLabels.size(); c++) {
                if (!seen.add(classLabels.get(c))) {
                    throw new IllegalArgumentException("class label '" + classLabels.get(c) + "' appears twice (class "
                            + classLabels.indexOf(classLabels.get(c)) + " and class " + c + ")");
                }
            }
        }
        if ((featureMean == null) != (featureStd == null)) {
            throw new IllegalArgumentException("feature standardisation needs both mean and std, found "
                    + (featureMean == null ? "std only" : "mean only"));
        }
        if (featureMean != null) {
            featureMean = featureMean.clone();
            featureStd = featureStd.clone();
            int n = arch.inputSize();
            if (featureMean.length != n || featureStd.length != n) {
                throw new IllegalArgumentException("feature mean/std have " + featureMean.length + "/" + featureStd.length
                        + " entries, expected " + n + " (the input size of " + arch.shape() + ")");
            }
            for (int j = 0; j < n; j++) {
                if (!Float.isFinite(featureMean[j])) {
                    throw new IllegalArgumentException("feature mean[" + j + "] must be finite, found " + featureMean[j]);
                }
                if (!(featureStd[j] > 0f) || !Float.isFinite(featureStd[j])) {
                    throw new IllegalArgumentException("feature std[" + j + "] must be finite and > 0, found " + featureStd[j]);
                }
            }
        }
        featureNames = checkedStrings(featureNames, "feature name");
        if (!featureNames.isEmpty() && featureNames.size() != arch.inputSize()) {
            throw new IllegalArgumentException(featureNames.size() + " feature names, expected " + arch.inputSize()
                    + " (the input size of " + arch.shape() + ") or none");
        }
        info = JsonValues.canonicalMap(info == null ? Map.of() : info, "info");
    }

    /** A model with only parameters: no labels, scaling, names or info. */
    public static Model of(Parameters parameters) {
        return new Model(parameters, List.of(), null, null, null, List.of(), Map.of());
    }

    public Model withClassLabels(List<String> labels) {
        return new Model(parameters, labels, featureMean, featureStd, targetScaling, featureNames, info);
    }

    /** Standardisation {@code x' = (x − mean) / std}; both null turns it off. */
    public Model withFeatureStandardization(float[] mean, float[] std) {
        return new Model(parameters, classLabels, mean, std, targetScaling, featureNames, info);
    }

    /** Target scaling, or null to turn it off. */
    public Model withTargetScaling(TargetScaling scaling) {
        return new Model(parameters, classLabels, featureMean, featureStd, scaling, featureNames, info);
    }

    public Model withFeatureNames(List<String> names) {
        return new Model(parameters, classLabels, featureMean, featureStd, targetScaling, names, info);
    }

    public Model withInfo(Map<String, ?> newInfo) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) newInfo;
        return new Model(parameters, classLabels, featureMean, featureStd, targetScaling, featureNames, m);
    }

    public Architecture architecture() {
        return parameters.architecture();
    }

    /** Unmodifiable; empty for regression. */
    @Override
    public List<String> classLabels() {
        return classLabels;
    }

    /** A copy, or null when standardisation is off. */
    @Override
    public float[] featureMean() {
        return featureMean == null ? null : featureMean.clone();
    }

    /** A copy, or null when standardisation is off. */
    @Override
    public float[] featureStd() {
        return featureStd == null ? null : featureStd.clone();
    }

    /**
     * Provenance and metrics in canonical JSON form: an unmodifiable map sorted by key whose values
     * are {@code String}, {@code Boolean}, {@code Long}, {@code BigInteger} (beyond long),
     * {@code Double}, {@code null}, unmodifiable {@code List}s and sorted {@code Map}s of these.
     * Other numbers were widened ({@code Integer → Long}, {@code Float → Double} through its
     * shortest decimal, {@code BigDecimal → Double}), NaN and infinities became the strings
     * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}, enums their names, arrays lists. So
     * a decoded model's info equals the written one's.
     */
    @Override
    public Map<String, Object> info() {
        return info;
    }

    public boolean hasFeatureStandardization() {
        return featureMean != null;
    }

    /**
     * {@code x[r][j] := (x[r][j] − mean[j]) / std[j]} for {@code rows} rows of {@code inputSize}
     * values starting at {@code off}; nothing when standardisation is off.
     *
     * @param x raw rows, row-major. Modified.
     */
    public void standardize(float[] x, int off, int rows) {
        if (featureMean == null) return;
        int n = featureMean.length;
        if (off < 0 || rows < 0 || (long) off + (long) rows * n > x.length) {
            throw new IllegalArgumentException(rows + " rows × " + n + " features at offset " + off
                    + " do not fit an array of " + x.length);
        }
        for (int r = 0; r < rows; r++) {
            int o = off + r * n;
            for (int j = 0; j < n; j++) x[o + j] = (x[o + j] - featureMean[j]) / featureStd[j];
        }
    }

    private static List<String> checkedStrings(List<String> values, String what) {
        if (values == null || values.isEmpty()) return List.of();
        List<String> copy = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v == null) throw new IllegalArgumentException(what + " " + i + " is null");
            copy.add(v);
        }
        return Collections.unmodifiableList(copy);
    }

    /** Equal architecture, bit-equal floats, equal labels, names and info. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Model m
                && parameters.architecture().equals(m.parameters.architecture())
                && Arrays.equals(rawBits(parameters.flat()), rawBits(m.parameters.flat()))
                && classLabels.equals(m.classLabels)
                && Arrays.equals(rawBits(featureMean), rawBits(m.featureMean))
                && Arrays.equals(rawBits(featureStd), rawBits(m.featureStd))
                && Objects.equals(targetScaling, m.targetScaling)
                && featureNames.equals(m.featureNames)
                && info.equals(m.info);
    }

    @Override
    public int hashCode() {
        return Objects.hash(parameters.architecture(), Arrays.hashCode(rawBits(parameters.flat())), classLabels,
                Arrays.hashCode(rawBits(featureMean)), Arrays.hashCode(rawBits(featureStd)), targetScaling,
                featureNames, info);
    }

    @Override
    public String toString() {
        return "Model[" + architecture() + ", " + parameters.size() + " parameters"
                + (classLabels.isEmpty() ? "" : ", labels " + classLabels)
                + (featureMean == null ? "" : ", standardised inputs")
                + (targetScaling == null ? "" : ", target scaling " + targetScaling.mean + "/" + targetScaling.std)
                + (featureNames.isEmpty() ? "" : ", features " + featureNames)
                + ", info keys " + info.keySet() + "]";
    }

    private static int[] rawBits(float[] v) {
        if (v == null) return null;
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) bits[i] = Float.floatToRawIntBits(v[i]);
        return bits;
    }
}
