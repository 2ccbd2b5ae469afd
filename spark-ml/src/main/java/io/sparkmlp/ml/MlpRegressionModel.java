package io.sparkmlp.ml;

import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.io.ModelCodec;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A trained sparkmlp regressor as a spark.ml model: it holds the project's model file and adds
 * {@code prediction} in target units ({@code o·targetStd + targetMean}) to every row, running the rows
 * through the kernel a chunk at a time ({@link Scorer}). Saved as {@link MlpClassificationModel} is.
 */
public final class MlpRegressionModel extends RegressionModel<Vector, MlpRegressionModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    private String uid;
    private final byte[] bytes;
    private transient Model model;

    /**
     * @param modelFile the model file's bytes ({@link ModelCodec}) of a regression model
     * @throws IllegalArgumentException when they hold a classifier
     */
    public MlpRegressionModel(String uid, byte[] modelFile) {
        this(Uids.next(uid), modelFile);
    }

    private MlpRegressionModel(Uids.Parked parked, byte[] modelFile) {
        super();
        this.bytes = modelFile.clone();
        if (!model().classLabels().isEmpty()) {
            throw new IllegalArgumentException(uid() + ": a classification model (labels " + model().classLabels()
                    + "), expected a regressor; use MlpClassificationModel");
        }
    }

    /** A model file the CLI wrote ({@code model.sparkmlp}, any Hadoop path) as a spark.ml model. */
    public static MlpRegressionModel fromModelFile(String path) {
        return new MlpRegressionModel(Uids.take("mlpr"), ModelIO.read(path, ModelIO.hadoopConf()));
    }

    @Override
    public String uid() {
        if (uid == null) uid = Uids.take("mlpr");
        return uid;
    }

    /** The network and everything else a model file holds. */
    public Model model() {
        if (model == null) model = ModelCodec.decode(bytes, uid());
        return model;
    }

    @Override
    public int numFeatures() {
        return model().architecture().inputSize();
    }

    @Override
    public double predict(Vector features) {
        return Scorer.score(model(), features)[0];
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType in = dataset.schema();
        StructType out = transformSchema(in, true);
        if (out.length() == in.length()) {
            return dataset.toDF();
        }
        Scorer scorer = new Scorer(bytes, in.fieldIndex(getFeaturesCol()), null, Scorer.Out.PREDICTION);
        @SuppressWarnings("unchecked")
        JavaRDD<Row> rows = ((Dataset<Row>) dataset.toDF()).javaRDD().mapPartitions(scorer::apply);
        return dataset.sparkSession().createDataFrame(rows, out);
    }

    @Override
    public MlpRegressionModel copy(ParamMap extra) {
        return copyValues(new MlpRegressionModel(uid(), bytes), extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new ModelIO.Writer(this, bytes);
    }

    public static MLReader<MlpRegressionModel> read() {
        return new ModelIO.Reader<>(MlpRegressionModel.class, MlpRegressionModel::new);
    }

    public static MlpRegressionModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "MlpRegressionModel: uid=" + uid() + ", " + model().architecture().shape() + ", numFeatures=" + numFeatures();
    }
}
