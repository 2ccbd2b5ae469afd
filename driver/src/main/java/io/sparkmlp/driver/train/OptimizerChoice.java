package io.sparkmlp.driver.train;

import io.sparkmlp.driver.config.Keys.Key;
import io.sparkmlp.driver.config.Keys;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.config.TrainOptions;
import io.sparkmlp.kernel.optim.OptimizerKind;
import java.util.List;
import java.util.Locale;

/**
 * What {@code train.optimizer = auto} becomes for a problem of N training rows and P parameters:
 *
 * <pre>
 * lbfgs  ⇔  N · P ≤ LBFGS_MAX_WORK  and no mini-batch key is set
 * adam      otherwise
 * </pre>
 *
 * Full-batch L-BFGS (Spark MLlib's default solver) was measured more accurate than the Adam defaults on every
 * problem up to N · P = 2.8·10⁸ (generated sets of 900 to 90,000 rows, networks of 1,370 to 235,146 parameters,
 * BENCHMARKS.md "The auto rule"), at up to 8–10 times Adam's training time from N · P ≈ 10⁸; its cost grows as
 * 200 evaluations × N · P, so the bound is where its run stays a minute or two on one machine. A mini-batch key the user
 * set ({@code train.batchSize}, a learning rate or its schedule, clipping or Adam's betas) asks for a
 * first-order optimizer, so it chooses Adam. An explicit optimizer is kept as it is.
 *
 * @param kind the optimizer the run uses: never {@link OptimizerKind#AUTO}
 * @param reason why, for the log line; empty when the optimizer was configured
 */
public record OptimizerChoice(OptimizerKind kind, String reason) {

    /** The largest N · P for which auto chooses L-BFGS. */
    static final double LBFGS_MAX_WORK = 3e8;

    /** Keys that only a first-order (mini-batch) optimizer uses. */
    static final List<Key<?>> MINI_BATCH_KEYS = List.of(Keys.TRAIN_BATCH_SIZE, Keys.TRAIN_LEARNING_RATE,
            Keys.TRAIN_LR_SCHEDULE, Keys.TRAIN_WARMUP_STEPS, Keys.TRAIN_CLIP_NORM, Keys.TRAIN_BETA1, Keys.TRAIN_BETA2);

    /** The choice for {@code cfg} on {@code trainRows} rows and a network of {@code parameters} parameters. */
    public static OptimizerChoice of(TrainConfig cfg, long trainRows, long parameters) {
        OptimizerKind configured = cfg.train().optimizer();
        if (configured != OptimizerKind.AUTO) return new OptimizerChoice(configured, "");
        for (Key<?> k : MINI_BATCH_KEYS) {
            if (cfg.isSet(k)) return new OptimizerChoice(OptimizerKind.ADAM, k.name() + " is set (a mini-batch setting)");
        }
        double work = (double) trainRows * parameters;
        String size = trainRows + " training rows × " + parameters + " parameters = "
                + String.format(Locale.ROOT, "%.3g", work);
        return work <= LBFGS_MAX_WORK
                ? new OptimizerChoice(OptimizerKind.LBFGS, size + " ≤ " + String.format(Locale.ROOT, "%.0e", LBFGS_MAX_WORK))
                : new OptimizerChoice(OptimizerKind.ADAM, size + " > " + String.format(Locale.ROOT, "%.0e", LBFGS_MAX_WORK));
    }

    /**
     * {@code cfg} with this optimizer in place of {@code auto}; L-BFGS chosen so takes its default weight decay
     * ({@link TrainOptions#LBFGS_WEIGHT_DECAY}) unless {@code train.weightDecay} is set, as an explicit
     * {@code train.optimizer=lbfgs} does.
     */
    public TrainConfig apply(TrainConfig cfg) {
        if (cfg.train().optimizer() == kind) return cfg;
        TrainOptions t = cfg.train().withOptimizer(kind);
        if (kind == OptimizerKind.LBFGS && !cfg.isSet(Keys.TRAIN_WEIGHT_DECAY)) {
            t = t.withWeightDecay(TrainOptions.LBFGS_WEIGHT_DECAY);
        }
        return cfg.withTrain(t);
    }

    /** Whether {@code train.optimizer = auto} made the choice. */
    public boolean automatic() {
        return !reason.isEmpty();
    }

    /** The log line of an automatic choice, e.g. {@code optimizer auto: lbfgs (90 training rows × 59 parameters …)}. */
    public String describe() {
        return "optimizer auto: " + kind.configName() + " (" + reason + ")";
    }
}
