package io.sparkmlp.driver.train;

import io.sparkmlp.driver.checkpoint.Checkpoint;
import io.sparkmlp.driver.checkpoint.Checkpointer;
import io.sparkmlp.driver.data.StorageCheck;
import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.output.MetricsLog;
import io.sparkmlp.driver.output.Progress;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.driver.output.StepRecorder;
import io.sparkmlp.driver.step.BatchPlan;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.step.PartitionWorker;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.driver.transport.StepTransport;

import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.config.TrainOptions;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import io.sparkmlp.kernel.optim.LrSchedule;
import io.sparkmlp.kernel.optim.Optimizer;
import io.sparkmlp.kernel.optim.OptimizerSpec;
import io.sparkmlp.kernel.optim.Optimizers;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The training loop: synchronous data-parallel mini-batch gradient descent.
 *
 * <pre>
 * for t in 0..T−1:
 *     (Σ∇, Σloss, n) = transport.gradient(w_t, t)      // partitions' sums, merged in partition order
 *     g = Σ∇ / n ; clip(g) ; w_{t+1} = optimizer.step(w_t, g, η(t))
 *     every evalEvery steps: validation metrics (and early stopping)
 *     every checkpointEvery steps: a checkpoint (weights, optimizer state, counters)
 * </pre>
 *
 * Every random choice derives from the configured seeds, so the same data, config and partition
 * count give the same bits.
 */
public final class Trainer {

    /** Steps the automatic epoch count aims for (capped to {@link #AUTO_MAX_EPOCHS} epochs, at least one). */
    static final long AUTO_TARGET_STEPS = 4000;
    static final int AUTO_MAX_EPOCHS = 200;
    /** Evaluations in a run when {@code train.evalEvery} is auto. */
    static final long AUTO_EVALUATIONS = 50;
    /** Rows of metrics.csv in a run when {@code train.logEvery} is auto. */
    static final long AUTO_LOG_ROWS = 200;

    private final JavaSparkContext sc;
    private final TrainConfig cfg;
    private final PrintStream log;
    private final RunOutput output;
    private StepRecorder recorder;

    public Trainer(JavaSparkContext sc, TrainConfig cfg, RunOutput output, PrintStream log) {
        this.sc = sc;
        this.cfg = cfg;
        this.output = output;
        this.log = log;
    }

    /** The network for the data: hidden sizes from the config; output and loss from the task. */
    static Architecture architectureFor(int features, int classes, boolean regression, int[] hidden, Activation activation) {
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = features;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        OutputLoss loss;
        int outputs;
        if (regression) {
            loss = OutputLoss.IDENTITY_MSE;
            outputs = 1;
        } else if (classes == 2) {
            loss = OutputLoss.SIGMOID_BINARY_CROSS_ENTROPY;
            outputs = 1;
        } else {
            loss = OutputLoss.SOFTMAX_CROSS_ENTROPY;
            outputs = classes;
        }
        sizes[sizes.length - 1] = outputs;
        return new Architecture(sizes, activation, loss);
    }

    /** The global batch: as configured; when left at its default, no more than a tenth of a small training set. */
    static int effectiveBatch(TrainConfig cfg, long trainRows) {
        int configured = cfg.train().batchSize();
        if (configured == TrainOptions.FULL_BATCH) return -1;
        if (cfg.isSet("train.batchSize")) {
            if (configured > trainRows) {
                throw new IllegalArgumentException("train.batchSize = " + configured + ": expected at most the "
                        + trainRows + " rows of the training split (or full)");
            }
            return configured;
        }
        long small = Math.max(16, trainRows / 10);
        return (int) Math.min(Math.min(configured, small), trainRows);
    }

    public TrainResult run() throws IOException {
        return run(null);
    }

    /**
     * Trains on {@code prepared} (e.g. a DataFrame's blocks), or, when it is null, on the data the
     * configuration's {@code data.*} keys name, loaded here.
     */
    public TrainResult run(PreparedData prepared) throws IOException {
        TrainOptions t = cfg.train();
        Checkpointer checkpoints = new Checkpointer(cfg, output.dir(), log);
        Checkpoint resume = checkpoints.resumePoint();
        PreparedData data = prepared;
        if (data == null) {
            log.println("sparkmlp: loading data (" + cfg.data().format().name().toLowerCase(Locale.ROOT) + ")");
            data = DataLoader.prepare(sc, checkpoints.dataOptions(resume));
        }
        StorageCheck.requireCached(sc, data);
        boolean regression = data.labels() == null;
        int classes = regression ? 0 : data.labels().size();
        Architecture arch = architectureFor(data.numFeatures(), classes, regression, cfg.model().hidden(), cfg.model().activation());

        long[] partitionRows = DataLoader.partitionRows(data.train());
        int batch = effectiveBatch(cfg, data.trainRows());
        BatchPlan plan = batch < 0 ? BatchPlan.fullBatch(partitionRows) : BatchPlan.of(partitionRows, batch);
        long stepsPerEpoch = plan.stepsPerEpoch();
        int epochs = t.epochs() > 0 ? t.epochs()
                : (int) Math.max(1, Math.min(AUTO_MAX_EPOCHS, (AUTO_TARGET_STEPS + stepsPerEpoch - 1) / stepsPerEpoch));
        long totalSteps = plan.stepsFor(epochs);
        if (t.maxSteps() > 0) totalSteps = Math.min(totalSteps, t.maxSteps());
        long evalEvery = t.evalEvery() > 0 ? t.evalEvery() : Math.max(1, (totalSteps + AUTO_EVALUATIONS - 1) / AUTO_EVALUATIONS);
        long logEvery = t.logEvery() > 0 ? t.logEvery() : Math.max(1, (totalSteps + AUTO_LOG_ROWS - 1) / AUTO_LOG_ROWS);
        if (resume != null) checkpoints.verify(resume, partitionRows, arch, totalSteps);

        log.println("sparkmlp: " + data.trainRows() + " training rows in " + plan.partitions() + " partitions, "
                + data.validationRows() + " validation, " + data.testRows() + " test; " + data.numFeatures() + " features"
                + (regression ? ", regression" : ", " + classes + " classes"));
        for (String line : arch.describeLayers()) log.println("sparkmlp:   " + line);
        log.println("sparkmlp: batch " + plan.globalBatch() + (plan.isFullBatch() ? " (full batch)" : "")
                + ", " + stepsPerEpoch + " steps/epoch, " + totalSteps + " steps (" + String.format(Locale.ROOT, "%.2f", plan.epochsAfter(totalSteps)) + " epochs), optimizer "
                + t.optimizer().name().toLowerCase(Locale.ROOT) + ", learning rate " + t.learningRate());

        log.println("sparkmlp: kernel backend " + executorBackend(arch));

        Parameters params = Parameters.initialize(arch, t.seed());
        OptimizerSpec spec = new OptimizerSpec(t.optimizer(), t.momentum(), t.beta1(), t.beta2(), OptimizerSpec.DEFAULT_EPSILON,
                t.weightDecay(), t.clipNorm());
        Optimizer optimizer = Optimizers.create(spec, arch);
        LrSchedule schedule = new LrSchedule(t.lrSchedule(), t.learningRate(), t.warmupSteps(), t.stepSize(), t.gamma(),
                Math.max(totalSteps, t.warmupSteps() + 1), t.minLearningRate());

        float targetScale = regression && data.scaling() != null ? data.scaling().targetStd() : 1f;
        Evaluator.Task task = new Evaluator.Task(arch, cfg.model().backend(), classes, targetScale);
        StepContext ctx = new StepContext(arch, cfg.model().backend(), t.seed(), plan);

        float[] grad = new float[arch.parameterCount()];
        float[] w = params.flat();
        Progress progress = Progress.forStream(log, totalSteps);
        recorder = new StepRecorder(arch);
        double runningLoss = 0;
        long runningCount = 0;
        long samples = 0;
        double lastGradNorm = 0;
        EvalMetrics lastValidation = null;
        double bestValidationLoss = Double.POSITIVE_INFINITY;
        float[] best = null;
        long bestStep = 0;
        int evaluationsWithoutImprovement = 0;
        long step = 0;
        boolean stoppedEarly = false;
        if (resume != null) {
            Checkpoint.Loop s = resume.loop();
            System.arraycopy(resume.weights(), 0, w, 0, w.length);
            optimizer.restore(resume.optimizer());
            step = resume.step();
            samples = s.samples();
            runningLoss = s.runningLoss();
            runningCount = s.runningCount();
            lastGradNorm = s.lastGradNorm();
            lastValidation = s.lastValidation();
            bestValidationLoss = s.bestValidationLoss();
            bestStep = s.bestStep();
            evaluationsWithoutImprovement = s.evaluationsWithoutImprovement();
            best = s.best();
            progress.resumeAfter(s.elapsedSeconds());
            if (lastValidation != null) progress.validation(describe(lastValidation, regression));
        }
        try (StepTransport transport = StepTransports.create(t.transport(), cfg.isSet("train.transport"), sc, data.train(),
                data.validation(), task, ctx, totalSteps, log);
             MetricsLog metrics = output.openMetrics(arch.numLayers(), resume == null ? List.of() : resume.loop().metricsRows())) {
            while (step < totalSteps) {
                long stepStart = System.nanoTime();
                GradientPartial sum = transport.gradient(w, step);
                double loss = sum.meanLoss();
                if (!Double.isFinite(loss)) {
                    throw new DivergenceException(step + 1, loss, t.learningRate(), checkpoints.lastGood());
                }
                sum.meanInto(grad);
                recorder.gradient(sum, grad);
                double lr = schedule.rate(step);
                optimizer.step(w, grad, lr);
                recorder.stepTime(System.nanoTime() - stepStart);
                lastGradNorm = optimizer.lastGradientNorm();
                if (!params.allFinite()) {
                    throw new DivergenceException(step + 1, Double.NaN, t.learningRate(), checkpoints.lastGood());
                }
                step++;
                samples += sum.count();
                runningLoss += sum.lossSum();
                runningCount += sum.count();

                boolean last = step == totalSteps;
                if (data.validation() != null && (step % evalEvery == 0 || last)) {
                    lastValidation = transport.evaluate(w, step);
                    if (lastValidation == null) {
                        transport.release();
                        lastValidation = Evaluator.evaluate(sc, data.validation(), task, w, "sparkmlp validation at step " + step);
                    }
                    progress.validation(describe(lastValidation, regression));
                    if (lastValidation.meanLoss() < bestValidationLoss) {
                        bestValidationLoss = lastValidation.meanLoss();
                        bestStep = step;
                        evaluationsWithoutImprovement = 0;
                        if (t.keepBest() || t.earlyStoppingPatience() > 0) best = w.clone();
                    } else {
                        evaluationsWithoutImprovement++;
                    }
                }
                if (step % logEvery == 0 || last) {
                    recorder.row(metrics, step, plan.epochsAfter(step), runningLoss / runningCount, lastValidation, regression,
                            lr, lastGradNorm, samples / Math.max(progress.elapsedSeconds(), 1e-9), progress.elapsedSeconds());
                }
                progress.step(step, plan.epochsAfter(step), runningLoss / runningCount, samples, last);
                if (step % logEvery == 0) {
                    runningLoss = 0;
                    runningCount = 0;
                }
                if (t.earlyStoppingPatience() > 0 && evaluationsWithoutImprovement >= t.earlyStoppingPatience()) {
                    progress.finish();
                    log.println("sparkmlp: early stopping at step " + step + ": validation loss has not improved for "
                            + evaluationsWithoutImprovement + " evaluations");
                    stoppedEarly = true;
                    break;
                }
                if (checkpoints.due(step, totalSteps)) {
                    checkpoints.save(step, totalSteps, partitionRows, arch, w, optimizer.state(), new Checkpoint.Loop(samples,
                            runningLoss, runningCount, lastGradNorm, bestValidationLoss, bestStep,
                            evaluationsWithoutImprovement, best, lastValidation, progress.elapsedSeconds(), metrics.rows()));
                }
            }
            metrics.commit();
        } finally {
            progress.finish();
        }
        long weightsStep = step;
        if (best != null && (t.keepBest() || stoppedEarly) && bestStep != step) {
            weightsStep = bestStep;
            log.println("sparkmlp: keeping the weights of step " + bestStep + " (lowest validation loss "
                    + fmt(bestValidationLoss) + ")");
            params.setFlat(best);
            // Re-evaluated rather than remembered, so a resumed run reports exactly what an uninterrupted one does.
            lastValidation = Evaluator.evaluate(sc, data.validation(), task, w, "sparkmlp validation of the kept weights");
        }
        double trainSeconds = progress.elapsedSeconds();

        EvalMetrics test = data.test() == null ? null
                : Evaluator.evaluate(sc, data.test(), task, w, "sparkmlp test evaluation");
        if (test != null) log.println("sparkmlp: test " + describe(test, regression) + ", loss " + fmt(test.meanLoss()));
        return new TrainResult(arch, params, data, plan, test, lastValidation, step, plan.epochsAfter(step), trainSeconds,
                samples / Math.max(trainSeconds, 1e-9), stoppedEarly, weightsStep);
    }

    /** The matrix backend the kernel resolves to on an executor (native BLAS is a property of the executor host). */
    private String executorBackend(Architecture arch) {
        io.sparkmlp.kernel.Backend backend = cfg.model().backend();
        sc.setJobDescription("sparkmlp kernel backend");
        return sc.parallelize(java.util.List.of(0), 1).map(i -> PartitionWorker.backendName(arch, backend)).first();
    }

    /** The logged steps of the last {@link #run} (empty before it): metrics, per-layer gradient norms, timing. */
    public StepRecorder history() {
        return recorder;
    }

    static String describe(EvalMetrics m, boolean regression) {
        return regression ? "rmse " + fmt(m.rmse()) : "accuracy " + fmt(m.accuracy());
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
