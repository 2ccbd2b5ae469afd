package io.sparkmlp.ml;

import io.sparkmlp.driver.config.ConfigException;
import io.sparkmlp.driver.config.TrainConfig;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.param.Param;

/**
 * An estimator's Params as the CLI's {@link TrainConfig}: each Param the user set becomes its key's
 * text, as if given on the command line (a Param left at its default is left unset, as the CLI's key: the
 * defaults are the same, and the CLI treats some keys differently when set, e.g. a batch size larger
 * than a small data set is refused only when asked for); the CLI validates the lot in one place, so a
 * bad value is refused with the same one line the CLI gives, naming the Param and its key.
 */
final class FitConfig {

    /** What {@code data.train} says in messages and in the model's provenance for a DataFrame. */
    static final String DATA_NAME = "DataFrame";

    private FitConfig() {
    }

    /** {@link #of(MlpParams, Map)} without extra keys. */
    static TrainConfig of(MlpParams<?> params) {
        return of(params, Map.of());
    }

    /**
     * The configuration of a fit with these Params.
     *
     * @param extra keys the fit itself decides (output directory, transport), set after the Params
     * @throws IllegalArgumentException for a bad value (one line: Param, key, value, what was expected)
     */
    static TrainConfig of(MlpParams<?> params, Map<String, String> extra) {
        TrainingParams table = params.trainingParams();
        Map<String, String> m = new TreeMap<>();
        m.put("data.train", DATA_NAME);
        m.put("data.testFraction", "0");
        m.put("model.loss", params instanceof MlpRegressor ? "mse" : "cross_entropy");
        for (Param<?> p : table.params()) {
            TrainingParams.Entry e = table.entry(p);
            if (e != null && params.isSet(p)) {
                m.put(e.key(), TrainingParams.text(e, params.getOrDefault(p)));
            }
        }
        if (params.isSet(params.solver())) {
            m.put("train.optimizer", optimizer(params.getOrDefault(params.solver())));
        }
        if (params.isSet(params.layers())) {
            int[] layers = params.getOrDefault(params.layers());
            if (params.isSet(params.hiddenLayers())) {
                throw new IllegalArgumentException(params.uid() + ": layers and hiddenLayers are both set ("
                        + Arrays.toString(layers) + " and " + Arrays.toString(params.getOrDefault(params.hiddenLayers()))
                        + "), expected one of them");
            }
            if (layers.length < 2) {
                throw new IllegalArgumentException(params.uid() + ": layers = " + Arrays.toString(layers)
                        + ", expected at least the input and output sizes (MLlib's meaning: input, hidden..., output)");
            }
            m.put("model.hidden", TrainingParams.text(new TrainingParams.Entry("layers", "model.hidden",
                    TrainingParams.Kind.INT_ARRAY), Arrays.copyOfRange(layers, 1, layers.length - 1)));
        }
        if (params.getValidationIndicatorCol() != null) {
            // the rows the column flags are a validation split the user chose: a validation setting, so L-BFGS keeps
            // them apart rather than training on them (the fraction itself is unused then)
            m.putIfAbsent("data.validationFraction", String.valueOf(params.getValidationFraction()));
        }
        m.putAll(extra);
        try {
            return TrainConfig.fromMap(m, params.uid());
        } catch (ConfigException e) {
            String param = e.key() == null ? null : paramOf(e.key());
            throw new IllegalArgumentException(param == null ? e.getMessage()
                    : params.uid() + ": param " + param + " (CLI key " + e.key() + ") = \"" + e.value() + "\": "
                    + e.detail(), e);
        }
    }

    /** The Param standing for a CLI key, or null. */
    private static String paramOf(String key) {
        for (TrainingParams.Entry e : TrainingParams.ENTRIES) {
            if (e.key().equals(key)) return e.param();
        }
        return key.equals("model.hidden") ? "hiddenLayers or layers" : null;
    }

    /**
     * The CLI's optimizer name for a {@code solver}: the CLI's names as they are, MLlib's {@code gd} as
     * {@code sgd} and MLlib's {@code l-bfgs} as {@code lbfgs}.
     */
    static String optimizer(String solver) {
        String s = solver == null ? "" : solver.trim().toLowerCase(Locale.ROOT);
        if (s.equals("gd")) return "sgd";
        if (s.equals("l-bfgs")) return "lbfgs";
        return solver;
    }
}
