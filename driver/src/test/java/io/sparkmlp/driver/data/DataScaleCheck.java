package io.sparkmlp.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.RDDInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.sparkmlp.driver.config.DataOptions;

/**
 * Manual scale measurements, off by default (needs a big heap):
 * {@code mvn -o -q -pl worker-lib,driver -am test -Dtest=DataScaleCheck -Dsurefire.failIfNoSpecifiedTests=false
 * -Dsparkmlp.scale=true -Dsparkmlp.scale.rows=10000000 '-Dspark.java.opts=<the parent pom's flags> -Xmx14g'}.
 */
@EnabledIfSystemProperty(named = "sparkmlp.scale", matches = "true")
class DataScaleCheck {

    /** CPU seconds of this process so far (the machine may be shared: wall time alone misleads). */
    static double cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static long memSize(JavaSparkContext sc, int rddId) {
        for (RDDInfo info : sc.sc().getRDDStorageInfo()) {
            if (info.id() == rddId) {
                return info.memSize();
            }
        }
        return 0;
    }

    @Test
    void synthetic() {
        long rows = Long.getLong("sparkmlp.scale.rows", 10_000_000L);
        int features = 100;
        try (JavaSparkContext sc = SparkTests.context("scale")) {
            DataOptions o = SparkTests.synthetic(rows, features, 10, 20, 0.05, 1, 0, 0.1, 0, true);
            double c0 = cpu();
            long t0 = System.nanoTime();
            PreparedData d = DataLoader.prepare(sc, o);
            double s = (System.nanoTime() - t0) / 1e9;
            double c = cpu() - c0;
            long mem = memSize(sc, d.train().id()) + memSize(sc, d.test().id());
            System.out.printf("synthetic %d x %d, %d partitions: prepare %.1f s wall (%.2f M rows/s), %.1f s cpu,"
                    + " cached %.3f GB = %.3f x raw%n", rows, features, d.train().getNumPartitions(), s, rows / s / 1e6, c, mem / 1e9,
                    mem / (rows * features * 4.0));
            assertEquals(rows, d.trainRows() + d.testRows());
        }
    }

    @Test
    void csv() throws Exception {
        long rows = Long.getLong("sparkmlp.scale.csvRows", 1_000_000L);
        int features = 100;
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "sparkmlp-scale-" + rows + ".csv");
        if (!Files.exists(file)) {
            SplittableRandom r = new SplittableRandom(1);
            try (BufferedWriter w = Files.newBufferedWriter(file)) {
                StringBuilder sb = new StringBuilder();
                for (long i = 0; i < rows; i++) {
                    sb.setLength(0);
                    for (int j = 0; j < features; j++) {
                        sb.append(String.format("%.5f", r.nextGaussian())).append(',');
                    }
                    sb.append(r.nextInt(10)).append('\n');
                    w.write(sb.toString());
                }
            }
        }
        try (JavaSparkContext sc = SparkTests.context("scale-csv")) {
            DataOptions o = DataOptions.defaults().withFormat(DataOptions.DataFormat.CSV).withTrain(file.toString())
                    .withTestFraction(0.1).withValidationFraction(0).withHeader(false).withSeed(1);
            if (Boolean.getBoolean("sparkmlp.scale.phases")) {
                double ca = cpu();
                long a = System.nanoTime();
                TextInput in = TextInput.open(sc, file.toString(), o, false, LayoutDetector.Expect.FREE, 2);
                CountingPass.Scan scan = in.scan(true);
                long b = System.nanoTime();
                double cb = cpu();
                LabelIndex labels = LabelIndex.of(scan.labels(), "x");
                org.apache.spark.api.java.JavaRDD<Block> all = in.blocks(scan, in.layout(), labels, RowSplit.all(), 2)
                        .slot(RowSplit.TRAIN);
                all.count();
                long c = System.nanoTime();
                double cc = cpu();
                all.count();
                long e = System.nanoTime();
                double ce = cpu();
                System.out.printf("scan %.1f s (cpu %.1f s), parse+shuffle+assemble %.1f s (cpu %.1f s),"
                        + " shuffle read+assemble %.1f s (cpu %.1f s)%n", (b - a) / 1e9, cb - ca, (c - b) / 1e9, cc - cb,
                        (e - c) / 1e9, ce - cc);
            }
            double c0 = cpu();
            long t0 = System.nanoTime();
            PreparedData d = DataLoader.prepare(sc, o);
            double s = (System.nanoTime() - t0) / 1e9;
            double c = cpu() - c0;
            System.out.printf("csv %d x %d (%.2f GB), %d partitions: prepare %.1f s wall (%.2f M rows/s, %.0f MB/s),"
                    + " %.1f s cpu (%.0f MB/s per core)%n", rows, features, Files.size(file) / 1e9,
                    d.train().getNumPartitions(), s, rows / s / 1e6, Files.size(file) / s / 1e6, c, Files.size(file) / c / 1e6);
            assertEquals(rows, d.trainRows() + d.testRows());
        }
    }
}
