package io.sparkmlp.ml;

import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.io.ModelCodec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A trained sparkmlp classifier as a spark.ml model: it holds the project's model file (network,
 * class labels, feature standardisation; {@link Model}) and adds {@code prediction} (the class index),
 * {@code probability} and {@code rawPrediction} ({@code ln probability}) to every row; see
 * {@link Scorer} for the formulas. {@code transform} runs the rows through the kernel a chunk at a time
 * on the executors.
 *
 * <p>Saved ({@link #write()}) as spark.ml saves models, with the model file in {@code data/}: the CLI's
 * evaluate and predict read it, and {@link #fromModelFile} reads a model file the CLI wrote.
 */
public final class MlpClassificationModel extends ProbabilisticClassificationModel<Vector, MlpClassificationModel>
        implements MLWritable {
    private static final long serialVersionUID = 1L;

    private String uid;
    private final byte[] bytes;
    private transient Model model;

    /**
     * @param modelFile the model file's bytes ({@link ModelCodec}) of a classification model
     * @throws IllegalArgumentException when they hold a regression model
     */
    public MlpClassificationModel(String uid, byte[] modelFile) {
        this(Uids.next(uid), modelFile);
    }

    private MlpClassificationModel(Uids.Parked parked, byte[] modelFile) {
        super();
        this.bytes = modelFile.clone();
        if (model().classLabels().isEmpty()) {
            throw new IllegalArgumentException(uid() + ": a regression model (no class labels), expected a classifier;"
                    + " use MlpRegressionModel");
        }
    }

    /** A model file the CLI wrote ({@code model.sparkmlp}, any Hadoop path) as a spark.ml model. */
    public static MlpClassificationModel fromModelFile(String path) {
        return new MlpClassificationModel(Uids.take("mlpc"), ModelIO.read(path, ModelIO.hadoopConf()));
    }

    @Override
    public String uid() {
        if (uid == null) uid = Uids.take("mlpc");
        return uid;
    }

    /** The network and everything else a model file holds. */
    public Model model() {
        if (model == null) model = ModelCodec.decode(bytes, uid());
        return model;
    }

    /** The class labels the network was trained on, in class-index order ({@code "0"}, {@code "1"}, ... from a DataFrame). */
    public List<String> classLabels() {
        return model().classLabels();
    }

    @Override
    public int numClasses() {
        return model().classLabels().size();
    }

    @Override
    public int numFeatures() {
        return model().architecture().inputSize();
    }

    @Override
    public Vector predictRaw(Vector features) {
        return new DenseVector(Scorer.logs(Scorer.score(model(), features)));
    }

    /** {@code softmax(raw)}, in place: the probabilities again, since {@code raw = ln p}. */
    @Override
    public Vector raw2probabilityInPlace(Vector raw) {
        double[] v = ((DenseVector) raw).values();
        double max = Double.NEGATIVE_INFINITY;
        for (double d : v) max = Math.max(max, d);
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.exp(v[i] - max);
            sum += v[i];
        }
        for (int i = 0; i < v.length; i++) v[i] /= sum;
        return raw;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType in = dataset.schema();
        StructType out = transformSchema(in, true);
        List<Scorer.Out> appended = new ArrayList<>();
        for (StructField f : out.fields()) {
            if (in.getFieldIndex(f.name()).isDefined()) continue;
            if (f.name().equals(getPredictionCol())) appended.add(Scorer.Out.PREDICTION);
            else if (f.name().equals(getRawPredictionCol())) appended.add(Scorer.Out.RAW);
            else if (f.name().equals(getProbabilityCol())) appended.add(Scorer.Out.PROBABILITY);
        }
        double[] thresholds = isDefined(thresholds()) ? getThresholds() : null;
        Scorer scorer = new Scorer(bytes, in.fieldIndex(getFeaturesCol()), thresholds, appended.toArray(new Scorer.Out[0]));
        @SuppressWarnings("unchecked")
        JavaRDD<Row> rows = ((Dataset<Row>) dataset.toDF()).javaRDD().mapPartitions(scorer::apply);
        return dataset.sparkSession().createDataFrame(rows, out);
    }

    /** Spark's own (two superclasses declare it; Java needs it named once). */
    @Override
    @SuppressWarnings("rawtypes")
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    @Override
    public MlpClassificationModel copy(ParamMap extra) {
        return copyValues(new MlpClassificationModel(uid(), bytes), extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new ModelIO.Writer(this, bytes);
    }

    public static MLReader<MlpClassificationModel> read() {
        return new ModelIO.Reader<>(MlpClassificationModel.class, MlpClassificationModel::new);
    }

    public static MlpClassificationModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "MlpClassificationModel: uid=" + uid() + ", " + model().architecture().shape() + ", numClasses="
                + numClasses() + ", numFeatures=" + numFeatures();
    }
}
