package io.sparkmlp.driver.train;

import io.sparkmlp.driver.checkpoint.Checkpoint;
import io.sparkmlp.driver.checkpoint.Checkpointer;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.config.TrainOptions;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.output.MetricsLog;
import io.sparkmlp.driver.output.Progress;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.driver.output.StepRecorder;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.driver.train.TrainingData.Split;
import io.sparkmlp.driver.transport.StepTransport;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import io.sparkmlp.kernel.Ranges;
import io.sparkmlp.kernel.Reductions;
import io.sparkmlp.kernel.optim.Lbfgs;
import io.sparkmlp.kernel.optim.LbfgsSpec;
import io.sparkmlp.kernel.optim.LrSchedule;
import io.sparkmlp.kernel.optim.Optimizer;
import io.sparkmlp.kernel.optim.OptimizerKind;
import io.sparkmlp.kernel.optim.OptimizerSpec;
import io.sparkmlp.kernel.optim.OptimizerState;
import io.sparkmlp.kernel.optim.Optimizers;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The training loop: synchronous data-parallel mini-batch gradient descent, or full-batch L-BFGS.
 *
 * <pre>
 * for t in 0..T−1:
 *     (g = Σ∇ / n, Σloss, n) = transport.meanGradient(w_t, t)   // partitions' sums, merged in partition order
 *     clip(g) ; w_{t+1} = optimizer.step(w_t, g, η(t))
 *     every evalEvery steps: validation metrics (and early stopping)
 *     every checkpointEvery steps: a checkpoint (weights, optimizer state, counters)
 * </pre>
 *
 * With {@code train.optimizer = lbfgs} ({@link Lbfgs}) a step is one evaluation of the mean loss and gradient over
 * the whole training split, through the same transport and step numbering: at step t the transport evaluates
 * {@code x_t = solver.nextPoint()} (the initial weights, then line-search trials), the solver is told
 * {@code (L(x_t), ∇L(x_t))}, and the weights {@code w} are the solver's accepted point. So {@code steps} in
 * metrics.csv and summary.json count evaluations (the solver's iterations are at most as many); T bounds them and
 * the solver may stop sooner ({@code train.tol}, a vanishing gradient, or a line search that finds no step).
 * Validation runs after every {@code evalEvery}-th accepted iteration and at the end; early stopping, keep-best and
 * checkpoints (which carry the solver's state, also mid line search) work as for the other optimizers.
 *
 * It takes prepared data ({@link TrainingData}) and needs no SparkContext of its own: where the blocks live and
 * how steps and evaluations reach them is the data's business. Every random choice derives from the configured
 * seeds, so the same data, config and partition count give the same bits.
 */
public final class Trainer {

    private final TrainConfig cfg;
    private final PrintStream log;
    private StepRecorder recorder;

    /** @param log where the run's progress and results are printed */
    public Trainer(TrainConfig cfg, PrintStream log) {
        this.cfg = cfg;
        this.log = log;
    }

    /**
     * The optimizer's step on {@code w} and the check that the new weights are finite, part by part in one pass run by
     * {@code ranges} (each part checked right after its update, while it is in the cache).
     *
     * @return whether every weight is finite after the step
     */
    static boolean update(Optimizer optimizer, float[] w, float[] grad, double lr, double norm, Ranges ranges) {
        AtomicBoolean finite = new AtomicBoolean(true);
        optimizer.step(w, grad, lr, norm, (n, update) -> ranges.forEach(n, (from, to) -> {
            update.run(from, to);
            if (!Reductions.allFinite(w, from, to)) finite.set(false);
        }));
        return finite.get();
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

    /**
     * Trains a network on {@code data}: metrics.csv goes to {@code output}, checkpoints to {@code checkpoints}.
     *
     * @param checkpoints where checkpoints go (its directory is the output's)
     * @param resume the checkpoint to continue from ({@link Checkpointer#resumePoint()}), or null for a fresh run
     * @throws DivergenceException when the loss or the weights become non-finite
     */
    public TrainResult train(TrainingData data, RunOutput output, Checkpointer checkpoints, Checkpoint resume)
            throws IOException {
        long entered = System.nanoTime();
        PreparedData prepared = data.prepared();
        boolean regression = prepared.labels() == null;
        int classes = regression ? 0 : prepared.labels().size();
        Architecture arch = architectureFor(prepared.numFeatures(), classes, regression, cfg.model().hidden(),
                cfg.model().activation());
        long[] partitionRows = data.partitionRows();
        OptimizerChoice choice = OptimizerChoice.of(cfg, prepared.trainRows(), arch.parameterCount());
        if (choice.automatic()) log.println("sparkmlp: " + choice.describe());
        TrainConfig run = choice.apply(cfg);
        if (data.has(Split.VALIDATION) && EarlyStopping.trainsOnValidation(cfg, run.train().optimizer())) {
            log.println("sparkmlp: L-BFGS trains on the " + prepared.validationRows() + " validation rows too (it stops"
                    + " at train.tol; set data.validationFraction, train.earlyStoppingPatience or train.keepBest to"
                    + " hold them out)");
            data = data.withValidationInTraining();
            prepared = data.prepared();
            partitionRows = data.partitionRows();
        }
        RunPlan plan = RunPlan.of(run, partitionRows, data.has(Split.VALIDATION) ? prepared.validationRows() : 0);
        if (resume != null) checkpoints.verify(resume, partitionRows, arch, plan.totalSteps());
        float targetScale = regression && prepared.scaling() != null ? prepared.scaling().targetStd() : 1f;
        Evaluator.Task task = new Evaluator.Task(arch, cfg.model().backend(), classes, targetScale);
        StepContext ctx = new StepContext(arch, cfg.model().backend(), run.train().seed(), plan.batch());
        // On a cluster a Spark job of its own: before the transport starts, whose stage then holds every task slot
        // (a job submitted after that waits for a slot until the run ends, and the run waits for the job)
        String backend = data.kernelBackend(arch, cfg.model().backend());
        // Started before the rest, so that the stage launches and its tasks connect while the run is described and set up.
        StepTransport transport = data.transport(plan, ctx, task, log);
        KernelWarmup warmup = null;
        Run r;
        try {
            transport.start();
            describe(run.train(), prepared, arch, plan, classes);
            log.println("sparkmlp: kernel backend " + backend);
            recorder = new StepRecorder(arch);
            // the run's own shapes warmed while it starts, unless the start-up warm-up compiled the step code already:
            // then it would only take a processor from the first steps (measured: first step 0.15-0.23 s without it,
            // 0.20-0.34 s with it)
            boolean compiled = StartupWarmup.warmed(cfg.model().activation(), cfg.model().backend());
            warmup = data.stepsRunInThisJvm() && !compiled ? KernelWarmup.start(task, largestPartitionBatch(plan)) : null;
            r = new Run(run, data, output, checkpoints, plan, task, partitionRows, entered, warmup);
        } catch (RuntimeException | Error e) {
            if (warmup != null) warmup.close();
            transport.close();
            throw e;
        }
        try (KernelWarmup w = warmup) {
            return r.train(resume, transport);
        }
    }

    private static int largestPartitionBatch(RunPlan plan) {
        int b = 0;
        for (int p = 0; p < plan.batch().partitions(); p++) b = Math.max(b, plan.batch().rowsPerStep(p));
        return b;
    }

    /** The logged steps of the last {@link #train} (null before it): metrics, per-layer gradient norms, timing. */
    public StepRecorder history() {
        return recorder;
    }

    /** Logs the data, the network and the plan. */
    private void describe(TrainOptions t, PreparedData d, Architecture arch, RunPlan plan, int classes) {
        log.println("sparkmlp: " + d.trainRows() + " training rows in " + plan.batch().partitions() + " partitions, "
                + d.validationRows() + " validation, " + d.testRows() + " test; " + d.numFeatures() + " features"
                + (d.labels() == null ? ", regression" : ", " + classes + " classes"));
        for (String line : arch.describeLayers()) log.println("sparkmlp:   " + line);
        if (t.optimizer() == OptimizerKind.LBFGS) {
            log.println("sparkmlp: full batch " + plan.batch().globalBatch() + ", at most " + plan.totalSteps()
                    + " evaluations (steps), optimizer " + lbfgsSpec(t, plan.totalSteps()).describe());
            return;
        }
        log.println("sparkmlp: batch " + plan.batch().globalBatch() + (plan.batch().isFullBatch() ? " (full batch)" : "")
                + ", " + plan.batch().stepsPerEpoch() + " steps/epoch, " + plan.totalSteps() + " steps ("
                + String.format(Locale.ROOT, "%.2f", plan.batch().epochsAfter(plan.totalSteps())) + " epochs), optimizer "
                + t.optimizer().name().toLowerCase(Locale.ROOT) + ", learning rate " + t.learningRate());
    }

    /**
     * The solver's settings: history and tolerance as configured, weight decay as the L2 term of its objective, and
     * no more iterations than the run's {@code totalSteps} evaluations (each iteration takes at least one).
     */
    static LbfgsSpec lbfgsSpec(TrainOptions t, long totalSteps) {
        return LbfgsSpec.defaults().withHistorySize(t.lbfgsHistory()).withTolerance(t.tol())
                .withWeightDecay(t.weightDecay()).withMaxIterations((int) Math.min(totalSteps, Integer.MAX_VALUE));
    }

    static String describe(EvalMetrics m, boolean regression) {
        return regression ? "rmse " + fmt(m.rmse()) : "accuracy " + fmt(m.accuracy());
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** One run of the loop: its model, optimizer and counters, from the first (or resumed) step to the result. */
    private final class Run {
        private final TrainingData data;
        private final RunOutput output;
        private final Checkpointer checkpoints;
        private final RunPlan plan;
        private final Evaluator.Task task;
        private final long[] partitionRows;
        private final TrainOptions t;
        private final Architecture arch;
        private final boolean regression;
        private final Parameters params;
        /** The weights: {@code params}' own array, updated in place. */
        private final float[] w;
        private final float[] grad;
        /** The first-order optimizer and its schedule; null with L-BFGS. */
        private final Optimizer optimizer;
        private final LrSchedule schedule;
        /** The L-BFGS solver, whose accepted point {@code w} holds; null with a first-order optimizer. */
        private final Lbfgs solver;
        private final EarlyStopping stopping;
        private final Progress progress;
        private long step;
        private long samples;
        private double runningLoss;
        private long runningCount;
        private double lastGradNorm;
        private EvalMetrics lastValidation;
        /** Training seconds until the evaluation with the lowest validation loss; NaN before one (or from before a resume). */
        private double secondsToBest = Double.NaN;
        /** {@code System.nanoTime()} when {@link Trainer#train} began (the data cached), and when the first step ended (or 0). */
        private final long entered;
        private long firstStepEnded;
        /** Warms the kernels while the transport starts (local mode), until the first step ends; else null. */
        private final KernelWarmup warmup;
        /** Wall time of each validation pass of the loop, in order. */
        private long[] validationNanos = new long[8];
        private int validations;

        Run(TrainConfig run, TrainingData data, RunOutput output, Checkpointer checkpoints, RunPlan plan,
            Evaluator.Task task, long[] partitionRows, long entered, KernelWarmup warmup) {
            this.entered = entered;
            this.warmup = warmup;
            this.t = run.train();
            this.data = data;
            this.output = output;
            this.checkpoints = checkpoints;
            this.plan = plan;
            this.task = task;
            this.partitionRows = partitionRows;
            this.arch = task.architecture();
            this.regression = task.regression();
            this.params = Parameters.initialize(arch, t.seed());
            this.w = params.flat();
            this.grad = new float[arch.parameterCount()];
            if (t.optimizer() == OptimizerKind.LBFGS) {
                this.optimizer = null;
                this.schedule = null;
                this.solver = Lbfgs.forNetwork(lbfgsSpec(t, plan.totalSteps()), arch, w);
            } else {
                this.optimizer = Optimizers.create(new OptimizerSpec(t.optimizer(), t.momentum(), t.beta1(), t.beta2(),
                        OptimizerSpec.DEFAULT_EPSILON, t.weightDecay(), t.clipNorm()), arch);
                this.schedule = new LrSchedule(t.lrSchedule(), t.learningRate(), t.warmupSteps(), t.decaySteps(),
                        t.gamma(), Math.max(plan.totalSteps(), t.warmupSteps() + 1), t.minLearningRate());
                this.solver = null;
            }
            long validationRows = data.prepared().validationRows();
            this.stopping = new EarlyStopping(EarlyStopping.patienceFor(t, plan, validationRows),
                    EarlyStopping.keepBestFor(run, validationRows));
            this.progress = Progress.forStream(log, plan.totalSteps());
        }

        /**
         * Trains with {@code transport} (started) and closes it when the steps end, before the evaluations by Spark
         * jobs that follow (the kept weights', the test split's), which need the task slots its stage holds.
         */
        TrainResult train(Checkpoint resume, StepTransport started) throws IOException {
            boolean stoppedEarly = false;
            try (StepTransport transport = started;
                 MetricsLog metrics = output.openMetrics(arch.numLayers(),
                         resume == null ? List.of() : resume.loop().metricsRows())) {
                if (resume != null) restore(resume);
                long transportReady = System.nanoTime();
                while (step < plan.totalSteps() && !converged()) {
                    boolean accepted;
                    double lr;
                    if (solver == null) {
                        lr = step(transport);
                        accepted = true;
                    } else {
                        lr = Double.NaN; // no learning rate: an empty cell in metrics.csv
                        accepted = evaluate(transport);
                    }
                    if (firstStepEnded == 0) firstStepEnded(transportReady);
                    boolean last = step == plan.totalSteps() || converged();
                    if (data.has(Split.VALIDATION) && validatesNow(accepted, last)) validate(transport);
                    if (plan.logsAfter(step) || last) logRow(metrics, lr);
                    progress.step(step, plan.batch().epochsAfter(step), runningLoss / runningCount, samples, last);
                    if (step % plan.logEvery() == 0) {
                        runningLoss = 0;
                        runningCount = 0;
                    }
                    if (stopping.shouldStop()) {
                        progress.finish();
                        log.println("sparkmlp: early stopping at step " + step + ": validation loss has not improved for "
                                + stopping.evaluationsWithoutImprovement() + " evaluations");
                        stoppedEarly = true;
                        break;
                    }
                    if (!last && checkpoints.due(step, plan.totalSteps())) checkpoint(metrics);
                }
                if (converged()) {
                    progress.finish();
                    log.println("sparkmlp: L-BFGS stopped after " + step + " evaluations, " + solver.iterations()
                            + " iterations: " + stopReason());
                }
                metrics.commit();
            } finally {
                progress.finish();
            }
            long weightsStep = step;
            if (stopping.keepsBest(step, stoppedEarly)) {
                weightsStep = stopping.bestStep();
                keepBest();
            }
            double trainSeconds = progress.elapsedSeconds();
            EvalMetrics test = test();
            boolean validated = lastValidation != null && Double.isFinite(stopping.bestLoss());
            return new TrainResult(arch, params, data.prepared(), plan.batch(), test, lastValidation, step,
                    plan.batch().epochsAfter(step), trainSeconds, samples / Math.max(trainSeconds, 1e-9), stoppedEarly,
                    weightsStep, t.optimizer(), validated ? stopping.bestStep() : -1, validated ? secondsToBest : Double.NaN,
                    startup());
        }

        /** Notes (and logs) the end of this process's first step: how long after the data was cached, and where it went. */
        private void firstStepEnded(long transportReady) {
            firstStepEnded = System.nanoTime();
            if (warmup != null) warmup.close();
            log.println(String.format(Locale.ROOT, "sparkmlp: first step done %.2f s after the data was cached (%.2f s before"
                    + " the step transport was ready, %.2f s for the first round: stage launch, connections, cold kernels)",
                    (firstStepEnded - entered) / 1e9, (transportReady - entered) / 1e9, (firstStepEnded - transportReady) / 1e9));
        }

        private TrainResult.Startup startup() {
            double toFirst = firstStepEnded == 0 ? Double.NaN : (firstStepEnded - entered) / 1e9;
            if (validations == 0) return new TrainResult.Startup(toFirst, Double.NaN, 0);
            long[] sorted = Arrays.copyOf(validationNanos, validations);
            Arrays.sort(sorted);
            double median = (sorted[(validations - 1) / 2] + sorted[validations / 2]) / 2e9;
            return new TrainResult.Startup(toFirst, median, validations);
        }

        /** Continues after the checkpoint's step with its weights, optimizer state and counters. */
        private void restore(Checkpoint resume) {
            Checkpoint.Loop s = resume.loop();
            System.arraycopy(resume.weights(), 0, w, 0, w.length);
            if (solver == null) {
                optimizer.restore(resume.optimizer());
            } else {
                solver.restore(resume.lbfgs());
            }
            step = resume.step();
            samples = s.samples();
            runningLoss = s.runningLoss();
            runningCount = s.runningCount();
            lastGradNorm = s.lastGradNorm();
            lastValidation = s.lastValidation();
            stopping.restore(s);
            progress.resumeAfter(s.elapsedSeconds());
            if (lastValidation != null) progress.validation(describe(lastValidation, regression));
        }

        /**
         * Step {@code step}: the merged gradient, the update of {@code w} in place, the counters.
         *
         * @return the step's learning rate
         */
        private double step(StepTransport transport) {
            long stepStart = System.nanoTime();
            GradientPartial sum = transport.meanGradient(w, step, grad);
            double loss = sum.meanLoss();
            if (!Double.isFinite(loss)) {
                throw new DivergenceException(step + 1, loss, t.learningRate(), checkpoints.lastGood());
            }
            // the norms where they are used: clipping, and the metrics row that follows this step
            boolean norms = t.clipNorm() > 0 || plan.logsAfter(step + 1);
            double norm = recorder.gradient(sum, grad, norms);
            double lr = schedule.rate(step);
            boolean finite = update(optimizer, w, grad, lr, norm, transport.ranges());
            recorder.stepTime(System.nanoTime() - stepStart);
            if (norms) lastGradNorm = optimizer.lastGradientNorm();
            if (!finite) {
                throw new DivergenceException(step + 1, Double.NaN, t.learningRate(), checkpoints.lastGood());
            }
            step++;
            samples += sum.count();
            runningLoss += sum.lossSum();
            runningCount += sum.count();
            return lr;
        }

        /** Whether the L-BFGS solver has stopped before the run's last step. */
        private boolean converged() {
            return solver != null && solver.done();
        }

        private String stopReason() {
            return switch (solver.status()) {
                case TOLERANCE -> "relative loss change below train.tol = " + t.tol();
                case GRADIENT -> "gradient norm below " + solver.spec().gradientTolerance() + "·max(|loss|, 1)";
                case LINE_SEARCH_FAILED -> "no step along the search direction or along −gradient satisfies the"
                        + " strong Wolfe conditions";
                case MAX_ITERATIONS, RUNNING -> "status " + solver.status(); // fewer iterations than steps: unreached
            };
        }

        /**
         * Whether to validate after this step: every {@code evalEvery} steps, or for L-BFGS after every
         * {@code evalEvery}-th accepted iteration; and after the last step unless its weights were just validated.
         *
         * @param accepted whether this step moved the weights (always, but for an L-BFGS line-search trial)
         * @param last whether the run ends after this step
         */
        private boolean validatesNow(boolean accepted, boolean last) {
            if (solver == null) return plan.evaluatesAfter(step);
            long k = solver.iterations();
            boolean onCadence = k > 0 && k % plan.evalEvery() == 0;
            return accepted && onCadence || last && !onCadence;
        }

        /**
         * L-BFGS step {@code step}: the merged loss and gradient at the solver's next point, told to the solver; the
         * weights become its accepted point.
         *
         * @return whether the solver accepted a new point (ended an iteration)
         */
        private boolean evaluate(StepTransport transport) {
            long stepStart = System.nanoTime();
            GradientPartial sum = transport.meanGradient(solver.nextPoint(), step, grad);
            double loss = sum.meanLoss();
            recorder.gradient(sum, grad);
            if (solver.evaluations() == 0 && !(Double.isFinite(loss) && allFinite(grad))) {
                // later non-finite trials are steps too long, which the line search shortens
                throw DivergenceException.atInitialWeights(step + 1, loss, checkpoints.lastGood());
            }
            long iterations = solver.iterations();
            solver.tell(loss, grad);
            boolean accepted = solver.iterations() > iterations;
            if (accepted) params.setFlat(solver.point());
            recorder.stepTime(System.nanoTime() - stepStart);
            lastGradNorm = solver.gradientNorm();
            step++;
            samples += sum.count();
            runningLoss += sum.lossSum();
            runningCount += sum.count();
            return accepted;
        }

        private static boolean allFinite(float[] v) {
            for (float x : v) {
                if (!Float.isFinite(x)) return false;
            }
            return true;
        }

        /** Validation metrics of the current weights, inside the transport when it can, else as a job of their own. */
        private void validate(StepTransport transport) {
            long start = System.nanoTime();
            lastValidation = transport.evaluate(w, step);
            if (lastValidation == null) {
                transport.release();
                lastValidation = data.evaluate(Split.VALIDATION, task, w, "sparkmlp validation at step " + step);
            }
            if (validations == validationNanos.length) validationNanos = Arrays.copyOf(validationNanos, 2 * validations);
            validationNanos[validations++] = System.nanoTime() - start;
            progress.validation(describe(lastValidation, regression));
            stopping.evaluated(step, lastValidation.meanLoss(), w);
            if (stopping.bestStep() == step && stopping.evaluationsWithoutImprovement() == 0) {
                secondsToBest = progress.elapsedSeconds();
            }
        }

        private void logRow(MetricsLog metrics, double lr) {
            double elapsed = progress.elapsedSeconds();
            recorder.row(metrics, step, plan.batch().epochsAfter(step), runningLoss / runningCount, lastValidation,
                    regression, lr, lastGradNorm, samples / Math.max(elapsed, 1e-9), elapsed);
        }

        private void checkpoint(MetricsLog metrics) throws IOException {
            OptimizerState state = solver == null ? optimizer.state()
                    : new OptimizerState(OptimizerKind.LBFGS.name(), solver.iterations(), new float[0][]);
            checkpoints.save(step, plan.totalSteps(), partitionRows, arch, w, state,
                    solver == null ? null : solver.state(), new Checkpoint.Loop(
                    samples, runningLoss, runningCount, lastGradNorm, stopping.bestLoss(), stopping.bestStep(),
                    stopping.evaluationsWithoutImprovement(), stopping.bestWeights(), lastValidation,
                    progress.elapsedSeconds(), metrics.rows()));
        }

        /** Replaces the weights by the best ones and evaluates them again. */
        private void keepBest() {
            log.println("sparkmlp: keeping the weights of step " + stopping.bestStep() + " (lowest validation loss "
                    + fmt(stopping.bestLoss()) + ")");
            params.setFlat(stopping.bestWeights());
            // Re-evaluated rather than remembered, so a resumed run reports exactly what an uninterrupted one does.
            lastValidation = data.evaluate(Split.VALIDATION, task, w, "sparkmlp validation of the kept weights");
        }

        /** Test metrics of the final weights (logged), or null without a test split. */
        private EvalMetrics test() {
            if (!data.has(Split.TEST)) return null;
            EvalMetrics test = data.evaluate(Split.TEST, task, w, "sparkmlp test evaluation");
            log.println("sparkmlp: test " + describe(test, regression) + ", loss " + fmt(test.meanLoss()));
            return test;
        }
    }
}
