package io.sparkmlp.ml;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The Params {@link MlpClassifier} and {@link MlpRegressor} share: every training setting of the CLI
 * ({@link TrainingParams}: same meaning, same default), MLlib's {@code layers} and {@code tol} for code
 * that moves over from {@code MultilayerPerceptronClassifier}, {@code validationIndicatorCol} and
 * {@code outputDir}. Each has a Param accessor ({@code mlp.stepSize()}, for {@code ParamGridBuilder}), a
 * typed getter and a setter that returns the estimator.
 *
 * @param <T> the estimator, returned by the setters
 */
public interface MlpParams<T extends MlpParams<T>> extends Params {

    /** This instance's Param objects (created with its uid). */
    TrainingParams trainingParams();

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /** The value of {@code p}: as set, else its default, else (no default: a derived CLI default) the CLI's rule. */
    private Object effective(Param<?> p) {
        if (isDefined(p)) return getOrDefault(p);
        return TrainingParams.value(trainingParams().entry(p), FitConfig.of(this).effective()
                .get(trainingParams().entry(p).key()));
    }

    // ---- MLlib's names for code written for MultilayerPerceptronClassifier ----

    /**
     * MLlib's layer sizes: input size, hidden sizes..., output size (the number of classes; 1 for
     * regression). When set, the hidden sizes come from it and the input and output sizes are checked
     * against the data; {@link #hiddenLayers()} must then be left unset.
     */
    default IntArrayParam layers() {
        return trainingParams().get("layers");
    }

    default int[] getLayers() {
        return getOrDefault(layers());
    }

    /** MLlib's {@code setLayers}: input size, hidden sizes..., output size. */
    default T setLayers(int[] value) {
        set(layers(), value);
        return self();
    }

    /**
     * CLI key {@code train.tol}: the L-BFGS solver's tolerance on the relative loss change, as MLlib's
     * {@code tol} (same default, 1e-6); see the Param's doc.
     */
    default DoubleParam tol() {
        return trainingParams().get("tol");
    }

    /** The value of {@link #tol()}: as set, else its default. */
    default double getTol() {
        return (Double) effective(tol());
    }

    default T setTol(double value) {
        set(tol(), value);
        return self();
    }

    /** A boolean column: true marks a validation row (progress, early stopping, keepBest); unset: validationFraction. */
    default Param<String> validationIndicatorCol() {
        return trainingParams().get("validationIndicatorCol");
    }

    /** The column's name, or null when unset. */
    default String getValidationIndicatorCol() {
        return isDefined(validationIndicatorCol()) ? getOrDefault(validationIndicatorCol()) : null;
    }

    default T setValidationIndicatorCol(String value) {
        set(validationIndicatorCol(), value);
        return self();
    }

    /**
     * Where a fit writes what the CLI's train writes (model.sparkmlp, metrics.csv, summary.json,
     * checkpoints); unset (the default): nothing is kept but the returned model.
     */
    default Param<String> outputDir() {
        return trainingParams().get("outputDir");
    }

    /** The directory, or null when unset. */
    default String getOutputDir() {
        return isDefined(outputDir()) ? getOrDefault(outputDir()) : null;
    }

    default T setOutputDir(String value) {
        set(outputDir(), value);
        return self();
    }

    // ---- the CLI's training keys ----

    /** CLI key {@code data.validationFraction}; see the Param's doc. */
    default DoubleParam validationFraction() {
        return trainingParams().get("validationFraction");
    }

    /** The value of {@link #validationFraction()}: as set, else its default (or the CLI's rule for a derived default). */
    default double getValidationFraction() {
        return (Double) effective(validationFraction());
    }

    default T setValidationFraction(double value) {
        set(validationFraction(), value);
        return self();
    }

    /** CLI key {@code data.standardize}; see the Param's doc. */
    default BooleanParam standardize() {
        return trainingParams().get("standardize");
    }

    /** The value of {@link #standardize()}: as set, else its default (or the CLI's rule for a derived default). */
    default boolean getStandardize() {
        return (Boolean) effective(standardize());
    }

    default T setStandardize(boolean value) {
        set(standardize(), value);
        return self();
    }

    /** CLI key {@code data.partitions}; see the Param's doc. */
    default IntParam partitions() {
        return trainingParams().get("partitions");
    }

    /** The value of {@link #partitions()}: as set, else its default (or the CLI's rule for a derived default). */
    default int getPartitions() {
        return (Integer) effective(partitions());
    }

    default T setPartitions(int value) {
        set(partitions(), value);
        return self();
    }

    /** CLI key {@code data.seed}; see the Param's doc. */
    default LongParam splitSeed() {
        return trainingParams().get("splitSeed");
    }

    /** The value of {@link #splitSeed()}: as set, else its default (or the CLI's rule for a derived default). */
    default long getSplitSeed() {
        return (Long) effective(splitSeed());
    }

    default T setSplitSeed(long value) {
        set(splitSeed(), value);
        return self();
    }

    /** CLI key {@code model.hidden}; see the Param's doc. */
    default IntArrayParam hiddenLayers() {
        return trainingParams().get("hiddenLayers");
    }

    /** The value of {@link #hiddenLayers()}: as set, else its default (or the CLI's rule for a derived default). */
    default int[] getHiddenLayers() {
        return (int[]) effective(hiddenLayers());
    }

    default T setHiddenLayers(int[] value) {
        set(hiddenLayers(), value);
        return self();
    }

    /** CLI key {@code model.activation}; see the Param's doc. */
    default Param<String> activation() {
        return trainingParams().get("activation");
    }

    /** The value of {@link #activation()}: as set, else its default (or the CLI's rule for a derived default). */
    default String getActivation() {
        return (String) effective(activation());
    }

    default T setActivation(String value) {
        set(activation(), value);
        return self();
    }

    /** CLI key {@code model.backend}; see the Param's doc. */
    default Param<String> backend() {
        return trainingParams().get("backend");
    }

    /** The value of {@link #backend()}: as set, else its default (or the CLI's rule for a derived default). */
    default String getBackend() {
        return (String) effective(backend());
    }

    default T setBackend(String value) {
        set(backend(), value);
        return self();
    }

    /** CLI key {@code train.batchSize}; see the Param's doc. */
    default IntParam batchSize() {
        return trainingParams().get("batchSize");
    }

    /** The value of {@link #batchSize()}: as set, else its default (or the CLI's rule for a derived default). */
    default int getBatchSize() {
        return (Integer) effective(batchSize());
    }

    default T setBatchSize(int value) {
        set(batchSize(), value);
        return self();
    }

    /** CLI key {@code train.epochs}; see the Param's doc. */
    default IntParam epochs() {
        return trainingParams().get("epochs");
    }

    /** The value of {@link #epochs()}: as set, else its default (or the CLI's rule for a derived default). */
    default int getEpochs() {
        return (Integer) effective(epochs());
    }

    default T setEpochs(int value) {
        set(epochs(), value);
        return self();
    }

    /** CLI key {@code train.maxSteps}; see the Param's doc. */
    default LongParam maxIter() {
        return trainingParams().get("maxIter");
    }

    /** The value of {@link #maxIter()}: as set, else its default (or the CLI's rule for a derived default). */
    default long getMaxIter() {
        return (Long) effective(maxIter());
    }

    default T setMaxIter(long value) {
        set(maxIter(), value);
        return self();
    }

    /** CLI key {@code train.optimizer}; see the Param's doc. */
    default Param<String> solver() {
        return trainingParams().get("solver");
    }

    /** The value of {@link #solver()}: as set, else its default (or the CLI's rule for a derived default). */
    default String getSolver() {
        return (String) effective(solver());
    }

    /**
     * The optimizer: one of the CLI's ({@code sgd}, {@code momentum}, {@code nesterov}, {@code adam},
     * {@code adamw}, {@code lbfgs}) or MLlib's {@code gd} (= sgd) and {@code l-bfgs} (= lbfgs: full-batch
     * L-BFGS; {@code maxIter} then counts loss-and-gradient evaluations, {@code tol} stops it).
     */
    default T setSolver(String value) {
        FitConfig.optimizer(value);
        set(solver(), value);
        return self();
    }

    /** CLI key {@code train.learningRate}; see the Param's doc. */
    default DoubleParam stepSize() {
        return trainingParams().get("stepSize");
    }

    /** The value of {@link #stepSize()}: as set, else its default (or the CLI's rule for a derived default). */
    default double getStepSize() {
        return (Double) effective(stepSize());
    }

    default T setStepSize(double value) {
        set(stepSize(), value);
        return self();
    }

    /** CLI key {@code train.momentum}; see the Param's doc. */
    default DoubleParam momentum() {
        return trainingParams().get("momentum");
    }

    /** The value of {@link #momentum()}: as set, else its default (or the CLI's rule for a derived default). */
    default double getMomentum() {
        return (Double) effective(momentum());
    }

    default T setMomentum(double value) {
        set(momentum(), value);
        return self();
    }

    /** CLI key {@code train.beta1}; see the Param's doc. */
    default DoubleParam beta1() {
        return trainingParams().get("beta1");
    }

    /** The value of {@link #beta1()}: as set, else its default (or the CLI's rule for a derived default). */
    default double getBeta1() {
        return (Double) effective(beta1());
    }

    default T setBeta1(double value) {
        set(beta1(), value);
        return self();
    }

    /** CLI key {@code train.beta2}; see the Param's doc. */
    default DoubleParam beta2() {
        return trainingParams().get("beta2");
    }

    /** The value of {@link #beta2()}: as set, else its default (or the CLI's rule for a derived default). */
    default double getBeta2() {
        return (Double) effective(beta2());
    }

    default T setBeta2(double value) {
        set(beta2(), value);
        return self();
    }

    /** CLI key {@code train.weightDecay}; see the Param's doc. */
    default DoubleParam weightDecay() {
        return trainingParams().get("weightDecay");
    }

    /** The value of {@link #weightDecay()}: as set, else its default (or the CLI's rule for a derived default). */
    default double getWeightDecay() {
        return (Double) effective(weightDecay());
    }

    default T setWeightDecay(double value) {
        set(weightDecay(), value);
        return self();
    }

    /** CLI key {@code train.clipNorm}; see the Param's doc. */
    default DoubleParam clipNorm() {
        return trainingParams().get("clipNorm");
    }

    /** The value of {@link #clipNorm()}: as set, else its default (or the CLI's rule for a derived default). */
    default double getClipNorm() {
        return (Double) effective(clipNorm());
    }

    default T setClipNorm(double value) {
        set(clipNorm(), value);
        return self();
    }

    /** CLI key {@code train.lrSchedule}; see the Param's doc. */
    default Param<String> lrSchedule() {
        return trainingParams().get("lrSchedule");
    }

    /** The value of {@link #lrSchedule()}: as set, else its default (or the CLI's rule for a derived default). */
    default String getLrSchedule() {
        return (String) effective(lrSchedule());
    }

    default T setLrSchedule(String value) {
        set(lrSchedule(), value);
        return self();
    }

    /** CLI key {@code train.warmupSteps}; see the Param's doc. */
    default LongParam warmupSteps() {
        return trainingParams().get("warmupSteps");
    }

    /** The value of {@link #warmupSteps()}: as set, else its default (or the CLI's rule for a derived default). */
    default long getWarmupSteps() {
        return (Long) effective(warmupSteps());
    }

    default T setWarmupSteps(long value) {
        set(warmupSteps(), value);
        return self();
    }

    /** CLI key {@code train.decaySteps}; see the Param's doc. */
    default LongParam decaySteps() {
        return trainingParams().get("decaySteps");
    }

    /** The value of {@link #decaySteps()}: as set, else its default (or the CLI's rule for a derived default). */
    default long getDecaySteps() {
        return (Long) effective(decaySteps());
    }

    default T setDecaySteps(long value) {
        set(decaySteps(), value);
        return self();
    }

    /** CLI key {@code train.gamma}; see the Param's doc. */
    default DoubleParam gamma() {
        return trainingParams().get("gamma");
    }

    /** The value of {@link #gamma()}: as set, else its default (or the CLI's rule for a derived default). */
    default double getGamma() {
        return (Double) effective(gamma());
    }

    default T setGamma(double value) {
        set(gamma(), value);
        return self();
    }

    /** CLI key {@code train.minLearningRate}; see the Param's doc. */
    default DoubleParam minLearningRate() {
        return trainingParams().get("minLearningRate");
    }

    /** The value of {@link #minLearningRate()}: as set, else its default (or the CLI's rule for a derived default). */
    default double getMinLearningRate() {
        return (Double) effective(minLearningRate());
    }

    default T setMinLearningRate(double value) {
        set(minLearningRate(), value);
        return self();
    }

    /** CLI key {@code train.seed}; see the Param's doc. */
    default LongParam seed() {
        return trainingParams().get("seed");
    }

    /** The value of {@link #seed()}: as set, else its default (or the CLI's rule for a derived default). */
    default long getSeed() {
        return (Long) effective(seed());
    }

    default T setSeed(long value) {
        set(seed(), value);
        return self();
    }

    /** CLI key {@code train.evalEvery}; see the Param's doc. */
    default LongParam evalEvery() {
        return trainingParams().get("evalEvery");
    }

    /** The value of {@link #evalEvery()}: as set, else its default (or the CLI's rule for a derived default). */
    default long getEvalEvery() {
        return (Long) effective(evalEvery());
    }

    default T setEvalEvery(long value) {
        set(evalEvery(), value);
        return self();
    }

    /** CLI key {@code train.earlyStoppingPatience}; see the Param's doc. */
    default IntParam earlyStoppingPatience() {
        return trainingParams().get("earlyStoppingPatience");
    }

    /** The value of {@link #earlyStoppingPatience()}: as set, else its default (or the CLI's rule for a derived default). */
    default int getEarlyStoppingPatience() {
        return (Integer) effective(earlyStoppingPatience());
    }

    default T setEarlyStoppingPatience(int value) {
        set(earlyStoppingPatience(), value);
        return self();
    }

    /** CLI key {@code train.keepBest}; see the Param's doc. */
    default BooleanParam keepBest() {
        return trainingParams().get("keepBest");
    }

    /** The value of {@link #keepBest()}: as set, else its default (or the CLI's rule for a derived default). */
    default boolean getKeepBest() {
        return (Boolean) effective(keepBest());
    }

    default T setKeepBest(boolean value) {
        set(keepBest(), value);
        return self();
    }

    /** CLI key {@code train.checkpointEvery}; see the Param's doc. */
    default LongParam checkpointEvery() {
        return trainingParams().get("checkpointEvery");
    }

    /** The value of {@link #checkpointEvery()}: as set, else its default (or the CLI's rule for a derived default). */
    default long getCheckpointEvery() {
        return (Long) effective(checkpointEvery());
    }

    default T setCheckpointEvery(long value) {
        set(checkpointEvery(), value);
        return self();
    }

    /** CLI key {@code train.resume}; see the Param's doc. */
    default BooleanParam resume() {
        return trainingParams().get("resume");
    }

    /** The value of {@link #resume()}: as set, else its default (or the CLI's rule for a derived default). */
    default boolean getResume() {
        return (Boolean) effective(resume());
    }

    default T setResume(boolean value) {
        set(resume(), value);
        return self();
    }

    /** CLI key {@code train.transport}; see the Param's doc. */
    default Param<String> transport() {
        return trainingParams().get("transport");
    }

    /** The value of {@link #transport()}: as set, else its default (or the CLI's rule for a derived default). */
    default String getTransport() {
        return (String) effective(transport());
    }

    default T setTransport(String value) {
        set(transport(), value);
        return self();
    }

    /** CLI key {@code train.logEvery}; see the Param's doc. */
    default LongParam logEvery() {
        return trainingParams().get("logEvery");
    }

    /** The value of {@link #logEvery()}: as set, else its default (or the CLI's rule for a derived default). */
    default long getLogEvery() {
        return (Long) effective(logEvery());
    }

    default T setLogEvery(long value) {
        set(logEvery(), value);
        return self();
    }

    /** CLI key {@code output.overwrite}; see the Param's doc. */
    default BooleanParam outputOverwrite() {
        return trainingParams().get("outputOverwrite");
    }

    /** The value of {@link #outputOverwrite()}: as set, else its default (or the CLI's rule for a derived default). */
    default boolean getOutputOverwrite() {
        return (Boolean) effective(outputOverwrite());
    }

    default T setOutputOverwrite(boolean value) {
        set(outputOverwrite(), value);
        return self();
    }

    /** CLI key {@code train.lbfgs.history}; see the Param's doc. */
    default IntParam lbfgsHistory() {
        return trainingParams().get("lbfgsHistory");
    }

    /** The value of {@link #lbfgsHistory()}: as set, else its default (or the CLI's rule for a derived default). */
    default int getLbfgsHistory() {
        return (Integer) effective(lbfgsHistory());
    }

    default T setLbfgsHistory(int value) {
        set(lbfgsHistory(), value);
        return self();
    }

    /** CLI key {@code transport.port}; see the Param's doc. */
    default Param<String> transportPort() {
        return trainingParams().get("transportPort");
    }

    /** The value of {@link #transportPort()}: as set, else its default (or the CLI's rule for a derived default). */
    default String getTransportPort() {
        return (String) effective(transportPort());
    }

    default T setTransportPort(String value) {
        set(transportPort(), value);
        return self();
    }

    /** CLI key {@code transport.connectTimeout}; see the Param's doc. */
    default LongParam transportConnectTimeout() {
        return trainingParams().get("transportConnectTimeout");
    }

    /** The value of {@link #transportConnectTimeout()}: as set, else its default (or the CLI's rule for a derived default). */
    default long getTransportConnectTimeout() {
        return (Long) effective(transportConnectTimeout());
    }

    default T setTransportConnectTimeout(long value) {
        set(transportConnectTimeout(), value);
        return self();
    }

    /** CLI key {@code transport.handshakeTimeout}; see the Param's doc. */
    default LongParam transportHandshakeTimeout() {
        return trainingParams().get("transportHandshakeTimeout");
    }

    /** The value of {@link #transportHandshakeTimeout()}: as set, else its default (or the CLI's rule for a derived default). */
    default long getTransportHandshakeTimeout() {
        return (Long) effective(transportHandshakeTimeout());
    }

    default T setTransportHandshakeTimeout(long value) {
        set(transportHandshakeTimeout(), value);
        return self();
    }

    /** CLI key {@code transport.stepTimeout}; see the Param's doc. */
    default LongParam transportStepTimeout() {
        return trainingParams().get("transportStepTimeout");
    }

    /** The value of {@link #transportStepTimeout()}: as set, else its default (or the CLI's rule for a derived default). */
    default long getTransportStepTimeout() {
        return (Long) effective(transportStepTimeout());
    }

    default T setTransportStepTimeout(long value) {
        set(transportStepTimeout(), value);
        return self();
    }

    /** CLI key {@code transport.startTimeout}; see the Param's doc. */
    default LongParam transportStartTimeout() {
        return trainingParams().get("transportStartTimeout");
    }

    /** The value of {@link #transportStartTimeout()}: as set, else its default (or the CLI's rule for a derived default). */
    default long getTransportStartTimeout() {
        return (Long) effective(transportStartTimeout());
    }

    default T setTransportStartTimeout(long value) {
        set(transportStartTimeout(), value);
        return self();
    }

    /** CLI key {@code transport.maxHandshakes}; see the Param's doc. */
    default IntParam transportMaxHandshakes() {
        return trainingParams().get("transportMaxHandshakes");
    }

    /** The value of {@link #transportMaxHandshakes()}: as set, else its default (or the CLI's rule for a derived default). */
    default int getTransportMaxHandshakes() {
        return (Integer) effective(transportMaxHandshakes());
    }

    default T setTransportMaxHandshakes(int value) {
        set(transportMaxHandshakes(), value);
        return self();
    }

    /** CLI key {@code transport.encrypt}; see the Param's doc. */
    default BooleanParam transportEncrypt() {
        return trainingParams().get("transportEncrypt");
    }

    /** The value of {@link #transportEncrypt()}: as set, else its default (or the CLI's rule for a derived default). */
    default boolean getTransportEncrypt() {
        return (Boolean) effective(transportEncrypt());
    }

    default T setTransportEncrypt(boolean value) {
        set(transportEncrypt(), value);
        return self();
    }

    /** CLI key {@code transport.fanout}; see the Param's doc. */
    default IntParam transportFanout() {
        return trainingParams().get("transportFanout");
    }

    /** The value of {@link #transportFanout()}: as set, else its default (or the CLI's rule for a derived default). */
    default int getTransportFanout() {
        return (Integer) effective(transportFanout());
    }

    default T setTransportFanout(int value) {
        set(transportFanout(), value);
        return self();
    }

    /** CLI key {@code data.maxClasses}; see the Param's doc. */
    default IntParam maxClasses() {
        return trainingParams().get("maxClasses");
    }

    /** The value of {@link #maxClasses()}: as set, else its default (or the CLI's rule for a derived default). */
    default int getMaxClasses() {
        return (Integer) effective(maxClasses());
    }

    default T setMaxClasses(int value) {
        set(maxClasses(), value);
        return self();
    }

    /** CLI key {@code data.maxFeatures}; see the Param's doc. */
    default IntParam maxFeatures() {
        return trainingParams().get("maxFeatures");
    }

    /** The value of {@link #maxFeatures()}: as set, else its default (or the CLI's rule for a derived default). */
    default int getMaxFeatures() {
        return (Integer) effective(maxFeatures());
    }

    default T setMaxFeatures(int value) {
        set(maxFeatures(), value);
        return self();
    }
}
