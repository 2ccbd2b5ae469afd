package io.sparkmlp.driver.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.OutputLoss;
import org.junit.jupiter.api.Test;

/** The confusion matrix's classes² is checked in long arithmetic before anything is allocated. */
class ConfusionSizeTest {

    @Test
    void classesWhoseSquareOverflowsAnIntAreRefusedInOneLine() {
        Architecture small = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 2, 3);
        // 46,341² = 2,147,488,281 wraps an int to a negative array size
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Evaluator.Task(small, Backend.AUTO, 46_341, 1f));
        assertEquals("a confusion matrix of 46341 classes needs 2147488281 cells, expected at most 2147483639"
                + " (at most 46340 classes)", e.getMessage());
        assertEquals(46_340 * 46_340, new Evaluator.Task(small, Backend.AUTO, 46_340, 1f).confusionCells());
        assertEquals(0, new Evaluator.Task(small, Backend.AUTO, 0, 1f).confusionCells());
    }
}
