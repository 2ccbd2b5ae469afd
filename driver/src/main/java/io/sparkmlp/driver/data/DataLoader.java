package io.sparkmlp.driver.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.StorageLevel;

import io.sparkmlp.driver.config.DataOptions;
import scala.runtime.AbstractFunction1;

/**
 * Entry points of the data layer: read or generate the data, split it, standardise it, cache it.
 *
 * <p>Partitioning is deterministic: with {@code P} partitions (data.partitions, 0 = Spark's default
 * parallelism) over {@code N} rows in global order (file order, then line order; or the generator's row
 * index), partition {@code p} owns global rows {@code [⌊p·N/P⌋, ⌊(p+1)·N/P⌋)} and each split keeps, per
 * partition, its own rows of that range in order. So the same input, seed and {@code P} give the same
 * rows in the same blocks, run after run and whatever the Hadoop splits; no {@code repartition()}.
 *
 * <p>Every {@link DataException} raised in a task is rethrown here on the driver (unwrapped from Spark's
 * {@code SparkException}) with its exact file line.
 */
public final class DataLoader {
    private DataLoader() {
    }

    /**
     * Reads (or generates) the training data, splits off test rows (or reads data.test) and validation
     * rows, fits the standardisation on the training split and caches the standardised blocks
     * ({@code MEMORY_ONLY}); all three are materialised, so the row counts are known and bad input has
     * failed here.
     *
     * @throws DataException for bad input (one line: file:line[:column], value found, what was expected)
     */
    public static PreparedData prepare(JavaSparkContext sc, DataOptions opts) {
        return prepare(sc, opts, 0);
    }

    /** {@link #prepare(JavaSparkContext, DataOptions)} asking Hadoop for at least {@code minSplits} splits (tests). */
    static PreparedData prepare(JavaSparkContext sc, DataOptions opts, int minSplits) {
        int parts = partitions(sc, opts);
        boolean testFile = opts.test() != null && !opts.test().isBlank();
        RowSplit split = new RowSplit(opts.seed(), testFile ? 0 : opts.testFraction(), opts.validationFraction());
        if (opts.format() == DataOptions.DataFormat.SYNTHETIC) {
            return prepareSynthetic(sc, opts, parts, split, testFile, minSplits);
        }
        if (opts.format().tabular()) {
            return TableInput.prepare(opts);
        }
        boolean regression = opts.regression();
        TextInput input = TextInput.open(sc, opts.train(), opts, regression, LayoutDetector.Expect.FREE,
                Math.max(parts, minSplits));
        CountingPass.Scan scan = input.scan(!regression);
        TextLayout layout = input.layout();
        if (layout.numFeatures() == 0) {
            if (scan.maxIndex() == 0) {
                throw DataException.of(input.path(), "found no index:value pair in any row"
                        + ", expected LIBSVM features (or set data.numFeatures)");
            }
            layout = layout.withNumFeatures(scan.maxIndex());
        }
        int features = layout.numFeatures();
        LabelIndex labels = regression ? null : LabelIndex.of(scan.labels(), input.path());
        ChunkShuffle all = input.blocks(scan, layout, labels, split, parts);

        JavaRDD<Block> train = all.slot(RowSplit.TRAIN);
        JavaRDD<Block> validation = split.hasValidation() ? all.slot(RowSplit.VALIDATION) : null;
        JavaRDD<Block> test = split.hasTest() ? all.slot(RowSplit.TEST) : null;
        TextInput testInput = null;
        if (testFile) {
            testInput = TextInput.open(sc, opts.test(), opts, regression,
                    new LayoutDetector.Expect(features, "the training data's", false), Math.max(parts, minSplits));
            CountingPass.Scan testScan = testInput.scan(false);
            test = testInput.blocks(testScan, testInput.layout().withNumFeatures(features), labels,
                    RowSplit.all(), parts).slot(RowSplit.TRAIN);
        }
        return finish(opts, opts.train(), input::run, testInput != null ? testInput::run : input::run,
                train, validation, test, features, labels, layout.featureNames());
    }

    private static PreparedData prepareSynthetic(JavaSparkContext sc, DataOptions opts, int parts, RowSplit split,
                                                 boolean testFile, int minSplits) {
        if (opts.synthetic() == null) {
            throw new IllegalArgumentException("data.format=synthetic needs the synthetic.* settings");
        }
        SyntheticData gen = new SyntheticData(opts.synthetic());
        if (opts.regression() != (gen.labels() == null)) {
            throw new IllegalArgumentException("synthetic.kind = " + opts.synthetic().kind() + " with "
                    + (opts.regression() ? "a regression" : "a classification") + " loss");
        }
        int features = gen.features();
        LabelIndex labels = gen.labels();
        JavaRDD<Block> train = gen.blocks(sc, parts, split, RowSplit.TRAIN);
        JavaRDD<Block> validation = split.hasValidation() ? gen.blocks(sc, parts, split, RowSplit.VALIDATION) : null;
        JavaRDD<Block> test = split.hasTest() ? gen.blocks(sc, parts, split, RowSplit.TEST) : null;
        Runner testRunner = DataLoader::plain;
        if (testFile) {
            TextInput testInput = TextInput.open(sc, opts.test(), opts, labels == null,
                    new LayoutDetector.Expect(features, "the synthetic data's", false), Math.max(parts, minSplits));
            CountingPass.Scan testScan = testInput.scan(false);
            test = testInput.blocks(testScan, testInput.layout().withNumFeatures(features), labels,
                    RowSplit.all(), parts).slot(RowSplit.TRAIN);
            testRunner = testInput::run;
        }
        return finish(opts, opts.train(), DataLoader::plain, testRunner, train, validation, test, features, labels, null);
    }

    /**
     * Fits the scaling on the training blocks, caches the three splits' blocks scaled and counts them: the
     * end of every way in (text files, generated data, tables).
     *
     * @param where names the data in the message for an empty training split
     * @param trainRunner runs the actions over the training data's blocks (and the validation blocks)
     * @param testRunner runs the action over the test blocks
     */
    static PreparedData finish(DataOptions opts, String where, Runner trainRunner, Runner testRunner,
                                       JavaRDD<Block> train, JavaRDD<Block> validation, JavaRDD<Block> test,
                                       int features, LabelIndex labels, List<String> featureNames) {
        boolean regression = labels == null;
        FeatureScaling scaling = null;
        if (opts.standardize()) {
            JavaRDD<Block> raw = train;
            scaling = trainRunner.run(() -> FeatureScaling.fit(raw, regression));
        }
        int classes = regression ? 0 : labels.size();
        JavaRDD<Block> trainCached = cache(train, scaling, "train");
        List<long[]> perBlock = trainRunner.run(() -> countBlocks(trainCached, classes));
        long[] trainCounts = total(perBlock, classes);
        long[] trainPartitionRows = perBlock.stream().mapToLong(c -> c[0]).toArray();
        if (trainCounts[0] == 0) {
            throw DataException.of(where, "the training split has no rows, expected some (lower the test"
                    + " and validation fractions, or give more data)");
        }
        JavaRDD<Block> validationCached = validation == null ? null : cache(validation, scaling, "validation");
        long validationRows = validation == null ? 0 : trainRunner.run(() -> count(validationCached, 0))[0];
        JavaRDD<Block> testCached = test == null ? null : cache(test, scaling, "test");
        long testRows = test == null ? 0 : testRunner.run(() -> count(testCached, 0))[0];
        long[] classCounts = null;
        if (!regression) {
            classCounts = Arrays.copyOfRange(trainCounts, 1, trainCounts.length);
        }
        return new PreparedData(trainCached, validationCached, testCached, features, labels, scaling, trainCounts[0],
                validationRows, testRows, featureNames, classCounts, trainPartitionRows);
    }

    /**
     * Reads a data set for evaluation or prediction with a saved model: data.test when set, else
     * data.train (synthetic: the test split of the generated set, or all of it without a test fraction).
     * See {@link #loadForModel(JavaSparkContext, DataOptions, String, int, LabelIndex, FeatureScaling)}.
     */
    public static JavaRDD<Block> loadForModel(JavaSparkContext sc, DataOptions opts, int numFeatures,
                                              LabelIndex labels, FeatureScaling scaling) {
        String path = opts.test() != null && !opts.test().isBlank() ? opts.test() : opts.train();
        return loadForModel(sc, opts, path, numFeatures, labels, scaling);
    }

    /**
     * Reads {@code path} (format, header, label column from {@code opts}) for a model of
     * {@code numFeatures} features: every row, in file order, in data.partitions blocks, standardised with
     * {@code scaling} (if not null), cached ({@code MEMORY_ONLY}) and materialised; the caller unpersists.
     * A CSV with exactly {@code numFeatures} columns and no data.labelColumn is unlabelled: y = NaN.
     *
     * @param labels the model's classes (block labels are their indices; another label is an error),
     *               or null for regression (labels are targets)
     * @param scaling the model's standardisation, or null
     * @throws DataException when the feature count differs from the model's (both named), or a label is
     *               not one of the model's classes (file:line, label, known labels)
     */
    public static JavaRDD<Block> loadForModel(JavaSparkContext sc, DataOptions opts, String path, int numFeatures,
                                              LabelIndex labels, FeatureScaling scaling) {
        if (scaling != null && scaling.features() != numFeatures) {
            throw new IllegalArgumentException("the model's scaling has " + scaling.features()
                    + " features, its input " + numFeatures);
        }
        if (opts.format().tabular()) {
            throw DataException.of(path, "data.format = " + opts.format().name().toLowerCase(java.util.Locale.ROOT)
                    + ": evaluate and predict read csv, libsvm or synthetic data; expected one of those (score a table"
                    + " from Spark code with the spark-ml module's model)");
        }
        int parts = partitions(sc, opts);
        JavaRDD<Block> blocks;
        Runner runner;
        if (opts.format() == DataOptions.DataFormat.SYNTHETIC) {
            SyntheticData gen = new SyntheticData(opts.synthetic());
            if (gen.features() != numFeatures) {
                throw DataException.of("synthetic.features is " + gen.features() + ", expected "
                        + numFeatures + " (the model's number of features)");
            }
            if ((labels == null) != (gen.labels() == null)) {
                throw DataException.of("synthetic.kind is " + opts.synthetic().kind() + ", expected "
                        + (labels == null ? "regression (the model's labels are real-valued)" : "a classification"
                        + " generator (the model's classes are " + labels.describe(20) + ")"));
            }
            if (labels != null && !labels.equals(gen.labels())) {
                throw DataException.of("synthetic.classes is " + gen.options().classes()
                        + ", expected the model's classes " + labels.describe(20));
            }
            RowSplit split = opts.testFraction() > 0
                    ? new RowSplit(opts.seed(), opts.testFraction(), opts.validationFraction()) : RowSplit.all();
            blocks = gen.blocks(sc, parts, split, split.hasTest() ? RowSplit.TEST : RowSplit.TRAIN);
            runner = DataLoader::plain;
        } else {
            TextInput input = TextInput.open(sc, path, opts, labels == null,
                    new LayoutDetector.Expect(numFeatures, "the model's", true), parts);
            CountingPass.Scan scan = input.scan(false);
            blocks = input.blocks(scan, input.layout().withNumFeatures(numFeatures), labels,
                    RowSplit.all(), parts).slot(RowSplit.TRAIN);
            runner = input::run;
        }
        JavaRDD<Block> cached = cache(blocks, scaling, "data");
        runner.run(() -> count(cached, 0));
        return cached;
    }

    // ------------------------------------------------------------------ helpers

    /** Rows of each block, in partition order (one small job over the cached blocks). */
    public static long[] partitionRows(JavaRDD<Block> blocks) {
        return blocks.map(Block::rows).collect().stream().mapToLong(Integer::longValue).toArray();
    }

    /** data.partitions, or Spark's default parallelism when 0. */
    static int partitions(JavaSparkContext sc, DataOptions opts) {
        return opts.partitions() > 0 ? opts.partitions() : sc.defaultParallelism();
    }

    /** Runs a Spark action, rethrowing task errors as their {@link DataException}. */
    @FunctionalInterface
    interface Runner {
        <T> T run(Supplier<T> action);
    }

    static <T> T plain(Supplier<T> action) {
        try {
            return action.get();
        } catch (Exception e) {
            throw DataException.unwrap(e);
        }
    }

    /**
     * {@code data} with its validation rows appended to the training rows of the same partition ({@link Block#concat})
     * and no validation split: for a run that has no use for a validation split. The merged training blocks are not
     * cached again (each task concatenates the two cached blocks), so the caller's {@link PreparedData#unpersist()}
     * of {@code data} still frees everything. One job counts the validation rows' classes.
     *
     * @throws IllegalArgumentException when {@code data} has no validation split
     */
    public static PreparedData withValidationInTraining(PreparedData data) {
        if (data.validation() == null) throw new IllegalArgumentException("the data has no validation split to train on");
        JavaRDD<Block> merged = data.train().zipPartitions(data.validation(), (a, b) -> {
            Block m = null;
            while (a.hasNext()) m = m == null ? a.next() : Block.concat(m, a.next());
            while (b.hasNext()) m = m == null ? b.next() : Block.concat(m, b.next());
            return m == null ? java.util.Collections.emptyIterator() : List.of(m).iterator();
        }).setName("train+validation");
        long[] classCounts = data.trainClassCounts();
        if (classCounts != null) {
            long[] v = count(data.validation(), classCounts.length);
            classCounts = classCounts.clone();
            for (int c = 0; c < classCounts.length; c++) classCounts[c] += v[1 + c];
        }
        return new PreparedData(merged, null, data.test(), data.numFeatures(), data.labels(), data.scaling(),
                data.trainRows() + data.validationRows(), 0, data.testRows(), data.featureNames(), classCounts, null);
    }

    /**
     * {@code blocks} scaled and persisted {@code MEMORY_ONLY}. Scaling is in place: the blocks here are
     * computed afresh in each task (generated, or assembled from shuffled chunks) and never cached
     * unscaled, so the task holds one copy of its partition, not two.
     */
    private static JavaRDD<Block> cache(JavaRDD<Block> blocks, FeatureScaling scaling, String name) {
        JavaRDD<Block> out = scaling == null ? blocks : blocks.map(b -> scaling.applyInPlace(b));
        return out.setName(name).persist(StorageLevel.MEMORY_ONLY());
    }

    /** Materialises {@code blocks}: [rows, rows of class 0, rows of class 1, ...]. */
    private static long[] count(JavaRDD<Block> blocks, int classes) {
        return total(countBlocks(blocks, classes), classes);
    }

    /** Materialises {@code blocks}: per block, in partition order, [rows, rows of class 0, rows of class 1, ...]. */
    private static List<long[]> countBlocks(JavaRDD<Block> blocks, int classes) {
        return blocks.map(b -> {
            long[] c = new long[1 + classes];
            c[0] = b.rows();
            if (classes > 0) {
                for (float y : b.y()) {
                    c[1 + (int) y]++;
                }
            }
            return c;
        }).collect();
    }

    private static long[] total(List<long[]> per, int classes) {
        long[] total = new long[1 + classes];
        for (long[] c : per) {
            for (int i = 0; i < total.length; i++) {
                total[i] += c[i];
            }
        }
        return total;
    }

    /** Partitions {@code [from, to)} of {@code rdd} (renumbered from 0), without computing the others. */
    static <T> JavaRDD<T> partitionRange(JavaRDD<T> rdd, int from, int to) {
        RDD<T> pruned = PartitionPruningRDD.create(rdd.rdd(), new PartitionRange(from, to));
        return new JavaRDD<>(pruned, rdd.classTag());
    }

    /** Keeps partition indices in [from, to). */
    private static final class PartitionRange extends AbstractFunction1<Object, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int from;
        private final int to;

        PartitionRange(int from, int to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public Object apply(Object index) {
            int i = (Integer) index;
            return i >= from && i < to;
        }
    }
}
