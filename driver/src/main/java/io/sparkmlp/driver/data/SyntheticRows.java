package io.sparkmlp.driver.data;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * One synthetic generator ({@code synthetic.kind}): its fixed parameters (centres, linear maps,
 * coefficients), drawn once from the seed on the driver and shipped in the task closure, and how a row is
 * drawn from them with the row's own random stream. {@link SyntheticData} gives each row its stream.
 */
interface SyntheticRows extends Serializable {

    /**
     * Draws one row.
     *
     * @param r the row's own random stream. Modified.
     * @param x receives the row's features at {@code off}. Modified.
     * @return the label: a class index, or the target of a regression
     */
    float row(SplittableRandom r, float[] x, int off);
}
