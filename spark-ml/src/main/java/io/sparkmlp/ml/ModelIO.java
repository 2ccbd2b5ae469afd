package io.sparkmlp.ml;

import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.kernel.io.ModelCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.BiFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/**
 * Saving and loading a model the spark.ml way, to any Hadoop path: the metadata (class, uid, Params)
 * as {@code DefaultParamsWriter} writes it, and the network as the project's model file
 * ({@value #DATA}/{@value RunOutput#MODEL_FILE}: {@link ModelCodec} bytes, numpy-readable, the file the
 * CLI's evaluate and predict read) through Hadoop's {@link FileSystem}.
 */
final class ModelIO {

    /** The saved directory's subdirectory that holds the model file, as spark.ml models keep their data. */
    static final String DATA = "data";

    private ModelIO() {
    }

    /** The model file inside a saved model directory. */
    static Path modelFile(String dir) {
        return new Path(new Path(dir, DATA), RunOutput.MODEL_FILE);
    }

    /** Writes metadata and model file. */
    static final class Writer extends MLWriter {
        private final Params instance;
        private final byte[] model;

        Writer(Params instance, byte[] model) {
            this.instance = instance;
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sparkSession());
            write(modelFile(path), model, sparkSession().sparkContext().hadoopConfiguration());
        }
    }

    /** Reads metadata and model file back into a model of class {@code type}. */
    static final class Reader<M extends Params> extends MLReader<M> {
        private final Class<M> type;
        private final BiFunction<String, byte[], M> make;

        /** @param make the model from its uid and model file bytes */
        Reader(Class<M> type, BiFunction<String, byte[], M> make) {
            this.type = type;
            this.make = make;
        }

        @Override
        public M load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
                    type.getName());
            M model = make.apply(metadata.uid(), read(modelFile(path).toString(),
                    sparkSession().sparkContext().hadoopConfiguration()));
            metadata.getAndSetParams(model, Option.empty());
            return model;
        }
    }

    /** The model file at {@code path} (any Hadoop path), as bytes; checked when decoded. */
    static byte[] read(String path, Configuration conf) {
        Path p = new Path(path);
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read the model file (" + e.getMessage() + ")", e);
        }
    }

    static void write(Path p, byte[] bytes, Configuration conf) {
        try (OutputStream out = p.getFileSystem(conf).create(p, true)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": cannot write the model file (" + e.getMessage() + ")", e);
        }
    }

    /** The active session's Hadoop configuration (for reading a model file outside a reader). */
    static Configuration hadoopConf() {
        return SparkSession.active().sparkContext().hadoopConfiguration();
    }
}
