package io.sparkmlp.driver.train;

import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.data.LabelIndex;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.step.PartitionWorker;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.driver.transport.StepTransport;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Training data held in this JVM as blocks: steps through an {@link InMemoryTransport}, evaluations with
 * {@link Evaluator#evaluateBlock} on each block summed in partition order (what the Spark job sums). So the
 * training loop runs in milliseconds without a SparkContext, with the bits of a Spark run on the same blocks.
 *
 * @param prepared the description of the data (its RDDs are null: the blocks are here)
 * @param validation validation blocks, or null
 * @param test test blocks, or null
 * @param transports wraps each transport made (a test's hook into the steps); identity for none
 * @param slots the task slots its transports hold while started; evaluations and the kernel backend, Spark jobs on a
 *        cluster, fail while they do
 */
record InMemoryData(PreparedData prepared, List<Block> train, List<Block> validation, List<Block> test,
                    UnaryOperator<StepTransport> transports, InMemoryTransport.Slots slots) implements TrainingData {

    InMemoryData(PreparedData prepared, List<Block> train, List<Block> validation, List<Block> test,
                 UnaryOperator<StepTransport> transports) {
        this(prepared, train, validation, test, transports, new InMemoryTransport.Slots());
    }

    /** The same blocks, each transport wrapped by {@code wrap}. */
    InMemoryData withTransports(UnaryOperator<StepTransport> wrap) {
        return new InMemoryData(prepared, train, validation, test, wrap, slots);
    }

    @Override
    public long[] partitionRows() {
        return train.stream().mapToLong(Block::rows).toArray();
    }

    @Override
    public boolean has(Split split) {
        return blocks(split) != null;
    }

    @Override
    public StepTransport transport(RunPlan plan, StepContext ctx, Evaluator.Task task, PrintStream log) {
        return transports.apply(new InMemoryTransport(train, ctx, slots));
    }

    @Override
    public EvalMetrics evaluate(Split split, Evaluator.Task task, float[] weights, String description) {
        slots.requireFree("'" + description + "'");
        List<EvalMetrics> parts = new ArrayList<>();
        for (Block b : blocks(split)) parts.add(Evaluator.evaluateBlock(b, task, weights));
        return EvalMetrics.sumInOrder(parts);
    }

    @Override
    public String kernelBackend(Architecture arch, Backend backend) {
        slots.requireFree("the kernel backend's look-up");
        return PartitionWorker.backendName(arch, backend);
    }

    @Override
    public InMemoryData withValidationInTraining() {
        List<Block> merged = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) merged.add(Block.concat(train.get(i), validation.get(i)));
        long[] classes = prepared.trainClassCounts() == null ? null : prepared.trainClassCounts().clone();
        if (classes != null) {
            for (Block b : validation) for (float y : b.y()) classes[(int) y]++;
        }
        PreparedData p = prepared;
        return new InMemoryData(new PreparedData(null, null, null, p.numFeatures(), p.labels(), p.scaling(),
                p.trainRows() + p.validationRows(), 0, p.testRows(), p.featureNames(), classes, null), merged, null, test,
                transports, slots);
    }

    private List<Block> blocks(Split split) {
        return switch (split) {
            case VALIDATION -> validation;
            case TEST -> test;
        };
    }

    /**
     * Gaussian blobs, one per class, in {@code features} dimensions: centres {@code ~ N(0, spread²)}, rows
     * {@code centre + N(0, 1)}, classes uniform; everything from {@code seed}. Train, validation and test come
     * from one sequence of rows, in that order.
     *
     * @param partitionRows training rows of each partition; validation and test get as many partitions
     */
    static InMemoryData blobs(int features, int classes, double spread, long[] partitionRows, int validationRows,
                              int testRows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] centres = new float[classes * features];
        for (int i = 0; i < centres.length; i++) centres[i] = (float) (spread * r.nextGaussian());
        long[] classCounts = new long[classes];
        List<Block> train = new ArrayList<>();
        for (int p = 0; p < partitionRows.length; p++) {
            train.add(block(p, (int) partitionRows[p], features, classes, centres, r, classCounts));
        }
        List<Block> validation = validationRows == 0 ? null : split(validationRows, partitionRows.length, features,
                classes, centres, r);
        List<Block> test = testRows == 0 ? null : split(testRows, partitionRows.length, features, classes, centres, r);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) names.add(Integer.toString(k));
        long trainRows = 0;
        for (long n : partitionRows) trainRows += n;
        PreparedData description = new PreparedData(null, null, null, features, LabelIndex.ofOrdered(names), null,
                trainRows, validationRows, testRows, null, classCounts, null);
        return new InMemoryData(description, train, validation, test, UnaryOperator.identity());
    }

    /**
     * XOR: rows at the four corners {@code (±1, ±1)} plus {@code N(0, noise²)}, label 1 when the signs differ; the
     * corners drawn uniformly from {@code seed}.
     *
     * @param partitionRows training rows of each partition (multiples of 4); validation and test get two blocks
     */
    static InMemoryData xor(long[] partitionRows, int validationRows, int testRows, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] classCounts = new long[2];
        List<Block> train = new ArrayList<>();
        for (int p = 0; p < partitionRows.length; p++) train.add(xorBlock(p, (int) partitionRows[p], noise, r, classCounts));
        List<Block> validation = validationRows == 0 ? null : List.of(xorBlock(0, validationRows / 2, noise, r,
                new long[2]), xorBlock(1, validationRows - validationRows / 2, noise, r, new long[2]));
        List<Block> test = List.of(xorBlock(0, testRows / 2, noise, r, new long[2]),
                xorBlock(1, testRows - testRows / 2, noise, r, new long[2]));
        long trainRows = 0;
        for (long n : partitionRows) trainRows += n;
        PreparedData description = new PreparedData(null, null, null, 2, LabelIndex.ofOrdered(List.of("0", "1")), null,
                trainRows, validationRows, testRows, null, classCounts, null);
        return new InMemoryData(description, train, validation, test, UnaryOperator.identity());
    }

    private static Block xorBlock(int partition, int rows, double noise, SplittableRandom r, long[] classCounts) {
        float[] x = new float[rows * 2];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            int corner = r.nextInt(4);
            int a = corner & 1, b = corner >> 1;
            x[2 * i] = (float) (2 * a - 1 + noise * r.nextGaussian());
            x[2 * i + 1] = (float) (2 * b - 1 + noise * r.nextGaussian());
            y[i] = a ^ b;
            classCounts[a ^ b]++;
        }
        return new Block(partition, rows, 2, x, y);
    }

    private static List<Block> split(int rows, int partitions, int features, int classes, float[] centres,
                                     SplittableRandom r) {
        List<Block> blocks = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int n = (int) ((long) (p + 1) * rows / partitions - (long) p * rows / partitions);
            blocks.add(block(p, n, features, classes, centres, r, new long[classes]));
        }
        return blocks;
    }

    private static Block block(int partition, int rows, int features, int classes, float[] centres, SplittableRandom r,
                               long[] classCounts) {
        float[] x = new float[rows * features];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            int k = r.nextInt(classes);
            classCounts[k]++;
            y[i] = k;
            for (int j = 0; j < features; j++) x[i * features + j] = (float) (centres[k * features + j] + r.nextGaussian());
        }
        return new Block(partition, rows, features, x, y);
    }
}
