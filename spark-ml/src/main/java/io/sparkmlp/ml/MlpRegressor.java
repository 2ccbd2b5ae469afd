package io.sparkmlp.ml;

import io.sparkmlp.kernel.io.ModelCodec;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * A multilayer perceptron regressor trained by sparkmlp's engine, as a spark.ml {@code Predictor}: a
 * Vector {@code featuresCol}, a real-valued {@code labelCol}, and an {@link MlpRegressionModel}. The
 * network learns the standardised target {@code (y − mean) / std} (with {@code standardize}, the
 * default) and the model predicts in target units. Params as {@link MlpClassifier}'s ({@link MlpParams}).
 */
public final class MlpRegressor extends Predictor<Vector, MlpRegressor, MlpRegressionModel>
        implements MlpParams<MlpRegressor>, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private String uid;
    private TrainingParams params;

    public MlpRegressor() {
        super();
        trainingParams();
    }

    public MlpRegressor(String uid) {
        this(Uids.next(uid));
    }

    private MlpRegressor(Uids.Parked parked) {
        super();
        trainingParams();
    }

    @Override
    public String uid() {
        if (uid == null) uid = Uids.take("mlpr");
        return uid;
    }

    @Override
    public TrainingParams trainingParams() {
        if (params == null) params = new TrainingParams(this);
        return params;
    }

    @Override
    public MlpRegressionModel train(Dataset<?> dataset) {
        return new MlpRegressionModel(uid(), ModelCodec.encode(Fit.run(dataset, this, getFeaturesCol(), getLabelCol(), 0)));
    }

    @Override
    public MlpRegressor copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<MlpRegressor> read() {
        return new DefaultParamsReader<>();
    }

    public static MlpRegressor load(String path) {
        return read().load(path);
    }
}
