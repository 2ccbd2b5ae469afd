package io.sparkmlp.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A block larger than the storage memory is not cached, and the run stops with one line before
 * training (instead of regenerating the data at every step). Local mode, with Spark's memory
 * fraction turned down so that a 40 MB block does not fit; the cluster version is in ClusterTrainingIT.
 */
class StorageCheckLocalTest {

    @TempDir
    Path tmp;

    @Test
    void aBlockLargerThanTheStorageMemoryStopsTheRunWithOneLine() {
        ResumeLocalTest.Run r = ResumeLocalTest.cli(List.of("train", "data.format=synthetic", "synthetic.rows=200000",
                "synthetic.features=50", "data.testFraction=0.01", "data.validationFraction=0", "data.standardize=false",
                "data.partitions=1", "model.hidden=4", "train.maxSteps=5", "spark.master=local[1]",
                "spark.ui.enabled=false", "spark.memory.fraction=0.01", "output.dir=" + tmp.resolve("run")));
        assertEquals(5, r.code(), r::describe);
        List<String> errors = r.err().lines().filter(l -> l.startsWith("sparkmlp: error:")).toList();
        assertEquals(1, errors.size(), r::describe);
        assertTrue(errors.get(0).startsWith("sparkmlp: error: the data does not fit in the storage memory of this"
                + " local-mode JVM: 1 of 1 training blocks (about 38.5 MB each) not cached; storage memory "), r::describe);
        assertTrue(errors.get(0).contains("give the JVM a larger heap"), r::describe);
        assertFalse(Files.exists(tmp.resolve("run/model.sparkmlp")));
    }
}
