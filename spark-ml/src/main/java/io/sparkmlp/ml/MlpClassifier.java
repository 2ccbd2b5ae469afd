package io.sparkmlp.ml;

import io.sparkmlp.kernel.io.ModelCodec;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.BinaryAttribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructField;

/**
 * A multilayer perceptron classifier trained by sparkmlp's engine (synchronous data-parallel
 * mini-batch training on the cluster), as a spark.ml {@code ProbabilisticClassifier}: a Vector
 * {@code featuresCol}, class indices 0..k−1 in {@code labelCol}, and an {@link MlpClassificationModel}
 * with {@code prediction}, {@code probability} and {@code rawPrediction}.
 *
 * <p>Its Params are the CLI's training settings with the same defaults and meaning ({@link MlpParams});
 * MLlib's {@code MultilayerPerceptronClassifier} code ports by changing the class name
 * ({@code setLayers}, {@code setMaxIter}, {@code setSeed}, {@code setTol}, {@code setStepSize},
 * {@code setSolver}). Two classes train one sigmoid output; more, a softmax layer.
 */
public final class MlpClassifier extends ProbabilisticClassifier<Vector, MlpClassifier, MlpClassificationModel>
        implements MlpParams<MlpClassifier>, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private String uid;
    private TrainingParams params;

    public MlpClassifier() {
        super();
        trainingParams();
    }

    public MlpClassifier(String uid) {
        this(Uids.next(uid));
    }

    private MlpClassifier(Uids.Parked parked) {
        super();
        trainingParams();
    }

    @Override
    public String uid() {
        if (uid == null) uid = Uids.take("mlpc");
        return uid;
    }

    @Override
    public TrainingParams trainingParams() {
        if (params == null) params = new TrainingParams(this);
        return params;
    }

    @Override
    public MlpClassificationModel train(Dataset<?> dataset) {
        int hint = classesOf(dataset.schema().apply(getLabelCol()));
        return new MlpClassificationModel(uid(), ModelCodec.encode(Fit.run(dataset, this, getFeaturesCol(),
                getLabelCol(), hint)));
    }

    /** The class count the label column's metadata gives (StringIndexer sets it), or 0. */
    static int classesOf(StructField label) {
        Attribute a = Attribute.fromStructField(label);
        if (a instanceof BinaryAttribute) return 2;
        if (a instanceof NominalAttribute n && n.getNumValues().isDefined()) return (Integer) n.getNumValues().get();
        return 0;
    }

    @Override
    public MlpClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<MlpClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static MlpClassifier load(String path) {
        return read().load(path);
    }
}
