package io.sparkmlp.driver.checkpoint;

import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.config.Keys;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.output.FsPath;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.optim.LbfgsState;
import io.sparkmlp.kernel.optim.OptimizerState;
import io.sparkmlp.kernel.optim.ScheduleKind;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The training loop's checkpoints ({@code train.checkpointEvery}, {@code train.resume}): which
 * checkpoint a run continues from, whether it fits the run, and writing new ones.
 *
 * <p>A checkpoint fits when the configuration agrees on every key except {@link #FREE_KEYS}
 * (and {@code output.*}, {@code spark.*}), the training data has the same partition sizes, and the
 * network the same layers. {@code train.epochs} and {@code train.maxSteps} may change (to train
 * longer) unless the learning rate schedule depends on the run length (cosine). With the same
 * settings, the resumed run's model is byte-identical to an uninterrupted run's.
 */
public final class Checkpointer {

    /** Keys that do not change the weights, or are checked otherwise (run length, partition count). */
    static final Set<String> FREE_KEYS = Set.of("train.resume", "train.checkpointEvery", "train.logEvery",
            "train.epochs", "train.maxSteps", "data.partitions");

    private final TrainConfig cfg;
    private final CheckpointStore store;
    private final PrintStream log;
    private boolean clearedStale;
    private FsPath lastGood;
    private long lastGoodStep;

    public Checkpointer(TrainConfig cfg, FsPath outputDir, PrintStream log) {
        this.cfg = cfg;
        this.store = CheckpointStore.of(outputDir);
        this.log = log;
    }

    /**
     * The configuration keys a checkpoint must agree on, with their effective text: not the run's place
     * ({@code output.*}), its cluster ({@code spark.*}) or the step server's network settings ({@code transport.*}).
     */
    static Map<String, String> identity(TrainConfig cfg) {
        Map<String, String> m = new TreeMap<>(cfg.effective());
        m.keySet().removeIf(k -> FREE_KEYS.contains(k) || k.startsWith("output.") || k.startsWith("spark.")
                || k.startsWith("transport."));
        return m;
    }

    /** What the user set, minus output, Spark and resume keys: what {@code sparkmlp resume} rebuilds a run from. */
    static Map<String, String> resumeSettings(TrainConfig cfg) {
        Map<String, String> m = new TreeMap<>(cfg.settings());
        m.keySet().removeIf(k -> k.equals("train.resume") || k.startsWith("output.") || k.startsWith("spark."));
        return m;
    }

    /**
     * The saved settings of checkpoint {@code c} (read from {@code file}) that {@code sparkmlp resume} replays, with keys
     * renamed since it was written given their new names: only known sparkmlp keys ({@link TrainConfig#knownKeys()}),
     * never {@code spark.*} (a resume takes the cluster from its own arguments), {@code output.*} (taken from the
     * command line) or {@code train.resume}. The checksum does not tell an edited file from a written one, so anything
     * else is refused rather than applied.
     *
     * @throws CheckpointException (damaged) naming the first key that a resume may not carry and the file
     */
    public static Map<String, String> replayableSettings(Checkpoint c, FsPath file) {
        Map<String, String> settings = TrainConfig.renameKeys(c.settings());
        Set<String> known = Set.copyOf(TrainConfig.knownKeys());
        for (String key : settings.keySet()) {
            boolean allowed = known.contains(key) && !key.startsWith("output.") && !key.equals("train.resume");
            if (!allowed) {
                String what = key.startsWith("spark.") ? "a Spark setting" : key.startsWith("output.")
                        || key.equals("train.resume") ? "a key resume takes from its arguments" : "not a sparkmlp key";
                throw CheckpointException.damaged(file.toString(), "saved settings hold \"" + quote(key) + "\" ("
                        + what + "); expected only sparkmlp keys other than output.* and train.resume, as a run"
                        + " writes them (was the file edited?)", null);
            }
        }
        return settings;
    }

    /** {@code s} with control and line-separator characters shown as {@code \\uXXXX}, so a message stays one line. */
    private static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029 || cp == '"' || cp == '\\') {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    /**
     * With {@code train.resume}: the newest readable checkpoint, after checking that it was written
     * with this configuration; damaged newer ones are reported as warnings and set aside. Without:
     * null.
     *
     * @throws CheckpointException when there is none, none is readable, or the configuration differs
     */
    public Checkpoint resumePoint() throws IOException {
        if (!cfg.train().resume()) return null;
        store.clearLeftovers();
        CheckpointStore.Loaded loaded = store.loadNewest(true);
        for (String skipped : loaded.skipped()) {
            log.println("sparkmlp: warning: damaged checkpoint skipped, using an older one: " + skipped);
        }
        Checkpoint c = loaded.checkpoint();
        requireSameConfig(c, identity(cfg), loaded.path());
        log.println("sparkmlp: resuming from " + loaded.path() + " (step " + c.step() + ")");
        lastGood = loaded.path();
        lastGoodStep = c.step();
        clearedStale = true;
        return c;
    }

    /**
     * Fails unless {@code now} equals the checkpoint's configuration; the message names every key
     * that differs with both values.
     */
    static void requireSameConfig(Checkpoint c, Map<String, String> now, FsPath file) {
        Set<String> keys = new TreeSet<>(c.config().keySet());
        keys.addAll(now.keySet());
        List<String> diffs = new ArrayList<>();
        for (String k : keys) {
            String then = c.config().get(k);
            String current = now.get(k);
            if (then == null && current != null && addedAtDefault(k, current)) continue;
            if (then == null || !then.equals(current)) {
                diffs.add(k + " = " + show(then) + " there, " + show(current) + " now");
            }
        }
        if (!diffs.isEmpty()) {
            throw CheckpointException.unusable(file + ": written by a run with another configuration: "
                    + String.join("; ", diffs) + "; expected the same settings (a resume may change only output.*,"
                    + " spark.*, transport.*, train.checkpointEvery, train.logEvery, data.partitions when it keeps the partition"
                    + " count, and train.epochs or train.maxSteps unless train.lrSchedule = cosine)");
        }
    }

    /**
     * Whether {@code key}, absent from a checkpoint's configuration, is a key added since it was written, now at its
     * default: a new key's default keeps the behaviour of the build that had no such key, so it matches.
     */
    private static boolean addedAtDefault(String key, String current) {
        Keys.Key<?> k = Keys.byName(key);
        return k != null && k.defaultValue() != null && k.defaultValue().equals(k.parse(current, key));
    }

    private static String show(String v) {
        return v == null ? "(absent)" : "\"" + v + "\"";
    }

    /**
     * The data options to load with: those configured, except that {@code data.partitions = 0}
     * (Spark's default parallelism, which may differ from one start to the next) becomes the
     * checkpoint's partition count.
     */
    public DataOptions dataOptions(Checkpoint resume) {
        DataOptions d = cfg.data();
        if (resume == null || d.partitions() != 0) return d;
        int parts = resume.partitionRows().length;
        log.println("sparkmlp: data.partitions = 0 (auto): using the checkpoint's " + parts + " partitions");
        return d.withPartitions(parts);
    }

    /**
     * Fails unless the data and network of this run are the checkpoint's, and the run goes beyond
     * the checkpoint's step; a changed run length is allowed unless the schedule depends on it.
     */
    public void verify(Checkpoint c, long[] partitionRows, Architecture arch, long totalSteps) {
        String file = String.valueOf(lastGood);
        if (!Arrays.equals(c.partitionRows(), partitionRows)) {
            throw CheckpointException.unusable(file + ": written for training partitions of " + Arrays.toString(c.partitionRows())
                    + " rows, this run has " + Arrays.toString(partitionRows) + "; expected the same data and partition count");
        }
        if (!Arrays.equals(c.sizes(), arch.sizes())) {
            throw CheckpointException.unusable(file + ": written for a network " + Arrays.toString(c.sizes())
                    + ", this run builds " + Arrays.toString(arch.sizes()) + "; expected the same");
        }
        if (c.totalSteps() != totalSteps) {
            if (cfg.train().lrSchedule() == ScheduleKind.COSINE) {
                throw CheckpointException.unusable(file + ": written by a run of " + c.totalSteps() + " steps, this one has "
                        + totalSteps + "; expected the same train.epochs and train.maxSteps with train.lrSchedule = cosine"
                        + " (its learning rate depends on the run length)");
            }
            log.println("sparkmlp: the checkpoint's run planned " + c.totalSteps() + " steps, this one " + totalSteps);
        }
        if (c.step() >= totalSteps) {
            throw CheckpointException.unusable(file + ": holds step " + c.step() + ", this run ends at step " + totalSteps
                    + "; expected a run longer than the checkpoint (raise train.epochs or train.maxSteps)");
        }
    }

    /** True when a checkpoint is due after {@code step} steps (never after the last: the model follows at once). */
    public boolean due(long step, long totalSteps) {
        long every = cfg.train().checkpointEvery();
        return every > 0 && step % every == 0 && step < totalSteps;
    }

    /**
     * Writes a checkpoint (the first of a fresh run first deletes those an earlier run left in the
     * directory) and keeps the newest {@value CheckpointStore#KEEP}.
     */
    public void save(long step, long totalSteps, long[] partitionRows, Architecture arch, float[] weights,
              OptimizerState optimizer, LbfgsState lbfgs, Checkpoint.Loop loop) throws IOException {
        if (!clearedStale) {
            store.clear();
            clearedStale = true;
        }
        Checkpoint c = new Checkpoint(step, totalSteps, identity(cfg), resumeSettings(cfg), partitionRows, arch.sizes(),
                weights.clone(), optimizer, lbfgs, loop);
        lastGood = store.write(c);
        lastGoodStep = step;
        log.println("sparkmlp: checkpoint at step " + step + ": " + lastGood);
    }

    /** For messages: where the last good checkpoint is, or that there is none. */
    public String lastGood() {
        if (lastGood == null) {
            return cfg.train().checkpointEvery() > 0 ? "no checkpoint was written yet"
                    : "no checkpoint was written (train.checkpointEvery = 0)";
        }
        return "the last good checkpoint (step " + lastGoodStep + ") is kept: " + lastGood;
    }
}
