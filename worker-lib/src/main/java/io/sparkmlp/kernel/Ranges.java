package io.sparkmlp.kernel;

/**
 * How an element-wise loop over {@code [0, n)} is run: in one call on the calling thread ({@link #SERIAL}), or cut
 * into parts that other threads may run at the same time. Every index is handled by exactly one call of the body,
 * and the method returns once all calls have returned (their writes visible to the caller).
 *
 * <p>A body given to a {@code Ranges} must be element-wise: what it writes at index {@code i} depends only on what
 * is at {@code i} (and on values fixed for the whole loop). Then the results, bit for bit, do not depend on how the
 * range is cut or on which thread runs which part; a reduction (a sum, a norm) is not such a body.
 */
@FunctionalInterface
public interface Ranges {

    /** The loop in one call on the calling thread. */
    Ranges SERIAL = (n, body) -> {
        if (n > 0) body.run(0, n);
    };

    /** Runs {@code body} over consecutive, disjoint parts {@code [from, to)} that together cover {@code [0, n)}. */
    void forEach(int n, Body body);

    /** An element-wise loop over {@code [from, to)}. */
    @FunctionalInterface
    interface Body {
        void run(int from, int to);
    }
}
